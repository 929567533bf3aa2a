package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.spec.KeyringParameter;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on managed key pairs: getting the private key out of a handle (encoding, another
 * provider, serialization, a PKCS12 copy), planting another key behind a victim's certificate, and
 * grafting a CA reply for a foreign key onto a version.
 */
class KeyPairHandleAttackTest {

  @TempDir Path dir;
  KeyStore ks;
  KeyPair victim;
  ManagedPrivateKey handle;

  @BeforeAll
  static void providers() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static Certificate[] chain(KeyPair kp, String cn) throws Exception {
    return new Certificate[] {SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(1))};
  }

  @BeforeEach
  void store() throws Exception {
    ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(dir.resolve("victim.clavis"), "pw".toCharArray()));
    victim = ec();
    ks.setKeyEntry("tls", victim.getPrivate(), null, chain(victim, "victim"));
    handle = (ManagedPrivateKey) ks.getKey("tls", null);
  }

  @Test
  void handle_hasNoEncodingAndNoPrivateValue() {
    assertNull(handle.getEncoded());
    assertNull(handle.getFormat());
    assertFalse(handle instanceof ECPrivateKey, "no getS() to read the scalar from");
    String s = ((ECPrivateKey) victim.getPrivate()).getS().toString(16);
    assertFalse(handle.toString().contains(s));
  }

  @Test
  void otherProviders_cannotSignWithTheHandle() throws Exception {
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA", "SunEC").initSign(handle));
    assertThrows(InvalidKeyException.class,
        () -> Signature.getInstance("SHA256withECDSA", new BouncyCastleProvider()).initSign(handle));
  }

  @Test
  void serialization_isRefused() {
    assertThrows(NotSerializableException.class,
        () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(handle));
  }

  @Test
  void copyingTheEntryIntoPkcs12_getsNoKey() throws Exception {
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    p12.load(null, null);
    assertThrows(KeyStoreException.class,
        () -> p12.setKeyEntry("stolen", handle, "x".toCharArray(), ks.getCertificateChain("tls")));
  }

  @Test
  void attackerKeyBehindTheVictimsCertificate_isRefused() throws Exception {
    KeyPair attacker = ec();
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("tls", attacker.getPrivate(), null, ks.getCertificateChain("tls")));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    assertEquals("1", ks.getEntry("tls", null).getAttributes().stream()
        .filter(a -> a.getName().equals("clavis.version")).findFirst().orElseThrow().getValue());
  }

  @Test
  void caReplyForAForeignKey_isNotGraftedOntoAnyVersion() throws Exception {
    KeyPair foreign = ec();
    Certificate[] before = ks.getCertificateChain("tls");
    assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("tls", handle, null, chain(foreign, "victim")));
    assertEquals(before[0], ks.getCertificate("tls"));
  }

  @Test
  void signatureFromTheHandle_isTheVictimKeys() throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign((PrivateKey) handle);
    s.update(new byte[] {9});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
    v.initVerify(victim.getPublic());
    v.update(new byte[] {9});
    assertTrue(v.verify(sig));
  }
}
