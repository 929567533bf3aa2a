package dev.clavis.pkcs11;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Attribute values read by {@link Session#getAttributes}. An attribute the object does not have,
 * or whose value is sensitive, is absent.
 */
public final class AttributeValues {

  private final Map<Long, byte[]> values;

  AttributeValues(Map<Long, byte[]> values) {
    this.values = values;
  }

  /** @return whether the object returned a value for {@code type} */
  public boolean has(long type) {
    return values.containsKey(type);
  }

  /** @return a copy of the raw value */
  public Optional<byte[]> bytes(long type) {
    byte[] v = values.get(type);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** @return the {@code CK_BBOOL} value */
  public Optional<Boolean> bool(long type) {
    byte[] v = values.get(type);
    return v == null || v.length != 1 ? Optional.empty() : Optional.of(v[0] != 0);
  }

  /** @return the {@code CK_ULONG} value */
  public Optional<Long> ulong(long type) {
    byte[] v = values.get(type);
    return v == null || (v.length != 4 && v.length != 8) ? Optional.empty() : Optional.of(Ulong.decode(v));
  }

  /** @return the value decoded as UTF-8 */
  public Optional<String> string(long type) {
    byte[] v = values.get(type);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /** @return the attribute types read, for messages; values are never printed */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AttributeValues[");
    values.keySet().forEach(t -> sb.append(CKA.name(t)).append(' '));
    return sb.append(']').toString();
  }
}
