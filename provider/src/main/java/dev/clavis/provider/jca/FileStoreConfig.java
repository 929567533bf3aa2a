package dev.clavis.provider.jca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration naming a {@code Clavis} file store, for keytool's live path
 * {@code -storetype Clavis -keystore NONE -providerclass dev.clavis.provider.ClavisProvider
 * -providerarg store.conf}: keytool then calls {@code load(null, storepass)} and
 * {@code store(null, storepass)}, and the key store opens the named file live.
 *
 * <p>Format, one {@code key = value} a line, {@code #} starts a comment:
 *
 * <pre>
 * store = keys.clavis     # the store file; a relative path is resolved against this file's directory
 * create = false          # optional: true lets load() create a missing store (default: open existing only)
 * </pre>
 *
 * Parsing fails closed: an unknown or repeated key, a line without {@code =}, or a missing
 * {@code store} is an error naming the file and the line. Immutable.
 */
public final class FileStoreConfig {

  private static final Set<String> KEYS = Set.of("store", "create");

  private final Path source;
  private final Path store;
  private final boolean create;

  private FileStoreConfig(Path source, Path store, boolean create) {
    this.source = source;
    this.store = store;
    this.create = create;
  }

  /**
   * @param file a configuration file
   * @return whether it is a store configuration (it has a {@code store} key), as opposed to a
   *     PKCS#11 one; false if it cannot be read (the PKCS#11 parser then reports that)
   */
  public static boolean isStoreConfig(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = stripComment(line);
        int eq = l.indexOf('=');
        if (eq > 0 && l.substring(0, eq).trim().equals("store")) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * @param file the configuration file
   * @return the parsed configuration
   * @throws InvalidParameterException if the file is unreadable or invalid; the message names the
   *     file, the line and the problem
   */
  public static FileStoreConfig parse(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidParameterException("cannot read the Clavis store configuration " + file + ": " + e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = stripComment(lines.get(i));
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      String where = file + " line " + (i + 1);
      if (eq <= 0) {
        throw new InvalidParameterException(where + ": expected key = value");
      }
      String key = l.substring(0, eq).trim();
      String value = l.substring(eq + 1).trim();
      if (!KEYS.contains(key)) {
        throw new InvalidParameterException(where + ": unknown key '" + key + "' (a store configuration has "
            + "store and create)");
      }
      if (values.putIfAbsent(key, value) != null) {
        throw new InvalidParameterException(where + ": '" + key + "' is given twice");
      }
      if (value.isEmpty()) {
        throw new InvalidParameterException(where + ": '" + key + "' has no value");
      }
    }
    String s = values.get("store");
    if (s == null) {
      throw new InvalidParameterException(file + ": no 'store = <path>' line");
    }
    String c = values.getOrDefault("create", "false");
    if (!c.equals("true") && !c.equals("false")) {
      throw new InvalidParameterException(file + ": create must be true or false, got '" + c + "'");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path store = dir.resolve(s).normalize();
    return new FileStoreConfig(file, store, Boolean.parseBoolean(c));
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return (hash >= 0 ? line.substring(0, hash) : line).trim();
  }

  /** @return the store file (absolute) */
  public Path store() {
    return store;
  }

  /** @return whether {@code load} may create the store if it is missing */
  public boolean create() {
    return create;
  }

  /** @return the configuration file this came from */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public String toString() {
    return "FileStoreConfig{store=" + store + ", create=" + create + "}";
  }
}
