package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper evidence (issue 6 §2): a small store and its audit log, altered every way a byte-level
 * attacker can (each byte flipped in turn, truncated at every length, records swapped, dropped and
 * replayed), must each be refused with a {@link KeyringException} (a specific message) when the
 * store is opened and used, or when the audit log is verified: never accepted, never another
 * exception, and the file is left as it was.
 */
class TamperEvidenceTest {

  @TempDir Path dir;

  private Path store;
  private byte[] olderStore;
  private Map<Path, byte[]> original;
  private final Map<String, byte[]> envelopes = new LinkedHashMap<>();
  private final byte[] plain = "tamper test data".getBytes(StandardCharsets.US_ASCII);

  /** The outcome counts of one family of alterations. */
  private static final class Tally {
    final String what;
    int tried;
    final Map<String, Integer> detectedBy = new TreeMap<>();
    final List<String> accepted = new ArrayList<>();
    final List<String> crashed = new ArrayList<>();

    Tally(String what) {
      this.what = what;
    }

    int detected() {
      return detectedBy.values().stream().mapToInt(Integer::intValue).sum();
    }

    void check() {
      Map<String, Integer> top = new LinkedHashMap<>();
      detectedBy.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(4)
          .forEach(e -> top.put(e.getKey(), e.getValue()));
      System.err.printf("TamperEvidenceTest: %s: %d tried, %d detected, %d accepted, %d crashed; messages %s%n",
          what, tried, detected(), accepted.size(), crashed.size(), top);
      assertTrue(crashed.isEmpty(), what + ": not a KeyringException: " + crashed.subList(0, Math.min(5, crashed.size())));
      assertTrue(accepted.isEmpty(), what + ": accepted unnoticed: " + accepted.subList(0, Math.min(5, accepted.size())));
      assertEquals(tried, detected());
      assertTrue(tried > 0, what + ": nothing tried");
    }
  }

