package dev.clavis.keyring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What custodians approve: one operation on one store, with its exact parameters, a fresh nonce
 * and an expiry. The engine issues it (in {@link QuorumRequiredException}) for exactly the call it
 * refused, so the parameters are those of that call; custodians sign its {@link #canonical()} text,
 * so an approval counts for that operation only, once, and before it expires.
 *
 * <p>Canonical text, format 1 (UTF-8, each line ended by LF, parameters sorted by name):
 * <pre>
 * clavis-approval-request 1
 * store: 0f3a9c1d2e4b5a69
 * operation: destroy-now
 * key: payments#1
 * param.force: true
 * nonce: 32 hex digits
 * expires: 2026-12-08T10:00:00Z
 * </pre>
 */
public final class ApprovalRequest {

  private static final String HEADER = "clavis-approval-request 1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String store;
  private final String operation;
  private final String key;
  private final Map<String, String> params;
  private final String nonce;
  private final Instant expires;

  private ApprovalRequest(String store, String operation, String key, Map<String, String> params, String nonce,
      Instant expires) {
    this.store = field("store", store);
    this.operation = field("operation", operation);
    this.key = field("key", key);
    Map<String, String> p = new TreeMap<>();
    params.forEach((k, v) -> p.put(field("parameter name", k), field("parameter " + k, v)));
    this.params = java.util.Collections.unmodifiableMap(p);
    this.nonce = field("nonce", nonce);
    if (!nonce.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("an approval request's nonce is 32 lowercase hex digits");
    }
    this.expires = Objects.requireNonNull(expires, "expires");
  }

  /**
   * A new request with a fresh 128-bit nonce.
   *
   * @param store the store's id (hex)
   * @param operation what is to be done, e.g. {@code destroy-now}
   * @param key the key reference or {@code ""} for the store itself
   * @param params the call's parameters (no line breaks)
   * @param expires after this instant the approvals no longer count
   * @return the request
   * @throws IllegalArgumentException for a line break in a value
   */
  public static ApprovalRequest issue(String store, String operation, String key, Map<String, String> params,
      Instant expires) {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    return new ApprovalRequest(store, operation, key, params, HexFormat.of().formatHex(n), expires);
  }

  /**
   * Parses the canonical text, strictly: the text must be exactly what {@link #canonical()} writes.
   *
   * @param text a request file's content
   * @return the request
   * @throws IllegalArgumentException if it is not a canonical approval request
   */
  public static ApprovalRequest parse(String text) {
    String[] lines = text.split("\n", -1);
    try {
      if (lines.length < 7 || !lines[0].equals(HEADER) || !lines[lines.length - 1].isEmpty()) {
        throw new IllegalArgumentException("it does not start with '" + HEADER + "' or is cut short");
      }
      String store = value(lines[1], "store");
      String op = value(lines[2], "operation");
      String key = value(lines[3], "key");
      Map<String, String> params = new LinkedHashMap<>();
      int i = 4;
      for (; lines[i].startsWith("param."); i++) {
        int c = lines[i].indexOf(": ");
        if (c < 0) {
          throw new IllegalArgumentException("malformed line " + (i + 1));
        }
        params.put(lines[i].substring("param.".length(), c), lines[i].substring(c + 2));
      }
      if (i + 3 != lines.length) {
        throw new IllegalArgumentException("unexpected lines after the parameters");
      }
      String nonce = value(lines[i], "nonce");
      Instant exp = Instant.parse(value(lines[i + 1], "expires"));
      ApprovalRequest r = new ApprovalRequest(store, op, key, params, nonce, exp);
      if (!r.canonical().equals(text)) {
        throw new IllegalArgumentException("it is not in canonical form (parameters sorted, nothing added)");
      }
      return r;
    } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a Clavis approval request: malformed", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Clavis approval request: " + e.getMessage(), e);
    }
  }

  private static String value(String line, String name) {
    String p = name + ": ";
    if (!line.startsWith(p)) {
      throw new IllegalArgumentException("expected '" + name + ":' at '" + line + "'");
    }
    return line.substring(p.length());
  }

  private static String field(String what, String v) {
    Objects.requireNonNull(v, what);
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < 0x20) {
        throw new IllegalArgumentException("an approval request's " + what + " must not hold control characters");
      }
    }
    return v;
  }

  /** @return the canonical text custodians sign */
  public String canonical() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    b.append("store: ").append(store).append('\n');
    b.append("operation: ").append(operation).append('\n');
    b.append("key: ").append(key).append('\n');
    params.forEach((k, v) -> b.append("param.").append(k).append(": ").append(v).append('\n'));
    b.append("nonce: ").append(nonce).append('\n');
    b.append("expires: ").append(expires).append('\n');
    return b.toString();
  }

  /** @return lowercase hex SHA-256 of the canonical text: what the audit log records */
  public String digest() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(canonical().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * @param other another request
   * @return whether both ask for the same operation on the same store, key and parameters (nonce and expiry aside)
   */
  public boolean sameOperation(ApprovalRequest other) {
    return store.equals(other.store) && operation.equals(other.operation) && key.equals(other.key)
        && params.equals(other.params);
  }

  /** @return the store's id */
  public String store() {
    return store;
  }

  /** @return the operation */
  public String operation() {
    return operation;
  }

  /** @return the key reference, or {@code ""} for the store */
  public String key() {
    return key;
  }

  /** @return the parameters, sorted by name */
  public Map<String, String> params() {
    return params;
  }

  /** @return the nonce (32 hex digits) */
  public String nonce() {
    return nonce;
  }

  /** @return when the approvals stop counting */
  public Instant expires() {
    return expires;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApprovalRequest r && r.canonical().equals(canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  /** @return the operation, key and nonce (public data) */
  @Override
  public String toString() {
    return "ApprovalRequest{" + operation + " " + (key.isEmpty() ? "(store)" : key) + " " + params + " nonce "
        + nonce + " until " + expires + "}";
  }
}
