package dev.clavis.keyring;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A custodian's Ed25519 signing key, kept in a file sealed under the custodian's passphrase.
 *
 * <p>Private key file, format 1:
 * <pre>
 * offset len  field
 *   0     8   magic "CLVCUSTK"
 *   8     1   format version 1
 *   9     4   Argon2id t (big-endian)
 *  13     4   m in KiB (big-endian)
 *  17     1   p
 *  18    16   salt
 *  34     2   length L of the public key (X.509), big-endian
 *  36     L   the public key, in the clear (it is public; the GCM tag covers it)
 *  36+L  12   GCM IV
 *  48+L  ..   AES-256-GCM under Argon2id(passphrase, salt, t, m, p) of the PKCS#8 private key, AAD = bytes 0..48+L
 * </pre>
 */
public final class CustodianKey implements AutoCloseable {

  private static final byte[] MAGIC = "CLVCUSTK".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** A passphrase shorter than this is refused when a key file is sealed. */
  public static final int MIN_PASSPHRASE = 8;

  private final PublicKey publicKey;
  private PrivateKey privateKey;

  private CustodianKey(PublicKey publicKey, PrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /** @return a new Ed25519 key pair from the JDK */
  public static CustodianKey generate() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new CustodianKey(kp.getPublic(), kp.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is missing from this JDK", e);
    }
  }

  /** @return the verification key the store registers */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** @return the custodian's id ({@link CustodianQuorum#id(byte[])}) */
  public String id() {
    return CustodianQuorum.id(publicKey.getEncoded());
  }

  byte[] sign(byte[] message) {
    if (privateKey == null) {
      throw new IllegalStateException("this custodian key was closed");
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot sign with custodian key " + id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Seals the private key under a passphrase.
   *
   * @param passphrase at least {@value #MIN_PASSPHRASE} characters; not kept
   * @param kdf Argon2id parameters (checked as for a store: weak ones only when allowed)
   * @return the key file's bytes
   * @throws IllegalArgumentException for a short passphrase, KDF parameters that are not Argon2id,
   *     or parameters above the limits an opener accepts (a file nobody could open)
   * @throws WeakKdfException for parameters below OWASP's minimums that were not allowed with
   *     {@link KdfParameters#allowingWeak()}
   */
  public byte[] seal(char[] passphrase, KdfParameters kdf) {
    if (passphrase.length < MIN_PASSPHRASE) {
      throw new IllegalArgumentException("a custodian passphrase has at least " + MIN_PASSPHRASE + " characters");
    }
    if (kdf.algorithm() != KdfParameters.Algorithm.ARGON2ID) {
      throw new IllegalArgumentException("a custodian key file is sealed with Argon2id");
    }
    KdfLimits.excess(kdf).ifPresent(why -> {
      throw new IllegalArgumentException("cannot seal custodian key " + id() + ": " + why);
    });
    KdfLimits.requireStrongEnough(kdf, "cannot seal custodian key " + id());
    byte[] salt = new byte[16];
    byte[] iv = new byte[12];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(iv);
    byte[] pub = publicKey.getEncoded();
    ByteBuffer h = ByteBuffer.allocate(48 + pub.length);
    h.put(MAGIC).put((byte) VERSION).putInt(kdf.iterations()).putInt(kdf.memoryKiB()).put((byte) kdf.parallelism())
        .put(salt).putShort((short) pub.length).put(pub).put(iv);
    byte[] header = h.array();
    byte[] k = derive(passphrase, salt, kdf.iterations(), kdf.memoryKiB(), kdf.parallelism());
    byte[] pkcs8 = privateKey.getEncoded();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(header);
      byte[] ct = c.doFinal(pkcs8);
      byte[] out = Arrays.copyOf(header, header.length + ct.length);
      System.arraycopy(ct, 0, out, header.length, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot seal the custodian key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(k, (byte) 0);
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Opens a sealed key file.
   *
   * @param file the key file's bytes
   * @param passphrase the custodian's passphrase; not kept
   * @return the key
   * @throws IllegalArgumentException if it is no custodian key file, or it was altered
   * @throws WrongPasswordException if the passphrase does not open it
   */
  public static CustodianKey open(byte[] file, char[] passphrase) {
    ByteBuffer b = ByteBuffer.wrap(file);
    if (file.length < 48 + 12 + 16 || !Arrays.equals(Arrays.copyOf(file, 8), MAGIC)) {
      throw new IllegalArgumentException("not a Clavis custodian key file");
    }
    b.position(8);
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new IllegalArgumentException("custodian key file format " + version + " is unknown to this Clavis");
    }
    int t = b.getInt();
    int m = b.getInt();
    int p = b.get() & 0xff;
    KdfParameters kdf = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, t, m, p);
    // a forged file must not make the opener exhaust memory: the store's KDF limits apply
    if (!kdf.valid() || KdfLimits.excess(kdf).isPresent()) {
      throw new IllegalArgumentException("the custodian key file asks for Argon2id t=" + t + ", m=" + m + " KiB, p=" + p
          + ", outside the accepted limits: refusing to derive");
    }
    byte[] salt = new byte[16];
    b.get(salt);
    int len = b.getShort() & 0xffff;
    if (file.length < 48 + len + 16) {
      throw new IllegalArgumentException("the custodian key file is cut short");
    }
    byte[] pub = new byte[len];
    b.get(pub);
    byte[] iv = new byte[12];
    b.get(iv);
    byte[] header = Arrays.copyOf(file, 48 + len);
    byte[] k = derive(passphrase, salt, t, m, p);
    byte[] pkcs8 = null;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(header);
      pkcs8 = c.doFinal(file, header.length, file.length - header.length);
      PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      CustodianKey key = new CustodianKey(CustodianQuorum.decode(pub), priv);
      key.checkPair();
      return key;
    } catch (AEADBadTagException e) {
      throw new WrongPasswordException("the passphrase does not open this custodian key file (or the file was altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the custodian key file is damaged: " + e.getMessage(), e);
    } finally {
      Arrays.fill(k, (byte) 0);
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /** The public key in the header must be the private key's: a sign-and-verify round. */
  private void checkPair() {
    byte[] probe = "clavis/v1/custodian-pair-check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(publicKey);
      v.update(probe);
      if (!v.verify(sign(probe))) {
        throw new IllegalArgumentException("the custodian key file's public key does not match its private key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the custodian key file is damaged: " + e.getMessage(), e);
    }
  }

  private static byte[] derive(char[] passphrase, byte[] salt, int t, int m, int p) {
    // encoded once: every buffer that held the passphrase's bytes is wiped below
    java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] pw = encoded.array();
    byte[] exact = Arrays.copyOf(pw, encoded.limit());
    try {
      return Argon2.hash(Argon2Type.ARGON2ID, exact, salt, null, null, t, m, p, 32);
    } finally {
      Arrays.fill(pw, (byte) 0);
      Arrays.fill(exact, (byte) 0);
    }
  }

  /** Forgets the private key (the JDK's Ed25519 private key is not destroyable; the reference goes). */
  @Override
  public void close() {
    privateKey = null;
  }

  /** @return the custodian's id, never the key */
  @Override
  public String toString() {
    return "CustodianKey{" + id() + "}";
  }

  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
