package dev.clavis.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parsed PKCS#11 configuration file. Format, one {@code key = value} a line, {@code #} starts a
 * comment, blank lines are ignored:
 *
 * <pre>
 * name = softhsm
 * library = /usr/lib/softhsm/libsofthsm2.so
 * tokenLabel = clavis          # or: slot = 0 (a slot ID), or: slotListIndex = 0
 * pin = env:CLAVIS_PIN         # or: file:/path, or the PIN itself (tests only)
 * lockDir = /var/lock/clavis   # optional: where committers of the token lock (see below)
 * auditLog = /var/log/clavis/token.audit   # optional: default &lt;this file&gt;.audit
 * </pre>
 *
 * <p>{@code lockDir} is the directory of the per-token commit lock file (default
 * {@code ${java.io.tmpdir}/clavis-locks-${user.name}}); every process writing to the token must use
 * the same one. {@code auditLog} is the keyring's audit log (default: the configuration file's
 * path with {@code .audit} appended); every configuration of one token must name the same log.
 *
 * <p>Parsing fails closed: an unknown key, a repeated key, a line without {@code =}, a missing
 * {@code library}, or no (or more than one) token selector is an error naming the file and line.
 * Immutable; {@link #toString()} never shows the PIN.
 */
public final class Pkcs11Config {

  private static final Set<String> KEYS = Set.of("name", "library", "tokenLabel", "slot", "slotListIndex", "pin",
      "lockDir", "auditLog");

  private final Path source;
  private final String name;
  private final Path library;
  private final String tokenLabel;
  private final Long slotId;
  private final Integer slotListIndex;
  private final String pinSpec;
  private final Path lockDir;
  private final Path auditLog;

  private Pkcs11Config(Builder b) {
    this.source = b.source;
    this.name = b.name;
    this.library = b.library;
    this.tokenLabel = b.tokenLabel;
    this.slotId = b.slotId;
    this.slotListIndex = b.slotListIndex;
    this.pinSpec = b.pinSpec;
    this.lockDir = b.lockDir;
    this.auditLog = b.auditLog;
  }

  /**
   * Reads and checks a configuration file.
   *
   * @throws Pkcs11ConfigException naming the file, the line and the problem
   */
  public static Pkcs11Config parse(Path file) throws Pkcs11ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Pkcs11ConfigException("cannot read PKCS#11 configuration " + file + ": " + e, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (text.isEmpty()) {
        continue;
      }
      String where = file + " line " + (i + 1);
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw new Pkcs11ConfigException(where + ": expected 'key = value', got '" + redactIfPin(text) + "'");
      }
      String key = text.substring(0, eq).strip();
      String value = text.substring(eq + 1).strip();
      if (!KEYS.contains(key)) {
        throw new Pkcs11ConfigException(where + ": unknown key '" + key + "'; known keys: name, library,"
            + " tokenLabel, slot, slotListIndex, pin, lockDir, auditLog");
      }
      if (value.isEmpty()) {
        throw new Pkcs11ConfigException(where + ": '" + key + "' has no value");
      }
      if (values.put(key, value) != null) {
        throw new Pkcs11ConfigException(where + ": '" + key + "' is set twice");
      }
    }
    String lib = values.get("library");
    if (lib == null) {
      throw new Pkcs11ConfigException(file + ": missing 'library = /path/to/pkcs11-module.so'");
    }
    // the builder validates each value with IllegalArgumentException (Path.of too, for a NUL)
    try {
      Builder b = builder().source(file);
      b.name(values.getOrDefault("name", "token"));
      b.library(Path.of(lib));
      if (values.containsKey("tokenLabel")) {
        b.tokenLabel(values.get("tokenLabel"));
      }
      if (values.containsKey("slot")) {
        b.slotId(number(file, "slot", values.get("slot")));
      }
      if (values.containsKey("slotListIndex")) {
        long idx = number(file, "slotListIndex", values.get("slotListIndex"));
        if (idx > Integer.MAX_VALUE) {
          throw new Pkcs11ConfigException(file + ": 'slotListIndex' is too large");
        }
        b.slotListIndex((int) idx);
      }
      if (values.containsKey("pin")) {
        b.pin(values.get("pin"));
      }
      if (values.containsKey("lockDir")) {
        b.lockDir(Path.of(values.get("lockDir")));
      }
      if (values.containsKey("auditLog")) {
        b.auditLog(Path.of(values.get("auditLog")));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new Pkcs11ConfigException(file + ": " + e.getMessage());
    }
  }

  private static String redactIfPin(String text) {
    return text.startsWith("pin") ? "pin ***" : text;
  }

  private static long number(Path file, String key, String v) throws Pkcs11ConfigException {
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Pkcs11ConfigException(file + ": '" + key + "' must be a non-negative integer, got '" + v + "'");
    }
  }

  /** @return a builder, for configurations made in code */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the configuration's name, used in the configured provider's name */
  public String name() { return name; }

  /** @return the PKCS#11 module */
  public Path library() { return library; }

  /** @return the token label selecting the token, or null */
  public String tokenLabel() { return tokenLabel; }

  /** @return the slot ID selecting the token, if given */
  public OptionalLong slotId() { return slotId == null ? OptionalLong.empty() : OptionalLong.of(slotId); }

  /** @return the index into the list of slots with a token, or null */
  public Integer slotListIndex() { return slotListIndex; }

  /** @return the file this came from, or null */
  public Path source() { return source; }

  /** @return the directory of the token's commit lock, or null for the default */
  public Path lockDir() { return lockDir; }

  /**
   * @return the keyring's audit log: {@code auditLog} if set, else the source file's path with
   *     {@code .audit} appended, else null (a configuration made in code without one: in memory)
   */
  public Path auditLog() {
    if (auditLog != null) {
      return auditLog;
    }
    return source == null ? null : source.resolveSibling(source.getFileName() + ".audit");
  }

  /** @return whether the configuration names a PIN source */
  public boolean hasPin() { return pinSpec != null; }

  /**
   * Resolves the PIN: {@code env:VAR} reads the environment variable, {@code file:/path} the
   * file's first line, anything else is the PIN itself.
   *
   * @return a fresh array the caller wipes
   * @throws Pkcs11ConfigException if there is no PIN source, the variable is unset or the file unreadable
   */
  public char[] resolvePin() throws Pkcs11ConfigException {
    if (pinSpec == null) {
      throw new Pkcs11ConfigException(where() + "no 'pin' setting and no password given to KeyStore.load;"
          + " add 'pin = env:VAR' or pass the PIN as the load password");
    }
    if (pinSpec.startsWith("env:")) {
      String var = pinSpec.substring(4);
      String v = System.getenv(var);
      if (v == null || v.isEmpty()) {
        throw new Pkcs11ConfigException(where() + "'pin = env:" + var + "' but the environment variable " + var
            + " is not set");
      }
      return v.toCharArray();
    }
    if (pinSpec.startsWith("file:")) {
      Path p;
      try {
        p = Path.of(pinSpec.substring(5));
      } catch (IllegalArgumentException e) {
        throw new Pkcs11ConfigException(where() + "'pin = file:...' names an invalid path");
      }
      // a PIN is a line: read at most 4 KiB, so 'file:/dev/zero' cannot exhaust the heap
      try (java.io.InputStream in = Files.newInputStream(p)) {
        byte[] raw = in.readNBytes(4096);
        try {
          String s = new String(raw, StandardCharsets.UTF_8);
          int nl = s.indexOf('\n');
          s = (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "");
          if (s.isEmpty()) {
            throw new Pkcs11ConfigException(where() + "PIN file " + p + " is empty");
          }
          return s.toCharArray();
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
      } catch (IOException e) {
        throw new Pkcs11ConfigException(where() + "cannot read PIN file " + p + ": " + e.getClass().getSimpleName(), e);
      }
    }
    return pinSpec.toCharArray();
  }

  private String where() {
    return source == null ? "" : source + ": ";
  }

  @Override
  public String toString() {
    return "Pkcs11Config{name=" + name + ", library=" + library
        + (tokenLabel != null ? ", tokenLabel=" + tokenLabel : "")
        + (slotId != null ? ", slot=" + slotId : "")
        + (slotListIndex != null ? ", slotListIndex=" + slotListIndex : "")
        + ", pin=" + (pinSpec == null ? "none" : pinSpec.startsWith("env:") || pinSpec.startsWith("file:")
            ? pinSpec : "***") + "}";
  }

  /** Builds a {@link Pkcs11Config}; {@link #build()} checks that exactly one token selector is set. */
  public static final class Builder {
    private Path source;
    private String name = "token";
    private Path library;
    private String tokenLabel;
    private Long slotId;
    private Integer slotListIndex;
    private String pinSpec;
    private Path lockDir;
    private Path auditLog;

    private Builder() {}

    /** The directory of the token's commit lock file. */
    public Builder lockDir(Path v) { this.lockDir = Objects.requireNonNull(v, "lockDir"); return this; }

    /** The keyring's audit log file. */
    public Builder auditLog(Path v) { this.auditLog = Objects.requireNonNull(v, "auditLog"); return this; }

    /** The file the configuration came from, for messages. */
    public Builder source(Path v) { this.source = v; return this; }

    /** The name: letters, digits, {@code . _ -}. */
    public Builder name(String v) {
      if (!Objects.requireNonNull(v, "name").matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("'name' must be 1 to 64 letters, digits, '.', '_' or '-', got '" + v + "'");
      }
      this.name = v;
      return this;
    }

    /** The module's shared library. */
    public Builder library(Path v) { this.library = Objects.requireNonNull(v, "library"); return this; }

    /** Selects the token by label. */
    public Builder tokenLabel(String v) { this.tokenLabel = Objects.requireNonNull(v, "tokenLabel"); return this; }

    /** Selects the token by slot ID. */
    public Builder slotId(long v) { this.slotId = v; return this; }

    /** Selects the token by its index among slots with a token. */
    public Builder slotListIndex(int v) { this.slotListIndex = v; return this; }

    /** The PIN source: {@code env:VAR}, {@code file:/path} or the PIN itself. */
    public Builder pin(String v) { this.pinSpec = Objects.requireNonNull(v, "pin"); return this; }

    /** @return the configuration */
    public Pkcs11Config build() {
      if (library == null) {
        throw new IllegalArgumentException("missing 'library = /path/to/pkcs11-module.so'");
      }
      int selectors = (tokenLabel != null ? 1 : 0) + (slotId != null ? 1 : 0) + (slotListIndex != null ? 1 : 0);
      if (selectors != 1) {
        throw new IllegalArgumentException(selectors == 0
            ? "no token selected: add 'tokenLabel = LABEL' (or 'slot = ID')"
            : "select the token once: 'tokenLabel', 'slot' and 'slotListIndex' exclude each other");
      }
      return new Pkcs11Config(this);
    }
  }
}
