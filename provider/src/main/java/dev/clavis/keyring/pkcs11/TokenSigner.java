package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.spi.KeyMaterial.SignOperation;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.Mechanism;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signatures with a key-pair version's private key on the token, one {@code C_SignInit} +
 * {@code C_Sign} per message:
 *
 * <ul>
 *   <li>{@code SHA256withECDSA}, {@code SHA384withECDSA}: the digest is computed here (the SUN
 *       provider), {@code CKM_ECDSA} signs it, and its raw {@code r || s} becomes the DER
 *       {@code SEQUENCE {r, s}} the JCA names mean;
 *   <li>{@code SHA256withRSA}, {@code SHA384withRSA}: {@code CKM_SHA256_RSA_PKCS}, {@code CKM_SHA384_RSA_PKCS};
 *   <li>{@code RSASSA-PSS}: {@code CKM_SHA256_RSA_PKCS_PSS}/{@code CKM_SHA384_RSA_PKCS_PSS} with a
 *       {@code CK_RSA_PKCS_PSS_PARAMS} (MGF1 with the same hash);
 *   <li>{@code Ed25519}: {@code CKM_EDDSA} (pure Ed25519, no parameters).
 * </ul>
 */
final class TokenSigner implements SignOperation {

  private static final long CKG_MGF1_SHA256 = 0x2L;
  private static final long CKG_MGF1_SHA384 = 0x3L;

  /** {@code C_Sign} calls made by every signer of this process (tests, monitoring). */
  static final AtomicLong SIGN_CALLS = new AtomicLong();

  private final TokenKeyMaterial key;
  private final Mechanism mechanism;
  private final MessageDigest digest; // ECDSA only
  private final int fieldBytes; // ECDSA only
  private final ByteArrayOutputStream input = new ByteArrayOutputStream();

  private TokenSigner(TokenKeyMaterial key, Mechanism mechanism, MessageDigest digest, int fieldBytes) {
    this.key = key;
    this.mechanism = mechanism;
    this.digest = digest;
    this.fieldBytes = fieldBytes;
  }

  /**
   * @return a signer of {@code jcaAlgorithm} with {@code key}
   * @throws InvalidKeyException if the key's type does not make that signature
   * @throws InvalidAlgorithmParameterException for PSS parameters the token mechanisms do not take
   */
  static TokenSigner start(TokenKeyMaterial key, String jcaAlgorithm, AlgorithmParameterSpec params)
      throws GeneralSecurityException {
    KeyAlgorithm a = key.algorithm();
    String alg = jcaAlgorithm.toUpperCase(java.util.Locale.ROOT);
    switch (alg) {
      case "SHA256WITHECDSA":
      case "SHA384WITHECDSA":
        require(a == KeyAlgorithm.EC_P256 || a == KeyAlgorithm.EC_P384, key, jcaAlgorithm);
        return new TokenSigner(key, Mechanism.of(CKM.ECDSA), sha(alg.startsWith("SHA256") ? "SHA-256" : "SHA-384"),
            a == KeyAlgorithm.EC_P256 ? 32 : 48);
      case "SHA256WITHRSA":
      case "SHA384WITHRSA":
        require(a == KeyAlgorithm.RSA, key, jcaAlgorithm);
        return new TokenSigner(key, Mechanism.of(alg.startsWith("SHA256") ? CKM.SHA256_RSA_PKCS : CKM.SHA384_RSA_PKCS),
            null, 0);
      case "RSASSA-PSS":
        require(a == KeyAlgorithm.RSA, key, jcaAlgorithm);
        return new TokenSigner(key, pss(params), null, 0);
      case "ED25519":
      case "EDDSA":
        require(a == KeyAlgorithm.ED25519, key, jcaAlgorithm);
        return new TokenSigner(key, Mechanism.of(CKM.EDDSA), null, 0);
      default:
        throw new InvalidKeyException("the token signs no " + jcaAlgorithm + " with " + key.ref());
    }
  }

  private static void require(boolean ok, TokenKeyMaterial key, String jca) throws InvalidKeyException {
    if (!ok) {
      throw new InvalidKeyException("key " + key.ref() + " is " + key.algorithm() + ": it makes no " + jca);
    }
  }

  private static MessageDigest sha(String name) throws NoSuchAlgorithmException, NoSuchProviderException {
    return MessageDigest.getInstance(name, "SUN");
  }

  private static Mechanism pss(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
    if (!(params instanceof PSSParameterSpec)) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS on the token needs a PSSParameterSpec");
    }
    PSSParameterSpec p = (PSSParameterSpec) params;
    String hash = p.getDigestAlgorithm().toUpperCase(java.util.Locale.ROOT).replace("-", "");
    boolean sha256 = hash.equals("SHA256");
    if (!sha256 && !hash.equals("SHA384")) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS on the token takes SHA-256 or SHA-384, got "
          + p.getDigestAlgorithm());
    }
    if (!"MGF1".equalsIgnoreCase(p.getMGFAlgorithm()) || !(p.getMGFParameters() instanceof MGF1ParameterSpec)
        || !((MGF1ParameterSpec) p.getMGFParameters()).getDigestAlgorithm().toUpperCase(java.util.Locale.ROOT)
            .replace("-", "").equals(hash)) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS on the token takes MGF1 with the message's hash ("
          + p.getDigestAlgorithm() + ")");
    }
    if (p.getTrailerField() != 1) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS takes trailer field 1, got " + p.getTrailerField());
    }
    return Mechanism.rsaPss(sha256 ? CKM.SHA256_RSA_PKCS_PSS : CKM.SHA384_RSA_PKCS_PSS,
        sha256 ? CKM.SHA256 : CKM.SHA384, sha256 ? CKG_MGF1_SHA256 : CKG_MGF1_SHA384, p.getSaltLength());
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    if (digest != null) {
      digest.update(in, offset, length);
    } else {
      input.write(in, offset, length);
    }
  }

  /**
   * @throws SignatureException if the token refuses (its {@code CKA_SIGN} is false for a version
   *     whose state forbids signing) or fails, naming the version
   */
  @Override
  public byte[] sign() throws SignatureException {
    byte[] data = digest != null ? digest.digest() : input.toByteArray();
    input.reset();
    try {
      byte[] raw = key.backend().withKey(key, "sign", (s, h) -> {
        SIGN_CALLS.incrementAndGet();
        return s.sign(mechanism, h, data);
      });
      return digest != null ? derOf(raw) : raw;
    } catch (GeneralSecurityException e) {
      throw new SignatureException(e.getMessage(), e);
    }
  }

  /** @return {@code SEQUENCE {INTEGER r, INTEGER s}} of a raw {@code r || s} */
  private byte[] derOf(byte[] raw) throws SignatureException {
    if (raw.length != 2 * fieldBytes) {
      throw new SignatureException("the token's ECDSA signature with " + key.ref() + " is " + raw.length
          + " bytes, not " + 2 * fieldBytes);
    }
    byte[] r = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, fieldBytes)).toByteArray();
    byte[] s = new BigInteger(1, java.util.Arrays.copyOfRange(raw, fieldBytes, raw.length)).toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    integer(body, r);
    integer(body, s);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    length(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void integer(ByteArrayOutputStream o, byte[] v) {
    o.write(0x02);
    length(o, v.length);
    o.writeBytes(v);
  }

  private static void length(ByteArrayOutputStream o, int len) {
    if (len < 0x80) {
      o.write(len);
    } else {
      o.write(0x81);
      o.write(len);
    }
  }
}
