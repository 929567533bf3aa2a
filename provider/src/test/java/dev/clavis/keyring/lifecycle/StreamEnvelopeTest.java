package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.engine.stream.IndependentStream;
import dev.clavis.engine.stream.StreamIntegrityException;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming envelopes through the keyring: the data key is a format-2 wrapped key bound to the
 * context and keyring, the lifecycle applies, rewrap moves only the data key, and a stream made by
 * the keyring decrypts with nothing but the JDK and the documented format (KEK exported for it).
 */
class StreamEnvelopeTest {

  static final Map<String, String> CTX = Map.of("tenant", "acme", "file", "backup-17");
  KeyringEngine ring;
  @TempDir Path dir;

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), java.time.Clock.systemUTC(), Duration.ZERO);
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  byte[] data(int n) {
    byte[] d = new byte[n];
    new Random(n).nextBytes(d);
    return d;
  }

  byte[] encrypt(byte[] d, Map<String, String> ctx, byte[] aad, int segment) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = ring.newEncryptingStream("kek", ctx, aad, out, segment)) {
      s.write(d);
    }
    return out.toByteArray();
  }

  byte[] decrypt(byte[] s, Map<String, String> ctx, byte[] aad) throws Exception {
    try (InputStream in = ring.newDecryptingStream(new ByteArrayInputStream(s), ctx, aad, false)) {
      return in.readAllBytes();
    }
  }

  @Test
  void stream_roundTrips_withItsContextAndAad_atTheDefaultSegmentSize() throws Exception {
    byte[] d = data(600_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = ring.newEncryptingStream("kek", CTX, "aad".getBytes(), out)) {
      s.write(d);
    }
    assertArrayEquals(d, decrypt(out.toByteArray(), CTX, "aad".getBytes()));
  }

  @Test
  void stream_wrongOrMissingContext_failsNamingTheContext_beforeAnySegment() throws Exception {
    byte[] s = encrypt(data(100), CTX, null, 32);
    EncryptionContextException e = assertThrows(EncryptionContextException.class,
        () -> decrypt(s, Map.of("tenant", "acme", "file", "backup-18"), null));
    assertTrue(e.getMessage().startsWith("this stream is bound to the encryption context"), e.getMessage());
    assertThrows(EncryptionContextException.class, () -> decrypt(s, null, null));
  }

  @Test
  void stream_wrappedKeySwappedFromAnotherStream_isRefusedByContextOrTag() throws Exception {
    byte[] a = encrypt(data(100), CTX, null, 32);
    byte[] b = encrypt(data(100), Map.of("tenant", "other"), null, 32);
    int w = ((a[4] & 0xFF) << 8) | (a[5] & 0xFF);
    int wb = ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
    // a's segments under b's header fields: opened with b's context the key is b's, so a's segments fail
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    mixed.write(b, 0, 6 + wb + 4 + 39);
    mixed.write(a, 6 + w + 4 + 39, a.length - (6 + w + 4 + 39));
    assertThrows(StreamIntegrityException.class, () -> decrypt(mixed.toByteArray(), Map.of("tenant", "other"), null));
  }

  @Test
  void stream_underASuspendedVersion_isRefusedNamingTheState() throws Exception {
    byte[] s = encrypt(data(10), null, null, 32);
    ring.suspend(KeyRef.of("kek", 1), "audit");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> decrypt(s, null, null));
    assertTrue(e.getMessage().contains("SUSPENDED"), e.getMessage());
  }

  @Test
  void rewrapStream_movesTheDataKeyOnly_keepsContextAndSegments() throws Exception {
    byte[] d = data(1000);
    byte[] s = encrypt(d, CTX, null, 64);
    ring.rotate("kek", null);
    assertThrows(EncryptionContextException.class,
        () -> ring.rewrapStream(new ByteArrayInputStream(s), new ByteArrayOutputStream(), Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(KeyRef.of("kek", 2), ring.rewrapStream(new ByteArrayInputStream(s), out, CTX));
    byte[] re = out.toByteArray();
    int w = ((s[4] & 0xFF) << 8) | (s[5] & 0xFF);
    assertArrayEquals(Arrays.copyOfRange(s, 6 + w, s.length), Arrays.copyOfRange(re, 6 + w, re.length),
        "segments and stream parameters unchanged");
    ring.revoke(KeyRef.of("kek", 1), null);
    assertArrayEquals(d, decrypt(re, CTX, null));
    assertThrows(KeyUsageException.class, () -> decrypt(s, CTX, null));
  }

  @Test
  void channel_randomAccess_throughTheKeyring() throws Exception {
    byte[] d = data(5000);
    Path f = Files.write(dir.resolve("s.cls"), encrypt(d, CTX, null, 100));
    try (SeekableByteChannel c = ring.newDecryptingChannel(Files.newByteChannel(f), CTX, null)) {
      assertEquals(5000, c.size());
      ByteBuffer b = ByteBuffer.allocate(250);
      c.position(4321);
      assertEquals(250, c.read(b));
      assertArrayEquals(Arrays.copyOfRange(d, 4321, 4571), b.array());
    }
    assertThrows(EncryptionContextException.class, () -> ring.newDecryptingChannel(Files.newByteChannel(f), null, null));
  }

  @Test
  void notAStream_isRefusedAsMalformed() {
    assertThrows(KeyringException.class, () -> decrypt(ring.encrypt("kek", new byte[3], null), null, null));
    assertThrows(KeyringException.class, () -> decrypt(new byte[] {'C', 'L', 'S', 1, 0}, null, null));
  }

  @Test
  void keyringStreams_decryptFromTheDocumentedFormat_withTheJdkAlone() throws Exception {
    byte[] kek = ring.exportKey(KeyRef.of("kek", 1));
    Random r = new Random(99);
    for (int i = 0; i < 12; i++) {
      int p = 16 + r.nextInt(500);
      byte[] d = data(r.nextInt(6 * p));
      byte[] aad = i % 2 == 0 ? null : ("a" + i).getBytes();
      byte[] s = encrypt(d, CTX, aad, p);
      byte[] dek = unwrapFormat2(IndependentStream.wrappedKey(s), kek);
      assertArrayEquals(d, IndependentStream.decrypt(s, dek, aad), "p=" + p + " len=" + d.length);
    }
  }

  /** CLW 2 = "CLW" 02 | u8 n | name | u32 v | IV 12 | id 8 | u16 c | context | GCM(DEK) || tag; AAD = all before the payload. */
  static byte[] unwrapFormat2(byte[] w, byte[] kek) throws Exception {
    assertEquals('W', w[2]);
    assertEquals(2, w[3]);
    int n = w[4] & 0xFF;
    int iv = 5 + n + 4;
    int c = ((w[iv + 12 + 8] & 0xFF) << 8) | (w[iv + 12 + 8 + 1] & 0xFF);
    int payload = iv + 12 + 8 + 2 + c;
    Cipher g = Cipher.getInstance("AES/GCM/NoPadding");
    g.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, w, iv, 12));
    g.updateAAD(w, 0, payload);
    return g.doFinal(w, payload, w.length - payload);
  }
}
