package dev.clavis.keyring.file;

import dev.clavis.engine.hd.Secp256k1Ecdsa;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA256withECDSA with a derived secp256k1 key held in memory: the JDK has no secp256k1 since
 * JDK 16, so the signature is Clavis's constant-time engine ({@link Secp256k1Ecdsa}: RFC 6979,
 * low S, DER). The scalar is copied per signature and wiped after it.
 */
final class Secp256k1Signing implements KeyMaterial.SignOperation {

  private final byte[] raw;
  private final MessageDigest digest;
  private final Secp256k1Ecdsa ecdsa = new Secp256k1Ecdsa();

  private Secp256k1Signing(byte[] raw, MessageDigest digest) {
    this.raw = raw;
    this.digest = digest;
  }

  /**
   * @param ref the version, for messages
   * @param raw the material, read (not copied) at each signature
   * @param jcaAlgorithm only {@code SHA256withECDSA}
   * @return a fresh operation
   * @throws InvalidKeyException for another algorithm
   */
  static Secp256k1Signing start(KeyRef ref, byte[] raw, String jcaAlgorithm) throws InvalidKeyException {
    if (!"SHA256withECDSA".equals(jcaAlgorithm)) {
      throw new InvalidKeyException("key " + ref + " is a secp256k1 key and signs SHA256withECDSA only, not "
          + jcaAlgorithm);
    }
    try {
      return new Secp256k1Signing(raw, MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      throw new InvalidKeyException("the JDK's SHA-256 is missing", e);
    }
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    digest.update(in, offset, length);
  }

  @Override
  public byte[] sign() {
    byte[] hash = digest.digest();
    byte[] k = raw.clone();
    try {
      return ecdsa.signDer(k, hash);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }
}
