package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import java.security.InvalidKeyException;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Managed HMAC: the lifecycle and the usage limit hold per MAC, not per {@code init} (issue 9 item 6). */
class ManagedHmacTest {

  static final byte[] DATA = "message".getBytes();
  KeyringEngine ring;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
        Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private Mac mac(KeyRef ref) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(ring.handle(ref));
    return m;
  }

  private static void assertNames(Throwable e, String ref, String what) {
    assertTrue(e.getMessage().contains(ref) && e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void usageLimit3_oneInit_givesExactlyThreeTags() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().usageLimit(3).autoRotate(false).build());
    Mac m = mac(KeyRef.of("m"));
    for (int i = 0; i < 3; i++) {
      assertEquals(32, m.doFinal(DATA).length);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.doFinal(DATA));
    assertNames(e, "m#1", "usage limit of 3");
    assertInstanceOf(InvalidKeyException.class, e.getCause());
    assertEquals(3, ring.find("m").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @Test
  void revokeAfterAMac_nextDoFinalOfTheSameMac_isRefusedNamingTheState() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    Mac m = mac(KeyRef.of("m"));
    m.doFinal(DATA);
    ring.revoke(KeyRef.of("m", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.doFinal(DATA));
    assertNames(e, "m#1", "REVOKED");
    // and stays refused, also through update
    assertThrows(IllegalStateException.class, () -> m.update(DATA));
  }

  @Test
  void revokeBetweenInitAndDoFinal_givesNoTag() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    Mac m = mac(KeyRef.of("m", 1));
    m.update(DATA);
    ring.suspend(KeyRef.of("m", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, m::doFinal);
    assertNames(e, "m#1", "SUSPENDED");
    ring.resume(KeyRef.of("m", 1));
    assertEquals(32, m.doFinal(DATA).length, "a resumed version MACs again with the same Mac");
  }

  @Test
  void rotationBetweenMacs_nameHandleMovesToTheNewPrimary() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().exportable(true).build());
    Mac m = mac(KeyRef.of("m"));
    m.doFinal(DATA);
    ring.rotate("m", null);
    byte[] tag = m.doFinal(DATA);
    Mac sun = Mac.getInstance("HmacSHA256", "SunJCE");
    sun.init(new SecretKeySpec(ring.exportKey(KeyRef.of("m", 2)), "HmacSHA256"));
    assertArrayEquals(sun.doFinal(DATA), tag);
    assertEquals(1, ring.find("m").orElseThrow().version(2).orElseThrow().usageCount());
  }

  @Test
  void deprecatedVersionHandle_stillVerifies_perOperation_andIsNotCounted() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    byte[] tag = mac(KeyRef.of("m")).doFinal(DATA);
    ring.rotate("m", null);
    Mac old = mac(KeyRef.of("m", 1));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(tag, old.doFinal(DATA));
    }
    assertEquals(1, ring.find("m").orElseThrow().version(1).orElseThrow().usageCount());
    ring.revoke(KeyRef.of("m", 1), "test");
    assertNames(assertThrows(IllegalStateException.class, () -> old.doFinal(DATA)), "m#1", "REVOKED");
  }

  @Test
  void resetAfterInit_keepsTheUseInitCounted() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    Mac m = mac(KeyRef.of("m"));
    m.update(DATA);
    m.reset();
    m.doFinal(DATA);
    assertEquals(1, ring.find("m").orElseThrow().version(1).orElseThrow().usageCount());
  }
}
