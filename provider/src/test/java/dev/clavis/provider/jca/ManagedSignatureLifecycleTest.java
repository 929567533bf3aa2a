package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every state of a key-pair version × {initSign, sign, initVerify}: signing follows the encrypt
 * column of the state table (ACTIVE only here), verifying the decrypt column (ACTIVE and
 * DEPRECATED), and a refusal names key, version and state.
 */
class ManagedSignatureLifecycleTest {

  @TempDir Path dir;
  KeyStore ks;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() throws Exception {
    ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(dir.resolve("life.clavis"), "pw".toCharArray()));
  }

  /** A state, how version 1 of key {@code k} is brought into it, and what it allows. */
  enum State {
    ACTIVE(true, true),
    DEPRECATED(false, true),
    SUSPENDED(false, false),
    REVOKED(false, false),
    COMPROMISED(false, false),
    PENDING_DESTRUCTION(false, false),
    DESTROYED(false, false);

    final boolean signs;
    final boolean verifies;

    State(boolean signs, boolean verifies) {
      this.signs = signs;
      this.verifies = verifies;
    }

    void enter(KeyStore ks, Keyring ring) throws Exception {
      KeyRef v1 = KeyRef.parse("k#1");
      switch (this) {
        case DEPRECATED:
          KeyPair b = KeyPairFixtures.Type.EC_P256.generate();
          ks.setKeyEntry("k", b.getPrivate(), null, KeyPairFixtures.chain(b, "k v2"));
          break;
        case SUSPENDED: ring.suspend(v1, "test"); break;
        case REVOKED: ring.revoke(v1, "test"); break;
        case COMPROMISED: ring.markCompromised(v1, "test"); break;
        case PENDING_DESTRUCTION: ring.scheduleDestruction(v1, Duration.ofDays(1), true); break; // below the 7-day minimum: forced
        case DESTROYED: ring.destroyNow(v1, true); break; // the primary may still sign: only forced
        default: break;
      }
    }
  }

  private ManagedPrivateKey setUp() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    ks.setKeyEntry("k", a.getPrivate(), null, KeyPairFixtures.chain(a, "k"));
    return (ManagedPrivateKey) ks.getKey("k#1", null);
  }

  private static void assertNames(Exception e, State s) {
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains(s.name()),
        "the refusal names key, version and state: " + e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void initSign_followsTheEncryptColumn(State s) throws Exception {
    ManagedPrivateKey h = setUp();
    s.enter(ks, h.keyring());
    Signature sig = Signature.getInstance("SHA256withECDSA");
    if (s.signs) {
      sig.initSign(h);
      sig.update(new byte[] {1});
      assertNotNull(sig.sign());
    } else {
      assertNames(assertThrows(InvalidKeyException.class, () -> sig.initSign(h)), s);
    }
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void sign_checksTheStateAtThatMoment(State s) throws Exception {
    ManagedPrivateKey h = setUp();
    Signature sig = Signature.getInstance("SHA256withECDSA");
    sig.initSign(h);
    sig.update(new byte[] {1});
    s.enter(ks, h.keyring());
    if (s.signs) {
      assertNotNull(sig.sign());
    } else {
      assertNames(assertThrows(SignatureException.class, sig::sign), s);
    }
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void initVerify_followsTheDecryptColumn(State s) throws Exception {
    ManagedPrivateKey h = setUp();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(h);
    signer.update(new byte[] {7});
    byte[] sig = signer.sign();
    ManagedPublicKey pub = h.keyring().publicKeyHandle(KeyRef.parse("k#1"));
    s.enter(ks, h.keyring());
    Signature v = Signature.getInstance("SHA256withECDSA");
    if (s.verifies) {
      v.initVerify(pub);
      v.update(new byte[] {7});
      assertTrue(v.verify(sig));
    } else {
      assertNames(assertThrows(InvalidKeyException.class, () -> v.initVerify(pub)), s);
    }
  }

  @Test
  void verify_afterRevocationDuringTheMessage_isRefused() throws Exception {
    ManagedPrivateKey h = setUp();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(h);
    signer.update(new byte[] {7});
    byte[] sig = signer.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(h.keyring().publicKeyHandle(KeyRef.parse("k#1")));
    v.update(new byte[] {7});
    h.keyring().revoke(KeyRef.parse("k#1"), "test");
    assertNames(assertThrows(SignatureException.class, () -> v.verify(sig)), State.REVOKED);
  }

  @Test
  void usageLimit_isCountedPerSignature_notPerInit() throws Exception {
    ManagedPrivateKey any = setUp();
    KeyPair a = KeyPairFixtures.Type.ED25519.generate();
    any.keyring().importKeyPair("limited", KeyAlgorithm.ED25519,
        KeyPairMaterial.of(a.getPrivate().getEncoded(), List.of(KeyPairFixtures.selfSigned(a, "l").getEncoded())),
        KeyPolicy.builder().usageLimit(2).build());
    Signature sig = Signature.getInstance("Ed25519");
    sig.initSign((ManagedPrivateKey) ks.getKey("limited", null));
    sig.update(new byte[] {1});
    sig.sign();
    sig.update(new byte[] {2});
    sig.sign();
    // the third message takes its use when it starts
    SignatureException e = assertThrows(SignatureException.class, () -> sig.update(new byte[] {3}));
    assertTrue(e.getMessage().contains("limited#1"), e.getMessage());
    assertThrows(InvalidKeyException.class, () -> sig.initSign((ManagedPrivateKey) ks.getKey("limited", null)));
  }

  @Test
  void plainKeys_areLeftToTheJdk_managedHandlesNeverReachIt() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    Signature plain = Signature.getInstance("SHA256withECDSA");
    plain.initSign(a.getPrivate());
    assertNotEquals("Clavis", plain.getProvider().getName());
    ManagedPrivateKey h = setUp();
    Signature sunEc = Signature.getInstance("SHA256withECDSA", "SunEC");
    assertThrows(InvalidKeyException.class, () -> sunEc.initSign(h), "SunEC cannot use a handle");
  }
}
