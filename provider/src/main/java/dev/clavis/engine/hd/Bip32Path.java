package dev.clavis.engine.hd;

/**
 * BIP32 derivation paths: {@code m}, then {@code /}-separated child indices; a step written with a
 * trailing {@code '}, {@code h} or {@code H}, or given as a number ≥ 2^31, is hardened.
 */
public final class Bip32Path {

  /** The hardened bit of a child number (BIP32 "Child key derivation functions"). */
  public static final int HARDENED = 0x80000000;
  /** The greatest depth a serialized key can record (one byte, BIP32 "Serialization format"). */
  public static final int MAX_DEPTH = 255;

  private Bip32Path() {}

  /**
   * Parses a path into child numbers (hardened ones with the top bit set).
   *
   * @throws IllegalArgumentException naming the defect and the offending step
   */
  public static int[] parse(String path) {
    if (path == null) {
      throw new IllegalArgumentException("path is null; use \"m\" for the key itself");
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("path is empty; use \"m\" for the key itself");
    }
    if (path.charAt(0) != 'm') {
      throw new IllegalArgumentException("path must start with \"m\", as in m/44'/0'/0'/0/7");
    }
    if (path.length() == 1) {
      return new int[0];
    }
    if (path.charAt(1) != '/') {
      throw new IllegalArgumentException("path must continue with \"/\" after \"m\", as in m/0'/1");
    }
    String[] steps = path.substring(2).split("/", -1);
    if (steps.length > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "path has " + steps.length + " steps; a BIP32 key is at most " + MAX_DEPTH + " levels deep");
    }
    int[] out = new int[steps.length];
    for (int i = 0; i < steps.length; i++) {
      out[i] = parseStep(steps[i], i + 1);
    }
    return out;
  }

  private static int parseStep(String s, int pos) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("path step " + pos + " is empty (two '/' in a row or a trailing '/')");
    }
    int end = s.length();
    boolean hardened = false;
    char last = s.charAt(end - 1);
    if (last == '\'' || last == 'h' || last == 'H') {
      hardened = true;
      end--;
      if (end > 0 && "'hH".indexOf(s.charAt(end - 1)) >= 0) {
        throw new IllegalArgumentException(
            "path step " + pos + " \"" + s + "\" has more than one hardened marker");
      }
    }
    if (end == 0) {
      throw new IllegalArgumentException("path step " + pos + " \"" + s + "\" has no index");
    }
    if (end > 10) {
      throw new IllegalArgumentException("path step " + pos + " \"" + s + "\" is out of range: indices are below 2^32");
    }
    long v = 0;
    for (int j = 0; j < end; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "path step " + pos + " \"" + s + "\" is not a non-negative decimal index"
                + (c == '-' ? " (negative indices do not exist)" : ""));
      }
      v = v * 10 + (c - '0');
    }
    if (hardened && v >= (1L << 31)) {
      throw new IllegalArgumentException(
          "path step " + pos + " \"" + s + "\" is out of range: a hardened index written with a marker must be below 2^31");
    }
    if (v >= (1L << 32)) {
      throw new IllegalArgumentException("path step " + pos + " \"" + s + "\" is out of range: indices are below 2^32");
    }
    return (int) (hardened ? v | HARDENED : v);
  }

  /** One step: {@code 5} or {@code 44'}. */
  public static String step(int index) {
    return (index & HARDENED) != 0 ? (index & ~HARDENED) + "'" : Integer.toString(index);
  }
}
