package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.WrongPasswordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyBackendTest {

  static final KdfParameters FAST = TestStores.FAST_KDF;
  static final char[] PW = "correct horse".toCharArray();

  @TempDir Path dir;
  Path store;
  byte[] envelope;

  @BeforeEach
  void makeStore() {
    store = dir.resolve("keys.clavis");
    try (Keyring k = Keyrings.openFile(store, PW, FAST)) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.create("reports", KeyAlgorithm.AES_128, KeyPolicy.defaults());
      envelope = k.encrypt("payments", "x".getBytes(), null);
    }
  }

  @AfterEach
  void clearHook() {
    AtomicFile.faultHook = null;
  }

  private Kind openKind(byte[] content) throws Exception {
    Path f = dir.resolve("probe.clavis");
    Files.write(f, content);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(f, PW));
    assertArrayEquals(content, Files.readAllBytes(f), "the file must be left untouched");
    assertFalse(e.getMessage().contains(new String(PW)));
    return e.kind();
  }

  @Test
  void open_wrongPassword_isWrongPassword_notDamage() throws Exception {
    byte[] before = Files.readAllBytes(store);
    WrongPasswordException e = assertThrows(WrongPasswordException.class,
        () -> Keyrings.openFile(store, "wrong".toCharArray()));
    assertTrue(e.getMessage().contains("wrong password"));
    assertArrayEquals(before, Files.readAllBytes(store));
  }

  @Test
  void open_everySingleByteChanged_isDetectedAsDamage() throws Exception {
    byte[] good = Files.readAllBytes(store);
    for (int i = 0; i < good.length; i += Math.max(1, good.length / 97)) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Kind k = openKind(bad);
      assertTrue(k == Kind.DAMAGED || k == Kind.NOT_A_STORE || k == Kind.UNSUPPORTED_VERSION
          || k == Kind.KDF_LIMITS || k == Kind.TRUNCATED, "byte " + i + ": " + k);
    }
  }

  @Test
  void open_truncated_isTruncated() throws Exception {
    byte[] good = Files.readAllBytes(store);
    for (int len : new int[] {good.length - 1, good.length / 2, 40, 5}) {
      assertEquals(Kind.TRUNCATED, openKind(Arrays.copyOf(good, len)), "length " + len);
    }
  }

  @Test
  void open_truncatedAtEveryHeaderLength_isTruncated() throws Exception {
    byte[] good = Files.readAllBytes(store);
    int headerLength = 24 + (good[23] & 0xFF) + 12 + 48 + 8 + 4 + 8 + 32;
    for (int len = 1; len <= headerLength + 1; len++) {
      assertEquals(Kind.TRUNCATED, openKind(Arrays.copyOf(good, len)), "length " + len);
    }
  }

  @Test
  void open_otherFormats_areNotAStore() throws Exception {
    assertEquals(Kind.NOT_A_STORE, openKind("hello, world, this is text".getBytes()));
    assertEquals(Kind.NOT_A_STORE, openKind(new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30, 0x00}));
    assertEquals(Kind.NOT_A_STORE, openKind(new byte[0]));
  }

  @Test
  void open_futureFormat_isUnsupportedVersion() throws Exception {
    byte[] b = Files.readAllBytes(store);
    b[9] = 2;
    assertEquals(Kind.UNSUPPORTED_VERSION, openKind(b));
  }

  /** Rewrites the checksum so only the keyed checks can notice a change. */
  private static byte[] reseal(byte[] b) throws Exception {
    int saltLen = b[23] & 0xFF;
    int headerLength = 24 + saltLen + 12 + 48 + 8 + 4 + 8 + 32;
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
    byte[] body = d.digest(Arrays.copyOfRange(b, headerLength, b.length - 32));
    d.update(b, 0, headerLength);
    byte[] t = d.digest(body);
    System.arraycopy(t, 0, b, b.length - 32, 32);
    return b;
  }

  /**
   * Re-encrypts the metadata blob after {@code edit} with keys derived from the known password and
   * recomputes the header MAC and checksum: a forgery by someone holding the master key.
   */
  private static byte[] forgeBlob(byte[] b, java.util.function.Consumer<ByteBuffer> edit) throws Exception {
    int saltLen = b[23] & 0xFF;
    int prefix = 24 + saltLen;
    byte[] salt = Arrays.copyOfRange(b, 24, prefix);
    byte[] pwKey = dev.clavis.engine.argon2.Argon2.hash(dev.clavis.engine.argon2.Argon2Type.ARGON2ID,
        new String(PW).getBytes(java.nio.charset.StandardCharsets.UTF_8), salt, null, null, 1, 64, 1, 32);
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(pwKey, "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, b, prefix, 12));
    c.updateAAD(b, 0, prefix);
    byte[] master = c.doFinal(b, prefix + 12, 48);
    javax.crypto.Mac h = javax.crypto.Mac.getInstance("HmacSHA256");
    h.init(new javax.crypto.spec.SecretKeySpec(master, "HmacSHA256"));
    byte[] metaKey = h.doFinal("clavis/v1/metadata".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] macKey = h.doFinal("clavis/v1/header-mac".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    int genOffset = prefix + 12 + 48;
    int blobLength = ByteBuffer.wrap(b, genOffset + 8, 4).getInt();
    int macOffset = genOffset + 8 + 4 + 8;
    int headerLength = macOffset + 32;
    byte[] aad = "clavis-store/v1/blob".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] gen = Arrays.copyOfRange(b, genOffset, genOffset + 8);
    javax.crypto.spec.GCMParameterSpec iv = new javax.crypto.spec.GCMParameterSpec(128, b, headerLength, 12);
    javax.crypto.spec.SecretKeySpec k = new javax.crypto.spec.SecretKeySpec(metaKey, "AES");
    c.init(javax.crypto.Cipher.DECRYPT_MODE, k, iv);
    c.updateAAD(aad);
    c.updateAAD(gen);
    byte[] plain = c.doFinal(b, headerLength + 12, blobLength - 12);
    edit.accept(ByteBuffer.wrap(plain));
    // a fresh cipher: SunJCE refuses to encrypt twice under one key and IV, rightly
    javax.crypto.Cipher e = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    e.init(javax.crypto.Cipher.ENCRYPT_MODE, k, iv);
    e.updateAAD(aad);
    e.updateAAD(gen);
    e.doFinal(plain, 0, plain.length, b, headerLength + 12);
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
    byte[] body = d.digest(Arrays.copyOfRange(b, headerLength, b.length - 32));
    h.init(new javax.crypto.spec.SecretKeySpec(macKey, "HmacSHA256"));
    h.update(b, 0, macOffset);
    System.arraycopy(h.doFinal(body), 0, b, macOffset, 32);
    return reseal(b);
  }

  @Test
  void open_forgedButAuthenticMetadataLengths_isTampered_notARuntimeException() throws Exception {
    byte[] good = Files.readAllBytes(store);
    // control: an unchanged re-encryption opens
    Path f = dir.resolve("control.clavis");
    Files.write(f, forgeBlob(good.clone(), in -> { }));
    Files.copy(dir.resolve(store.getFileName() + ".audit"), dir.resolve("control.clavis.audit")); // its own log
    Keyrings.openFile(f, PW).close();
    assertEquals(Kind.TAMPERED, openKind(forgeBlob(good.clone(), in -> in.putInt(0, -1))));
    assertEquals(Kind.TAMPERED, openKind(forgeBlob(good.clone(), in -> in.putInt(0, Integer.MAX_VALUE))));
    assertEquals(Kind.TAMPERED, openKind(forgeBlob(good.clone(), in -> {
      int docLen = in.getInt(0);
      in.putInt(4 + docLen, Integer.MAX_VALUE); // the index count
    })));
    assertEquals(Kind.TAMPERED, openKind(forgeBlob(good.clone(), in -> {
      int docLen = in.getInt(0);
      int nl = in.getShort(8 + docLen) & 0xFFFF;
      in.put(8 + docLen + 2 + nl + 4, (byte) 0xFF); // the first entry's algorithm
    })));
  }

  @Test
  void open_changeWithRecomputedChecksum_isTampered() throws Exception {
    byte[] b = Files.readAllBytes(store);
    b[b.length - 40] ^= 1; // inside the last key record
    assertEquals(Kind.TAMPERED, openKind(reseal(b)));
    byte[] g = Files.readAllBytes(store);
    int genOffset = 24 + 16 + 12 + 48;
    g[genOffset + 7] ^= 1; // the generation: a rollback or replay of the counter
    assertEquals(Kind.TAMPERED, openKind(reseal(g)));
  }

  @Test
  void auditVerify_afterWholeFileRollback_reportsRollback() throws Exception {
    byte[] v1 = Files.readAllBytes(store);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.revoke(KeyRef.of("payments", 1), "incident");
      k.rotate("reports", null);
      assertTrue(k.auditLog().verify() > 0);
    }
    // a whole old copy is self-consistent; the audit log, which outlived it, shows the rollback:
    // the store no longer opens, so the revoked version cannot act as ACTIVE again
    Files.write(store, v1);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(store, PW));
    assertEquals(Kind.ROLLED_BACK, e.kind());
    assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
    assertArrayEquals(v1, Files.readAllBytes(store), "the file is left as it was");
  }

  @Test
  void open_forgedKdfParameters_areCappedBeforeAnyWork() throws Exception {
    byte[] b = Files.readAllBytes(store);
    ByteBuffer.wrap(b).putInt(15, 64 * 1024 * 1024); // m = 64 GiB
    long t0 = System.nanoTime();
    assertEquals(Kind.KDF_LIMITS, openKind(reseal(b)));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "must fail before deriving");
    byte[] c = Files.readAllBytes(store);
    ByteBuffer.wrap(c).putInt(11, 1_000_000); // t
    assertEquals(Kind.KDF_LIMITS, openKind(reseal(c)));
  }

  @Test
  void migrateKdf_toPbkdf2_upgradesInPlace_keysIntact() throws Exception {
    Keyrings.migrateKdf(store, PW, KdfParameters.pbkdf2(1000).allowingWeak());
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals("x", new String(k.decrypt(envelope, null)));
    }
    FileKeyBackend b = FileKeyBackend.open(store, PW, null);
    assertEquals(KdfParameters.pbkdf2(1000), b.kdf());
    b.close();
    assertThrows(WrongPasswordException.class, () -> Keyrings.migrateKdf(store, "bad".toCharArray(), FAST));
  }

  @Test
  void changePassword_oldStopsWorking() {
    Keyrings.changePassword(store, PW, "new one".toCharArray());
    assertThrows(WrongPasswordException.class, () -> Keyrings.openFile(store, PW));
    try (Keyring k = Keyrings.openFile(store, "new one".toCharArray())) {
      assertEquals(2, k.list().size());
    }
  }

  @Test
  void defaultKdf_isArgon2idT3M64MiBP4() {
    assertEquals(KdfParameters.argon2id(3, 65536, 4), KdfParameters.defaults());
    assertEquals(600_000, KdfParameters.pbkdf2().iterations());
  }

  @Test
  void crashBetweenWriteAndRename_leavesOldStateIntact() throws Exception {
    byte[] before = Files.readAllBytes(store);
    Keyring k = Keyrings.openFile(store, PW);
    AtomicFile.faultHook = p -> {
      if (p.equals("after-write")) {
        throw new IllegalStateException("simulated crash at " + p);
      }
    };
    assertThrows(RuntimeException.class, () -> k.rotate("payments", null));
    AtomicFile.faultHook = null;
    assertArrayEquals(before, Files.readAllBytes(store));
    k.close();
    try (Keyring again = Keyrings.openFile(store, PW)) {
      assertEquals(1, again.find("payments").orElseThrow().versions().size());
    }
  }

  @Test
  void crashAfterRename_newStateIsThere() throws Exception {
    Keyring k = Keyrings.openFile(store, PW);
    AtomicFile.faultHook = p -> {
      if (p.equals("after-rename")) {
        throw new IllegalStateException("simulated crash at " + p);
      }
    };
    assertThrows(RuntimeException.class, () -> k.rotate("payments", null));
    AtomicFile.faultHook = null;
    try (Keyring again = Keyrings.openFile(store, PW)) {
      assertEquals(2, again.find("payments").orElseThrow().versions().size());
    }
  }

  @Test
  void twoHandles_seeEachOthersChanges() throws Exception {
    try (Keyring a = Keyrings.openFile(store, PW); Keyring b = Keyrings.openFile(store, PW)) {
      a.rotate("payments", null);
      Thread.sleep(30);
      assertEquals(2, b.find("payments").orElseThrow().versions().size());
      b.revoke(KeyRef.of("payments", 2), "x");
      a.create("third", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      Thread.sleep(30);
      assertEquals(KeyState.REVOKED, a.find("payments").orElseThrow().version(2).orElseThrow().state());
      assertEquals(3, b.list().size());
    }
  }

  @Test
  void twoProcesses_writingAtOnce_loseNoUpdate() throws Exception {
    int perProcess = 15;
    List<Process> ps = new ArrayList<>();
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String who : new String[] {"a", "b"}) {
      ps.add(new ProcessBuilder(java, "-cp", cp, StoreWriterMain.class.getName(), store.toString(),
          new String(PW), who, Integer.toString(perProcess)).redirectErrorStream(true).start());
    }
    for (int i = 0; i < perProcess; i++) {
      try (Keyring k = Keyrings.openFile(store, PW)) {
        k.rotate("payments", "parent " + i);
      }
    }
    for (Process p : ps) {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child timed out");
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.exitValue(), out);
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(2 + 2 * perProcess, k.list().size(), "every create of both children is there");
      assertEquals(1 + perProcess, k.find("payments").orElseThrow().versions().size(), "every parent rotation");
      assertEquals(k.auditLog().events().size(), k.auditLog().verify());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"after-write", "after-rename"})
  void jvmKilledAtFaultPoint_storeOpensWithOldOrNewStateWhole(String point) throws Exception {
    byte[] before = Files.readAllBytes(store);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Dclavis.store.fault=" + point, "-cp", System.getProperty("java.class.path"),
        StoreWriterMain.class.getName(), store.toString(), new String(PW), "killed", "1")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(86, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    if (point.equals("after-write")) {
      assertArrayEquals(before, Files.readAllBytes(store), "the store is untouched before the rename");
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(point.equals("after-rename"), k.find("killed-0").isPresent());
      assertEquals("x", new String(k.decrypt(envelope, null)));
      assertTrue(k.auditLog().verify() > 0);
    }
    try (var ds = Files.newDirectoryStream(dir, ".keys.clavis.*.tmp")) {
      assertFalse(ds.iterator().hasNext(), "the stray temporary file was removed at open");
    }
  }

  @Test
  void streamImage_roundTripsThroughWriteToAndFromBytes() throws Exception {
    FileKeyBackend b = FileKeyBackend.open(store, PW, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.writeTo(out, "other".toCharArray());
    b.close();
    FileKeyBackend m = FileKeyBackend.fromBytes(out.toByteArray(), "other".toCharArray());
    assertTrue(m.material(KeyRef.of("payments", 1)).isPresent());
    m.close();
    assertThrows(WrongPasswordException.class, () -> FileKeyBackend.fromBytes(out.toByteArray(), PW));
  }

  @Test
  void rekey_refusesAKdfBeyondTheCostCap_andTheStoreStillOpens() throws Exception {
    Path f = dir.resolve("cap.clavis");
    char[] pw = TestStores.PASSWORD.toCharArray();
    Keyrings.openFile(f, pw, TestStores.FAST_KDF).close();
    byte[] before = Files.readAllBytes(f);
    KdfParameters costly = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, 100, 65_536, 1).allowingWeak();
    try (FileKeyBackend b = FileKeyBackend.open(f, pw, null)) {
      assertThrows(IllegalArgumentException.class, () -> b.rekey(pw, null, costly, null));
    }
    assertArrayEquals(before, Files.readAllBytes(f), "nothing written");
    Keyrings.openFile(f, pw).close();
  }
}
