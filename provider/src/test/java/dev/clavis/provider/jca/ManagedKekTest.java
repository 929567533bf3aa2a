package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KW and KWP with a managed KEK: its lifecycle is enforced, reached through plain getInstance. */
class ManagedKekTest {

  KeyringEngine ring;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(), Duration.ZERO);
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void wrapUnwrap_withManagedKek_matchesSunJce_andEnforcesState(String alg) throws Exception {
    ManagedKey kek = ring.handle(KeyRef.of("kek"));
    Key dek = new SecretKeySpec(new byte[32], "AES");
    Cipher w = Cipher.getInstance(alg);
    w.init(Cipher.WRAP_MODE, kek);
    assertEquals("Clavis", w.getProvider().getName());
    byte[] wrapped = w.wrap(dek);
    Cipher sun = Cipher.getInstance(alg, "SunJCE");
    sun.init(Cipher.UNWRAP_MODE, new SecretKeySpec(ring.exportKey(KeyRef.of("kek", 1)), "AES"));
    assertArrayEquals(dek.getEncoded(), sun.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
    assertEquals(1, ring.find("kek").orElseThrow().latest().usageCount());

    ring.rotate("kek", null); // #1 DEPRECATED: still unwraps through its exact handle
    Cipher u = Cipher.getInstance(alg);
    u.init(Cipher.UNWRAP_MODE, ring.handle(KeyRef.of("kek", 1)));
    assertArrayEquals(dek.getEncoded(), u.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
    InvalidKeyException refused = assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance(alg).init(Cipher.WRAP_MODE, ring.handle(KeyRef.of("kek", 1))));
    assertTrue(refused.getMessage().contains("kek#1") && refused.getMessage().contains("DEPRECATED"),
        refused.getMessage());

    ring.revoke(KeyRef.of("kek", 1), "test");
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance(alg).init(Cipher.UNWRAP_MODE, ring.handle(KeyRef.of("kek", 1))));
    assertTrue(e.getMessage().contains("kek#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  private static void assertNames(Throwable e, String ref, String what) {
    assertTrue(e.getMessage().contains(ref) && e.getMessage().contains(what), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void usageLimit3_oneInit_wrapsExactlyThreeTimes(String alg) throws Exception {
    ring.create("lim", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(3).autoRotate(false).build());
    Cipher w = Cipher.getInstance(alg);
    w.init(Cipher.WRAP_MODE, ring.handle(KeyRef.of("lim")));
    Key dek = new SecretKeySpec(new byte[16], "AES");
    for (int i = 0; i < 3; i++) {
      w.wrap(dek);
    }
    assertNames(assertThrows(InvalidKeyException.class, () -> w.wrap(dek)), "lim#1", "usage limit of 3");
    assertEquals(3, ring.find("lim").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void usageLimit3_oneInit_encryptsBytesExactlyThreeTimes(String alg) throws Exception {
    ring.create("lim", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(3).autoRotate(false).build());
    Cipher w = Cipher.getInstance(alg);
    w.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("lim")));
    for (int i = 0; i < 3; i++) {
      w.doFinal(new byte[16]);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.doFinal(new byte[16]));
    assertNames(e, "lim#1", "usage limit of 3");
    assertInstanceOf(InvalidKeyException.class, e.getCause());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void revokeBetweenOperations_nextWrapAndUnwrapOfTheSameCipher_areRefused(String alg) throws Exception {
    Key dek = new SecretKeySpec(new byte[16], "AES");
    Cipher w = Cipher.getInstance(alg);
    w.init(Cipher.WRAP_MODE, ring.handle(KeyRef.of("kek")));
    byte[] wrapped = w.wrap(dek);
    Cipher u = Cipher.getInstance(alg);
    u.init(Cipher.UNWRAP_MODE, ring.handle(KeyRef.of("kek")));
    u.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    ring.revoke(KeyRef.of("kek", 1), "test");
    assertNames(assertThrows(InvalidKeyException.class, () -> w.wrap(dek)), "kek#1", "REVOKED");
    assertNames(assertThrows(InvalidKeyException.class, () -> u.unwrap(wrapped, "AES", Cipher.SECRET_KEY)),
        "kek", "REVOKED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void suspendBetweenInitAndWrap_refuses_resumeWrapsAgainWithTheSameCipher(String alg) throws Exception {
    Key dek = new SecretKeySpec(new byte[16], "AES");
    Cipher w = Cipher.getInstance(alg);
    w.init(Cipher.WRAP_MODE, ring.handle(KeyRef.of("kek", 1)));
    ring.suspend(KeyRef.of("kek", 1), "test");
    assertNames(assertThrows(InvalidKeyException.class, () -> w.wrap(dek)), "kek#1", "SUSPENDED");
    ring.resume(KeyRef.of("kek", 1));
    byte[] wrapped = w.wrap(dek); // the KEK bytes wiped at the refusal are fetched again
    Cipher sun = Cipher.getInstance(alg, "SunJCE");
    sun.init(Cipher.UNWRAP_MODE, new SecretKeySpec(ring.exportKey(KeyRef.of("kek", 1)), "AES"));
    assertArrayEquals(dek.getEncoded(), sun.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
  }
}
