package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@code --verbose}: logs every call the CLI makes on the keyring (operation, key, version, the
 * resulting states, time taken) through {@link System.Logger} at {@code DEBUG}. A dynamic proxy,
 * so methods added to {@link Keyring} are logged without change here.
 *
 * <p>Never a secret: arguments and results are shown only for types known to be metadata (names,
 * references, durations, key and version descriptions); byte arrays appear as their length,
 * anything else as its type name.
 */
final class KeyringLog implements InvocationHandler {

  private static final System.Logger LOG = System.getLogger("dev.clavis.cli");

  private final Keyring target;

  private KeyringLog(Keyring target) {
    this.target = target;
  }

  /** @return {@code k} itself when debug logging is off, else a proxy that logs each call */
  static Keyring wrap(Keyring k) {
    if (!LOG.isLoggable(System.Logger.Level.DEBUG)) {
      return k;
    }
    return (Keyring) Proxy.newProxyInstance(Keyring.class.getClassLoader(), new Class<?>[] {Keyring.class}, new KeyringLog(k));
  }

  /**
   * Forwards the call and logs it.
   *
   * @throws Throwable what the keyring throws, unchanged
   */
  @Override
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    if (m.getDeclaringClass() == Object.class) {
      return m.invoke(target, args);
    }
    String call = m.getName() + "(" + arguments(args) + ")";
    long t0 = System.nanoTime();
    try {
      Object r = m.invoke(target, args);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      LOG.log(System.Logger.Level.DEBUG, () -> "keyring " + call + (m.getReturnType() == void.class ? "" : " -> " + show(r))
          + " (" + ms + " ms)");
      return r;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      // the exception's type and message only: Clavis messages carry no secret (STYLE.md rule 3)
      LOG.log(System.Logger.Level.DEBUG, () -> "keyring " + call + " failed: " + cause.getMessage());
      throw cause;
    }
  }

  private static String arguments(Object[] args) {
    if (args == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Object a : args) {
      parts.add(show(a));
    }
    return String.join(", ", parts);
  }

  /** Metadata as text; byte arrays (plaintext, envelopes, key material) only by their length. */
  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String || v instanceof KeyRef || v instanceof Number || v instanceof Boolean || v instanceof Enum) {
      return v.toString();
    }
    if (v instanceof Duration) {
      return Durations.format((Duration) v);
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).length + " bytes";
    }
    if (v instanceof KeyVersionInfo) {
      KeyVersionInfo i = (KeyVersionInfo) v;
      return i.ref() + " " + i.state();
    }
    if (v instanceof KeyInfo) {
      KeyInfo k = (KeyInfo) v;
      return k.name() + " " + k.algorithm() + ", " + k.versions().size() + " versions";
    }
    if (v instanceof Optional) {
      return ((Optional<?>) v).map(KeyringLog::show).orElse("none");
    }
    if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      if (c.size() <= 8 && c.stream().allMatch(x -> x instanceof KeyVersionInfo || x instanceof KeyInfo)) {
        List<String> parts = new ArrayList<>();
        c.forEach(x -> parts.add(show(x)));
        return "[" + String.join("; ", parts) + "]";
      }
      return c.size() + " items";
    }
    return "a " + v.getClass().getSimpleName();
  }
}
