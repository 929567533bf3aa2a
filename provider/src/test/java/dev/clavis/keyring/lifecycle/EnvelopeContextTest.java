package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envelopes and wrapped data keys of format 2 are bound to their encryption context and to their
 * keyring: a wrong or missing context fails naming the context, data from another keyring fails
 * naming the keyring, and a stored context cannot be edited to match.
 */
class EnvelopeContextTest {

  static final byte[] PT = "row 17 of orders".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> ROW1 = Map.of("tenant", "acme", "row", "1");
  static final Map<String, String> ROW2 = Map.of("tenant", "acme", "row", "2");

  KeyringEngine ring;

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), java.time.Clock.systemUTC(), Duration.ZERO);
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  @Test
  void envelope_withItsContext_roundTrips_whateverTheMapOrder() {
    byte[] env = ring.encrypt("kek", PT, null, ROW1);
    assertArrayEquals(PT, ring.decrypt(env, null, Map.of("row", "1", "tenant", "acme"), false));
  }

  @Test
  void envelope_wrongContext_failsNamingTheContext_notTheKeyOrTheIntegrityCheck() {
    byte[] env = ring.encrypt("kek", PT, null, ROW1);
    EncryptionContextException e = assertThrows(EncryptionContextException.class,
        () -> ring.decrypt(env, null, ROW2, false));
    assertTrue(e.getMessage().contains("encryption context {row=1, tenant=acme}"), e.getMessage());
    assertTrue(e.getMessage().contains("row differs"), e.getMessage());
    assertFalse(e.getMessage().contains("integrity"), e.getMessage());
    assertFalse(e.getMessage().contains("kek"), e.getMessage());
    assertEquals(EncryptionContext.of(ROW1), e.bound());
  }

  @Test
  void envelope_missingContext_failsNamingTheContext() {
    byte[] env = ring.encrypt("kek", PT, null, ROW1);
    EncryptionContextException e = assertThrows(EncryptionContextException.class, () -> ring.decrypt(env, null));
    assertTrue(e.getMessage().contains("no context"), e.getMessage());
    byte[] plain = ring.encrypt("kek", PT, null);
    assertThrows(EncryptionContextException.class, () -> ring.decrypt(plain, null, ROW1, false));
  }

  @Test
  void envelope_storedContextEditedToMatchTheCallers_failsTheIntegrityCheck() {
    byte[] env = ring.encrypt("kek", PT, null, Map.of("row", "1"));
    byte[] forged = env.clone();
    int at = indexOf(forged, "row".getBytes(StandardCharsets.US_ASCII)) + 3 + 2; // the value "1"
    forged[at] = '2';
    KeyringException e = assertThrows(KeyringException.class, () -> ring.decrypt(forged, null, Map.of("row", "2"), false));
    assertFalse(e instanceof EncryptionContextException);
    assertTrue(e.getMessage().contains("integrity"), e.getMessage());
  }

  @Test
  void rewrap_keepsTheContext() {
    byte[] env = ring.encrypt("kek", PT, "aad".getBytes(), ROW1);
    ring.rotate("kek", null);
    assertThrows(EncryptionContextException.class, () -> ring.rewrap(env, "aad".getBytes(), ROW2));
    byte[] re = ring.rewrap(env, "aad".getBytes(), ROW1);
    assertEquals(2, re[11], "under kek#2");
    assertArrayEquals(PT, ring.decrypt(re, "aad".getBytes(), ROW1, false));
    assertThrows(EncryptionContextException.class, () -> ring.decrypt(re, "aad".getBytes()));
  }

  @Test
  void wrappedDataKeys_swappedBetweenRecordsWithDifferentContexts_areRefused() {
    DataKey k1 = ring.generateDataKey("kek", 256, ROW1);
    DataKey k2 = ring.generateDataKey("kek", 256, ROW2);
    assertArrayEquals(k1.plaintextKey(), ring.unwrapDataKey(k1.wrapped(), ROW1));
    // record 1 now carries record 2's wrapped key: opened with record 1's context it is refused
    EncryptionContextException e = assertThrows(EncryptionContextException.class,
        () -> ring.unwrapDataKey(k2.wrapped(), ROW1));
    assertTrue(e.getMessage().contains("wrapped data key") && e.getMessage().contains("row=2"), e.getMessage());
    // and editing the context stored in record 2's key to row=1 breaks its tag
    byte[] forged = k2.wrapped();
    forged[indexOf(forged, "row".getBytes(StandardCharsets.US_ASCII)) + 5] = '1';
    KeyringException f = assertThrows(KeyringException.class, () -> ring.unwrapDataKey(forged, ROW1));
    assertFalse(f instanceof EncryptionContextException);
  }

  @Test
  void wrappedDataKey_missingContext_failsNamingIt_andNoContextKeysStillWork() {
    DataKey k = ring.generateDataKey("kek", 128, ROW1);
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(k.wrapped()));
    DataKey plain = ring.generateDataKey("kek", 128);
    assertArrayEquals(plain.plaintextKey(), ring.unwrapDataKey(plain.wrapped()));
    // without a context a data key stays KWP (format 1), so a token can rewrap it without it
    // leaving the token (DataKeyRewrapper); a context needs format 2 (docs/envelope.md)
    assertEquals(Envelope.FORMAT_1, plain.wrapped()[3]);
    assertEquals(Envelope.FORMAT_2, k.wrapped()[3]);
  }

  @Test
  void bulkRewrap_keepsEachKeysContextAndFormat() {
    DataKey k1 = ring.generateDataKey("kek", 256, ROW1);
    DataKey k2 = ring.generateDataKey("kek", 192, ROW2);
    ring.rotate("kek", null);
    List<byte[]> re = ring.rewrapDataKeys(List.of(k1.wrapped(), k2.wrapped()));
    assertArrayEquals(k1.plaintextKey(), ring.unwrapDataKey(re.get(0), ROW1));
    assertArrayEquals(k2.plaintextKey(), ring.unwrapDataKey(re.get(1), ROW2));
    assertEquals(2, re.get(0)[11]);
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(re.get(1), ROW1));
  }

  @Test
  void envelopeAndWrappedKey_fromAnotherKeyring_failSayingSo_notIntegrity() {
    try (KeyringEngine other = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF),
        java.time.Clock.systemUTC(), Duration.ZERO)) {
      other.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = other.encrypt("kek", PT, null);
      KeyringException e = assertThrows(KeyringException.class, () -> ring.decrypt(env, null));
      assertTrue(e.getMessage().contains("another keyring"), e.getMessage());
      assertFalse(e.getMessage().contains("integrity"), e.getMessage());
      // a context-bound (format 2) data key names its keyring
      byte[] w = other.generateDataKey("kek", 256, ROW1).wrapped();
      KeyringException f = assertThrows(KeyringException.class, () -> ring.unwrapDataKey(w, ROW1));
      assertTrue(f.getMessage().contains("another keyring"), f.getMessage());
      assertThrows(KeyringException.class, () -> ring.rewrapDataKeys(List.of(w)));
      // a context-free (format 1, KWP) one carries no keyring id: it fails KWP's integrity check
      byte[] w1 = other.generateDataKey("kek", 256).wrapped();
      KeyringException g = assertThrows(KeyringException.class, () -> ring.unwrapDataKey(w1));
      assertTrue(g.getMessage().contains("integrity"), g.getMessage());
      // its own keyring still opens both
      assertArrayEquals(PT, other.decrypt(env, null));
    }
  }

  @Test
  void keyringId_editedToThisKeyrings_failsTheIntegrityCheck() {
    try (KeyringEngine other = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF),
        java.time.Clock.systemUTC(), Duration.ZERO)) {
      other.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = other.encrypt("kek", PT, null);
      byte[] mine = ring.encrypt("kek", PT, null);
      int idAt = Envelope.ivOffset(KeyRef.of("kek", 1)) + Envelope.IV_LENGTH;
      System.arraycopy(mine, idAt, env, idAt, Envelope.KEYRING_ID_LENGTH);
      KeyringException e = assertThrows(KeyringException.class, () -> ring.decrypt(env, null));
      assertTrue(e.getMessage().contains("integrity"), e.getMessage());
    }
  }

  @Test
  void malformedStoredContext_isRefusedAsMalformed() {
    byte[] env = ring.encrypt("kek", PT, null, Map.of("a", "b"));
    int ctxLenAt = Envelope.ivOffset(KeyRef.of("kek", 1)) + Envelope.IV_LENGTH + Envelope.KEYRING_ID_LENGTH;
    byte[] bad = env.clone();
    bad[ctxLenAt + 1] = (byte) 0xFF; // context length runs past the data
    assertThrows(KeyringException.class, () -> ring.decrypt(bad, null, Map.of("a", "b"), false));
    byte[] cut = java.util.Arrays.copyOf(env, ctxLenAt + 1);
    assertThrows(KeyringException.class, () -> ring.decrypt(cut, null));
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
