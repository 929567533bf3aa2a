package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format-1 envelopes and wrapped keys written by the base code (resources {@code envelope/},
 * made by {@code MakeEnvelopeFixture.java.txt} at commit efec7cc, before format 2) still open,
 * rewrap, and refuse a context they were never bound to.
 */
class BaseEnvelopeFixtureTest {

  static final char[] PW = "fixture-password".toCharArray();
  static final KdfParameters KDF = KdfParameters.argon2id(1, 8, 1).allowingWeak();
  @TempDir Path dir;
  Path store;

  @BeforeEach
  void copy() throws Exception {
    store = dir.resolve("base-envelope.store");
    for (String f : new String[] {"base-envelope.store", "base-envelope.store.audit", "base-envelope.store.audit.head"}) {
      try (InputStream in = getClass().getResourceAsStream("/envelope/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = BaseEnvelopeFixtureTest.class.getResourceAsStream("/envelope/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void format1Envelopes_ofTheBaseCode_stillDecrypt() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW, KDF)) {
      assertEquals("base envelope with aad", new String(k.decrypt(resource("v1-envelope-aad.bin"),
          "fixture-aad".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
      assertEquals("base envelope", new String(k.decrypt(resource("v1-envelope.bin"), null), StandardCharsets.UTF_8));
      assertThrows(KeyringException.class, () -> k.decrypt(resource("v1-envelope-aad.bin"), "other".getBytes()));
    }
  }

  @Test
  void format1Envelope_givenAContext_isRefusedNamingIt() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW, KDF)) {
      EncryptionContextException e = assertThrows(EncryptionContextException.class,
          () -> k.decrypt(resource("v1-envelope.bin"), null, Map.of("tenant", "a"), false));
      assertTrue(e.getMessage().contains("{}"), e.getMessage());
    }
  }

  @Test
  void format1Envelope_rewraps_toFormat2UnderThePrimary() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW, KDF)) {
      byte[] re = k.rewrap(resource("v1-envelope.bin"), null);
      assertEquals(Envelope.FORMAT_2, re[3]);
      assertEquals(2, re[5 + 6 + 3], "under fx-kek#2");
      assertEquals("base envelope", new String(k.decrypt(re, null), StandardCharsets.UTF_8));
    }
  }

  @Test
  void format1WrappedKey_ofTheBaseCode_unwraps_andBulkRewrapKeepsFormat1() throws Exception {
    byte[] dek = HexFormat.of().parseHex(new String(resource("v1-wrapped-dek.hex"), StandardCharsets.US_ASCII).trim());
    try (Keyring k = Keyrings.openFile(store, PW, KDF)) {
      byte[] w = resource("v1-wrapped-dek.bin");
      assertArrayEquals(dek, k.unwrapDataKey(w));
      assertArrayEquals(dek, k.unwrapDataKey(w, Map.of()));
      assertThrows(EncryptionContextException.class, () -> k.unwrapDataKey(w, Map.of("row", "1")));
      byte[] re = k.rewrapDataKeys(List.of(w)).get(0);
      assertEquals(Envelope.FORMAT_1, re[3]);
      assertEquals(2, re[5 + 6 + 3]);
      assertArrayEquals(dek, k.unwrapDataKey(re));
    }
  }
}
