package dev.clavis.keyring;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Names a key ({@code payments}) or one of its versions ({@code payments#3}), as keystore aliases
 * and the CLI write them.
 */
public final class KeyRef {

  /** Documents the rule {@link #validName} implements. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  private final String name;
  private final int version; // 0 = the key as a whole

  private KeyRef(String name, int version) {
    this.name = name;
    this.version = version;
  }

  /**
   * Parses {@code name} or {@code name#N}.
   *
   * @param text the reference
   * @return the parsed reference
   * @throws IllegalArgumentException if the name has characters other than letters, digits and
   *     {@code . _ : / -}, is longer than 128, or the version is not a positive integer
   */
  public static KeyRef parse(String text) {
    Objects.requireNonNull(text, "key reference");
    int hash = text.indexOf('#');
    if (hash < 0) {
      return new KeyRef(checkName(text), 0);
    }
    String v = text.substring(hash + 1);
    int version;
    try {
      version = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("key version after '#' must be a positive integer, got '" + v + "'");
    }
    return of(text.substring(0, hash), version);
  }

  /**
   * A reference to the key as a whole.
   *
   * @param name the key's name
   * @return the reference
   * @throws IllegalArgumentException if the name is not valid (see {@link #parse})
   */
  public static KeyRef of(String name) {
    return new KeyRef(checkName(name), 0);
  }

  /**
   * A reference to one version of the key.
   *
   * @param name the key's name
   * @param version the version, from 1
   * @return the reference
   * @throws IllegalArgumentException if the name is not valid (see {@link #parse}) or the version is below 1
   */
  public static KeyRef of(String name, int version) {
    if (version < 1) {
      throw new IllegalArgumentException("key versions start at 1, got " + version);
    }
    return new KeyRef(checkName(name), version);
  }

  private static String checkName(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException(
          "invalid key name '" + name + "': use 1 to 128 letters, digits and . _ : / - (starting with a letter or digit)");
    }
    return name;
  }

  /** The same rule as {@link #NAME}, without a regex on the hot path of every {@code getKey}. */
  private static boolean validName(String n) {
    int len = n.length();
    if (len < 1 || len > 128) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = n.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '/' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /** @return the key's name */
  public String name() {
    return name;
  }

  /** @return the version, or empty when the reference names the key as a whole */
  public OptionalInt version() {
    return version == 0 ? OptionalInt.empty() : OptionalInt.of(version);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRef && ((KeyRef) o).name.equals(name) && ((KeyRef) o).version == version;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + version;
  }

  /** @return {@code name} or {@code name#N} */
  @Override
  public String toString() {
    return version == 0 ? name : name + "#" + version;
  }
}
