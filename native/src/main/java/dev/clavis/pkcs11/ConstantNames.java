package dev.clavis.pkcs11;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/** Maps the {@code long} constants of one family class to their names, for messages. */
final class ConstantNames {

  private final Map<Long, String> names = new HashMap<>();
  private final String prefix;

  ConstantNames(Class<?> family, String prefix) {
    this.prefix = prefix;
    for (Field f : family.getFields()) {
      int m = f.getModifiers();
      if (Modifier.isStatic(m) && f.getType() == long.class) {
        try {
          names.putIfAbsent(f.getLong(null), prefix + f.getName());
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  String name(long value) {
    String n = names.get(value);
    return n != null ? n : prefix + "0x" + Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
  }
}