  @BeforeEach
  void smallStore() throws IOException {
    store = dir.resolve("small.store");
    try (Keyring k = TestStores.open(store)) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      envelopes.put("a#1", k.encrypt("a", plain, null));
      k.rotate("a", "tamper test");
      envelopes.put("a#2", k.encrypt("a", plain, null));
      olderStore = Files.readAllBytes(store);
      k.create("b", KeyAlgorithm.AES_128, KeyPolicy.builder().usageLimit(100).build());
      envelopes.put("b#1", k.encrypt("b", plain, null));
      k.revoke(KeyRef.of("a", 1), "tamper test");
      envelopes.remove("a#1");
    }
    original = snapshot();
  }

  private Map<Path, byte[]> snapshot() throws IOException {
    Map<Path, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          m.put(p, Files.readAllBytes(p));
        }
      }
    }
    return m;
  }

  private void restore(Path altered, byte[] content) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!original.containsKey(p)) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<Path, byte[]> e : original.entrySet()) {
      Files.write(e.getKey(), e.getKey().equals(altered) ? content : e.getValue());
    }
  }

  /** The audit log: the file beside the store that the store writes, with the most bytes. */
  private Path auditFile() {
    return original.entrySet().stream().filter(e -> !e.getKey().equals(store))
        .max((a, b) -> a.getValue().length - b.getValue().length).map(Map.Entry::getKey)
        .orElseThrow(() -> new AssertionError("no audit log beside the store: " + original.keySet()));
  }

  /** Opens the altered store and uses everything in it; any KeyringException counts as detection. */
  private void attempt(Tally t, String label, Path file, byte[] altered) throws IOException {
    t.tried++;
    restore(file, altered);
    try (Keyring k = TestStores.open(store)) {
      assertArrayEquals(altered, Files.readAllBytes(file), label + ": opening changed the altered file");
      k.list();
      k.auditLog().verify();
      for (byte[] env : envelopes.values()) {
        if (!Arrays.equals(plain, k.decrypt(env, null))) {
          t.accepted.add(label + " (decrypted to different data)");
          return;
        }
      }
      t.accepted.add(label);
    } catch (KeyringException e) {
      t.detectedBy.merge(category(e), 1, Integer::sum);
      if (!Arrays.equals(altered, Files.readAllBytes(file)) && !file.equals(auditFile())) {
        t.crashed.add(label + ": the refused file was modified");
      }
    } catch (RuntimeException | Error e) {
      t.crashed.add(label + ": " + e);
    }
  }

  /** The specific error: the damage kind of the store, or the exception type and its message's start. */
  private static String category(KeyringException e) {
    if (e instanceof StoreDamagedException) {
      return "StoreDamaged." + ((StoreDamagedException) e).kind();
    }
    String m = e.getMessage() == null ? "(no message)" : e.getMessage().replaceAll("[0-9]+", "N");
    return e.getClass().getSimpleName() + ": " + (m.length() > 50 ? m.substring(0, 50) : m);
  }

  private void eachByteFlipped(Path file, String what) throws IOException {
    byte[] bytes = original.get(file);
    Tally t = new Tally(what + " (" + bytes.length + " bytes), every byte flipped");
    for (int i = 0; i < bytes.length; i++) {
      byte[] b = bytes.clone();
      b[i] ^= (byte) (1 << (i % 8)) | 0x01;
      attempt(t, what + " byte " + i, file, b);
    }
    t.check();
  }

  private void eachLengthTruncated(Path file, String what) throws IOException {
    byte[] bytes = original.get(file);
    Tally t = new Tally(what + " (" + bytes.length + " bytes), truncated at every length");
    for (int len = 0; len < bytes.length; len++) {
      attempt(t, what + " truncated to " + len, file, Arrays.copyOf(bytes, len));
    }
    t.check();
  }

  @Test
  void store_everyByteFlipped_isDetected() throws IOException {
    eachByteFlipped(store, "store");
  }

  @Test
  void store_truncatedAtEveryLength_isDetected() throws IOException {
    eachLengthTruncated(store, "store");
  }

  /**
   * A deliberate attacker recomputes the unkeyed trailer checksum after the change, so the keyed
   * checks (the master key's GCM tag, the header MAC, the blob's and the records' GCM tags) must
   * catch it.
   */
  @Test
  void store_everyByteFlippedWithTrailerRecomputed_isDetected() throws IOException {
    byte[] bytes = original.get(store);
    StoreLayout layout = new StoreLayout(bytes);
    Tally t = new Tally("store (" + bytes.length + " bytes), every byte before the trailer flipped, trailer recomputed");
    for (int i = 0; i < layout.trailerOffset(); i++) {
      byte[] b = bytes.clone();
      b[i] ^= (byte) (1 << (i % 8)) | 0x01;
      attempt(t, "store byte " + i + " + trailer", store, StoreLayout.fixTrailer(b));
    }
    t.check();
  }

  @Test
  void store_recordsSwappedOrReplayed_areDetected() throws IOException {
    byte[] now = original.get(store);
    StoreLayout layout = new StoreLayout(now);
    StoreLayout old = new StoreLayout(olderStore);
    Tally t = new Tally("store, material records swapped, older header/body/file replayed");
    // Three records (a#1 and a#2: 60 bytes, b#1: 44 bytes) in an order only the encrypted index
    // knows: swap the two 60-byte records under each possible order, with and without the trailer fixed.
    int m = layout.materialOffset();
    int[][] orders = {{0, 60}, {0, 104}, {44, 104}};
    assertEquals(164, layout.materialLength(), "expected records of 60 + 60 + 44 bytes");
    for (int[] o : orders) {
      byte[] b = now.clone();
      System.arraycopy(now, m + o[0], b, m + o[1], 60);
      System.arraycopy(now, m + o[1], b, m + o[0], 60);
      attempt(t, "swap records at +" + o[0] + "/+" + o[1], store, b);
      attempt(t, "swap records at +" + o[0] + "/+" + o[1] + " + trailer", store, StoreLayout.fixTrailer(b));
    }
    // The first material record of the older file (sealed under the same key) replayed over each
    // record slot where it differs from what is there (an unchanged record is no replay).
    for (int slot : new int[] {0, 44, 60, 104}) {
      byte[] b = now.clone();
      System.arraycopy(olderStore, old.materialOffset(), b, m + slot, 60);
      if (!Arrays.equals(b, now)) {
        attempt(t, "older record replayed at +" + slot + " + trailer", store, StoreLayout.fixTrailer(b));
      }
    }
    // Older header with the newer body, and the reverse.
    attempt(t, "older header, newer body", store, StoreLayout.fixTrailer(StoreLayout.splice(olderStore, now)));
    attempt(t, "newer header, older body", store, StoreLayout.fixTrailer(StoreLayout.splice(now, olderStore)));
    // The whole older file, with the newer audit log beside it: a rollback.
    attempt(t, "whole older store (rollback)", store, olderStore);
    t.check();
  }

  @Test
  void auditLog_everyByteFlipped_isDetected() throws IOException {
    eachByteFlipped(auditFile(), "audit log");
  }

  @Test
  void auditLog_truncatedAtEveryLength_isDetected() throws IOException {
    eachLengthTruncated(auditFile(), "audit log");
  }

  @Test
  void auditLog_recordsSwappedDroppedOrReplayed_areDetected() throws IOException {
    Path audit = auditFile();
    List<byte[]> records = lines(original.get(audit));
    assertTrue(records.size() >= 4, "expected one audit record a line, found " + records.size());
    Tally t = new Tally("audit log (" + records.size() + " records), swapped, dropped, replayed");
    for (int i = 0; i + 1 < records.size(); i++) {
      int a = i;
      attempt(t, "swap " + a + "," + (a + 1), audit, join(records, r -> { swap(r, a, a + 1); return r; }));
    }
    for (int i = 0; i < records.size() - 1; i++) {
      int a = i;
      attempt(t, "drop " + a, audit, join(records, r -> { r.remove(a); return r; }));
    }
    for (int i = 0; i < records.size(); i++) {
      int a = i;
      attempt(t, "replay " + a + " at the end", audit, join(records, r -> { r.add(r.get(a)); return r; }));
      if (a + 1 < records.size()) {
        attempt(t, "replay " + a + " over " + (a + 1), audit, join(records, r -> { r.set(a + 1, r.get(a)); return r; }));
      }
    }
    t.check();
  }

  private static void swap(List<byte[]> r, int a, int b) {
    byte[] x = r.get(a);
    r.set(a, r.get(b));
    r.set(b, x);
  }

  /** Splits after each '\n', keeping the terminators. */
  static List<byte[]> lines(byte[] data) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n') {
        out.add(Arrays.copyOfRange(data, start, i + 1));
        start = i + 1;
      }
    }
    if (start < data.length) {
      out.add(Arrays.copyOfRange(data, start, data.length));
    }
    return out;
  }

  private static byte[] join(List<byte[]> records, UnaryOperator<List<byte[]>> edit) {
    List<byte[]> r = edit.apply(new ArrayList<>(records));
    int n = r.stream().mapToInt(x -> x.length).sum();
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] x : r) {
      System.arraycopy(x, 0, out, o, x.length);
      o += x.length;
    }
    return out;
  }

  /** Offsets in a version-1 store file (see FileKeyBackend's format comment). */
  static final class StoreLayout {
    private final int headerLength;
    private final long blobLength;
    private final long materialLength;
    private final int length;

    StoreLayout(byte[] f) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f);
      // magic 8 | u16 format | u8 kdf | u32 t | u32 m | u32 p | u8 salt length | salt | IV 12 | wrapped 48
      int saltLength = f[8 + 2 + 1 + 4 + 4 + 4] & 0xFF;
      int pos = 8 + 2 + 1 + 4 + 4 + 4 + 1 + saltLength + 12 + 48;
      pos += 8; // generation
      blobLength = b.getInt(pos) & 0xFFFFFFFFL;
      pos += 4;
      materialLength = b.getLong(pos);
      pos += 8 + 32; // header MAC
      headerLength = pos;
      length = f.length;
    }

    int materialOffset() {
      return (int) (headerLength + blobLength);
    }

    long materialLength() {
      return materialLength;
    }

    int trailerOffset() {
      return length - 32;
    }

    /** @return the file with its trailer SHA-256(header | SHA-256(body)) recomputed */
    static byte[] fixTrailer(byte[] f) {
      StoreLayout l = new StoreLayout(f);
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(f, l.headerLength, l.trailerOffset() - l.headerLength);
        byte[] body = sha.digest();
        sha.update(f, 0, l.headerLength);
        sha.update(body);
        byte[] out = f.clone();
        System.arraycopy(sha.digest(), 0, out, l.trailerOffset(), 32);
        return out;
      } catch (java.security.NoSuchAlgorithmException | RuntimeException e) {
        return f; // a layout the flip made unreadable: keep the (already detected) change as is
      }
    }

    /** @return the header of {@code head} followed by the body and trailer of {@code body} */
    static byte[] splice(byte[] head, byte[] body) {
      int h = new StoreLayout(head).headerLength;
      int hb = new StoreLayout(body).headerLength;
      byte[] out = new byte[h + body.length - hb];
      System.arraycopy(head, 0, out, 0, h);
      System.arraycopy(body, hb, out, h, body.length - hb);
      return out;
    }
  }
}
