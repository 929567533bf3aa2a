package dev.clavis.keyring;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An encryption context (AWS KMS's {@code EncryptionContext}): string pairs such as tenant, table
 * and purpose that an envelope or a wrapped data key is bound to. Not secret (it is stored in the
 * clear beside the data), but authenticated: opening needs the same context.
 *
 * <p>Canonical form, the bytes that are authenticated and stored (all integers big-endian):
 * <pre>
 * u16 count | count × ( u16 keyLength | key (UTF-8) | u16 valueLength | value (UTF-8) )
 * </pre>
 * entries sorted by the unsigned bytes of their UTF-8 keys, so equal maps always give equal bytes.
 * Keys are 1–255 bytes, values 0–1024 bytes, at most 64 entries; the empty context is {@code 00 00}.
 */
public final class EncryptionContext {

  /** At most this many pairs. */
  public static final int MAX_ENTRIES = 64;
  /** Longest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 255;
  /** Longest value, in UTF-8 bytes. */
  public static final int MAX_VALUE_BYTES = 1024;

  private static final EncryptionContext EMPTY = new EncryptionContext(Map.of(), new byte[2]);

  private final Map<String, String> entries;
  private final byte[] canonical;

  private EncryptionContext(Map<String, String> entries, byte[] canonical) {
    this.entries = entries;
    this.canonical = canonical;
  }

  /** @return the empty context (what an envelope without one is bound to) */
  public static EncryptionContext empty() {
    return EMPTY;
  }

  /**
   * @param context the pairs; null or empty for none
   * @return the validated context
   * @throws IllegalArgumentException for an empty or over-long key, an over-long value, a null,
   *     text that is not valid Unicode, or more than {@value #MAX_ENTRIES} pairs
   */
  public static EncryptionContext of(Map<String, String> context) {
    if (context == null || context.isEmpty()) {
      return EMPTY;
    }
    if (context.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("an encryption context holds at most " + MAX_ENTRIES + " pairs, got "
          + context.size());
    }
    TreeMap<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
    for (Map.Entry<String, String> e : context.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("an encryption context has no null keys or values");
      }
      byte[] k = utf8(e.getKey(), "key");
      byte[] v = utf8(e.getValue(), "value of " + e.getKey());
      if (k.length == 0 || k.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("an encryption context key is 1 to " + MAX_KEY_BYTES
            + " UTF-8 bytes, got " + k.length);
      }
      if (v.length > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("the encryption context value of " + e.getKey() + " is over "
            + MAX_VALUE_BYTES + " UTF-8 bytes");
      }
      sorted.put(k, v);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    putShort(out, sorted.size());
    Map<String, String> view = new LinkedHashMap<>();
    for (Map.Entry<byte[], byte[]> e : sorted.entrySet()) {
      putShort(out, e.getKey().length);
      out.writeBytes(e.getKey());
      putShort(out, e.getValue().length);
      out.writeBytes(e.getValue());
      view.put(new String(e.getKey(), StandardCharsets.UTF_8), new String(e.getValue(), StandardCharsets.UTF_8));
    }
    return new EncryptionContext(Collections.unmodifiableMap(view), out.toByteArray());
  }

  /**
   * Reads a canonical form back (from a stored header).
   *
   * @param data holds the canonical form at {@code offset}
   * @param offset where it starts
   * @param length its length
   * @return the context
   * @throws IllegalArgumentException if the bytes are not a canonical encoding (unsorted,
   *     duplicate keys, bad lengths or UTF-8, trailing bytes)
   */
  public static EncryptionContext fromCanonical(byte[] data, int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(data, offset, length);
    try {
      int n = b.getShort() & 0xFFFF;
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String k = strictUtf8(b, b.getShort() & 0xFFFF);
        String v = strictUtf8(b, b.getShort() & 0xFFFF);
        if (m.put(k, v) != null) {
          throw new IllegalArgumentException("the stored encryption context repeats the key " + k);
        }
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("the stored encryption context has trailing bytes");
      }
      EncryptionContext c = of(m);
      if (!Arrays.equals(c.canonical, 0, c.canonical.length, data, offset, offset + length)) {
        throw new IllegalArgumentException("the stored encryption context is not in canonical order");
      }
      return c;
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the stored encryption context is cut short");
    }
  }

  /** @return a copy of the canonical bytes (what is authenticated) */
  public byte[] canonical() {
    return canonical.clone();
  }

  /** @return the length of the canonical bytes */
  public int canonicalLength() {
    return canonical.length;
  }

  /** @return the pairs in canonical order, unmodifiable */
  public Map<String, String> asMap() {
    return entries;
  }

  /** @return whether there are no pairs */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * @param given the context a caller supplied
   * @return the keys that are missing from, extra in, or different in {@code given}, for messages
   */
  public String differenceFrom(EncryptionContext given) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String g = given.entries.get(e.getKey());
      if (g == null) {
        s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(" missing");
      } else if (!g.equals(e.getValue())) {
        s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(" differs");
      }
    }
    for (String k : given.entries.keySet()) {
      if (!entries.containsKey(k)) {
        s.append(s.length() == 0 ? "" : ", ").append(k).append(" not expected");
      }
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionContext c && Arrays.equals(canonical, c.canonical);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(canonical);
  }

  /** @return {@code {k=v, ...}} in canonical order ({@code {}} for none); the context is not secret */
  @Override
  public String toString() {
    return entries.toString();
  }

  private static byte[] utf8(String s, String what) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
      return Arrays.copyOf(b.array(), b.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("an encryption context " + what + " is not valid Unicode");
    }
  }

  private static String strictUtf8(ByteBuffer b, int n) {
    ByteBuffer slice = b.slice(b.position(), n);
    b.position(b.position() + n);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the stored encryption context is not valid UTF-8");
    }
  }

  private static void putShort(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
