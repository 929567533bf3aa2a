package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.provider.x509.KeyPairRotation;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In process, over a watched file-store backend: {@code clavis rotate NAME --complete --cert FILE}
 * ({@link KeyPairTwoPhase#complete}) is one write: over a backend whose n-th write fails (nothing
 * written, as the SPI's contract says of a failed transaction), the store afterwards holds either
 * the staged rotation as it was or the completed one, never the CA's chain on a version that does
 * not sign yet. And {@code clavis show}'s certificates read no version's material.
 */
class KeyPairTwoPhaseCommitTest {

  static final KdfParameters KDF = KdfParameters.argon2id(1, 64, 1).allowingWeak();
  @TempDir Path dir;
  Path store;
  byte[] staged;
  byte[] reply;

  /** Forwards every call to a file store's backend; fails the {@code failAt}-th write, counting writes from 0, and counts material reads. */
  static final class Writes implements InvocationHandler {
    final KeyBackend inner;
    int failAt;
    int count;
    int materialReads;

    Writes(KeyBackend inner) {
      this.inner = inner;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      if (m.getName().equals("transact") && ++count == failAt) {
        throw new KeyringException("injected: the store's write failed");
      }
      if (m.getName().equals("material")) {
        materialReads++;
      }
      try {
        return m.invoke(inner, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  private KeyringEngine open(Writes[] handler) {
    Writes w = new Writes(FileKeyBackend.open(store, "pw".toCharArray(), KDF));
    handler[0] = w;
    KeyBackend b = (KeyBackend) Proxy.newProxyInstance(KeyBackend.class.getClassLoader(), new Class<?>[] {KeyBackend.class}, w);
    return new KeyringEngine(b, Clock.systemUTC(), Duration.ZERO);
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  @BeforeEach
  void stageARotation() throws Exception {
    store = dir.resolve("pairs.clavis");
    Writes[] w = new Writes[1];
    try (KeyringEngine ring = open(w)) {
      KeyPair a = ec();
      X509Certificate c = SelfSignedCertificate.create("CN=api.example", a.getPublic(), a.getPrivate(),
          Instant.now().minusSeconds(60), Duration.ofDays(90));
      ring.importKeyPair("api", KeyAlgorithm.EC_P256, KeyPairMaterial.of(a.getPrivate().getEncoded(),
          List.of(c.getEncoded())), KeyPolicy.defaults());
      KeyPairRotation.begin(ring, "api", null);
      staged = ring.certificates(KeyRef.of("api", 2)).get(0);
    }
    KeyPair ca = ec();
    PublicKey stagedKey = ((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(staged))).getPublicKey();
    reply = SelfSignedCertificate.create("CN=api.example,O=Renewed", stagedKey, (alg, tbs) -> {
      Signature s = Signature.getInstance(alg, "SunEC");
      s.initSign(ca.getPrivate());
      s.update(tbs);
      return s.sign();
    }, Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded();
    Files.write(dir.resolve("reply.der"), reply);
  }

  /** @return the rotation's state on disk, read by a keyring of its own */
  private String onDisk() {
    Writes[] w = new Writes[1];
    try (KeyringEngine ring = open(w)) {
      KeyInfo k = ring.find("api").orElseThrow();
      byte[] chain = ring.certificates(KeyRef.of("api", 2)).get(0);
      return "#1 " + k.version(1).orElseThrow().state() + ", #2 " + k.version(2).orElseThrow().state() + ", primary #"
          + k.primary().orElseThrow().version() + ", #2 certified by "
          + (Arrays.equals(chain, reply) ? "the CA" : Arrays.equals(chain, staged) ? "itself" : "?");
    }
  }

  @Test
  void complete_whicheverWriteFails_leavesTheStagedRotationOrTheCompletedOne_neverAMix() throws Exception {
    String before = "#1 ROTATING, #2 PRE_ACTIVE, primary #1, #2 certified by itself";
    String after = "#1 DEPRECATED, #2 ACTIVE, primary #2, #2 certified by the CA";
    assertEquals(before, onDisk());
    for (int n = 1; n <= 2; n++) {
      Writes[] w = new Writes[1];
      boolean failed;
      try (KeyringEngine ring = open(w)) {
        w[0].count = 0;
        w[0].failAt = n;
        try {
          KeyPairTwoPhase.complete(ring, "api", dir.resolve("reply.der").toString());
          failed = false;
        } catch (RuntimeException e) {
          assertTrue(String.valueOf(e.getMessage()).contains("injected"), e::toString);
          failed = true;
        }
      }
      assertEquals(failed ? before : after, onDisk(), "with write " + n + " failing");
      if (!failed) {
        return;
      }
    }
    throw new AssertionError("the completion failed at every write it made");
  }

  @Test
  void complete_isOneWrite() throws Exception {
    Writes[] w = new Writes[1];
    try (KeyringEngine ring = open(w)) {
      w[0].count = 0;
      KeyPairTwoPhase.complete(ring, "api", dir.resolve("reply.der").toString());
      assertEquals(1, w[0].count, "writes made by rotate --complete");
    }
    assertEquals("#1 DEPRECATED, #2 ACTIVE, primary #2, #2 certified by the CA", onDisk());
  }

  @Test
  void showsCertificates_ofEveryVersion_readNoMaterial_andSayWhatTheChainsSay() throws Exception {
    Writes[] w = new Writes[1];
    try (KeyringEngine ring = open(w)) {
      KeyInfo k = ring.find("api").orElseThrow();
      w[0].materialReads = 0;
      List<java.util.Map<String, Object>> shown = PairCommands.certificates(ring, k);
      assertEquals(0, w[0].materialReads, "material read to show certificates");
      assertEquals(2, shown.size());
      for (java.util.Map<String, Object> c : shown) {
        X509Certificate leaf = PairCommands.parse(ring.certificates(KeyRef.of("api", (Integer) c.get("version"))).get(0));
        assertEquals(leaf.getSubjectX500Principal().getName(), c.get("subject"));
        assertEquals(leaf.getIssuerX500Principal().getName(), c.get("issuer"));
        assertEquals(leaf.getNotBefore().toInstant().toString(), c.get("notBefore"));
        assertEquals(leaf.getNotAfter().toInstant().toString(), c.get("notAfter"));
        assertEquals(1, c.get("chainLength"));
      }
    }
  }
}
