package dev.clavis.keyring;

/**
 * What a managed key is for, and its size. Each constant has a stable {@link #code()}, the byte
 * stores write for it, independent of declaration order.
 */
public enum KeyAlgorithm {
  /** AES with a 128-bit key: GCM encryption and key wrap. */
  AES_128(0, "AES", 128),
  /** AES with a 192-bit key. */
  AES_192(1, "AES", 192),
  /** AES with a 256-bit key (the default). */
  AES_256(2, "AES", 256),
  /** HMAC-SHA256 with a 256-bit key. */
  HMAC_SHA256(3, "HmacSHA256", 256),
  /**
   * An opaque secret of 1 to 1024 bytes ({@link #bits()} is 0): a password from
   * {@code keytool -importpass}, or a key of an algorithm Clavis does not manage. Stored, listed,
   * exported when exportable, never used for an operation, never generated.
   */
  SECRET(4, "GENERIC", 0),
  /**
   * An EC key pair on NIST P-256 (secp256r1) with its certificate chain, stored as a
   * {@link KeyPairMaterial}; signs {@code SHA256withECDSA}/{@code SHA384withECDSA}.
   */
  EC_P256(5, "EC", 256, Kind.KEY_PAIR),
  /** An EC key pair on NIST P-384 (secp384r1) with its certificate chain. */
  EC_P384(6, "EC", 384, Kind.KEY_PAIR),
  /**
   * An RSA key pair of 2048 to 4096 bits ({@link #bits()} is 0: the size is the material's) with
   * its certificate chain; signs PKCS#1 v1.5 and PSS.
   */
  RSA(7, "RSA", 0, Kind.KEY_PAIR),
  /** An Ed25519 key pair (RFC 8032) with its certificate chain; the JCA name is {@code EdDSA}. */
  ED25519(8, "EdDSA", 255, Kind.KEY_PAIR),
  /**
   * A trusted certificate (a key store's {@code TrustedCertificateEntry}): the material is the
   * certificate's DER, public, never used for an operation.
   */
  CERTIFICATE(9, "X.509", 0, Kind.CERTIFICATE),
  /** HMAC-SHA384 with a 384-bit key: keys migrated from PKCS12/JCEKS (imported, and generated). */
  HMAC_SHA384(10, "HmacSHA384", 384),
  /** HMAC-SHA512 with a 512-bit key: keys migrated from PKCS12/JCEKS (imported, and generated). */
  HMAC_SHA512(11, "HmacSHA512", 512),
  /**
   * A BIP32 seed of 16 to 64 bytes ({@link #bits()} is 512, the size Clavis generates): the root
   * of managed HD keys ({@link Keyring#deriveKey}). Never used for an operation itself, never
   * exportable unless its policy says so, never rotated (a new seed is a new entry).
   */
  HD_SEED(12, "BIP32", 512),
  /**
   * A secp256k1 private key derived from an {@link #HD_SEED} (its 32-byte scalar); signs
   * {@code SHA256withECDSA} with RFC 6979 nonces and low S. Its derivation (seed, version, path)
   * is in {@link KeyMetadata#derivation()}; its operations also need the seed version's state.
   */
  SECP256K1(13, "EC", 256, Kind.DERIVED_KEY),
  /**
   * An ML-DSA-44 key pair (FIPS 204, NIST security category 2) with its certificate chain; signs
   * {@code ML-DSA} with the JDK's own implementation, so it needs JDK 24 or later ({@link MlDsa}).
   * {@link #bits()} is 0: the parameter set, not a key size, says its strength.
   */
  ML_DSA_44(14, "ML-DSA", 0, Kind.KEY_PAIR),
  /** An ML-DSA-65 key pair (FIPS 204, category 3); JDK 24 or later. */
  ML_DSA_65(15, "ML-DSA", 0, Kind.KEY_PAIR),
  /** An ML-DSA-87 key pair (FIPS 204, category 5); JDK 24 or later. */
  ML_DSA_87(16, "ML-DSA", 0, Kind.KEY_PAIR);

  /** The most bytes a {@link #SECRET} may hold. */
  public static final int MAX_SECRET_BYTES = 1024;

  /** The most bytes a key pair with its chain, or a certificate, may hold (a store record is at most 64 KiB). */
  public static final int MAX_PUBLIC_PART_BYTES = 60_000;

  /** What the material of an algorithm is. */
  public enum Kind {
    /** Symmetric key bytes. */
    SECRET_KEY,
    /** A private key with its certificate chain ({@link KeyPairMaterial}). */
    KEY_PAIR,
    /** A certificate only. */
    CERTIFICATE,
    /** A private key derived from an HD seed: its raw scalar, no certificate. */
    DERIVED_KEY
  }

  private final int code;
  private final String jcaName;
  private final int bits;
  private final Kind kind;

  KeyAlgorithm(int code, String jcaName, int bits) {
    this(code, jcaName, bits, Kind.SECRET_KEY);
  }

  KeyAlgorithm(int code, String jcaName, int bits, Kind kind) {
    this.code = code;
    this.jcaName = jcaName;
    this.bits = bits;
    this.kind = kind;
  }

  /** @return what the material of this algorithm is */
  public Kind kind() {
    return kind;
  }

  /** @return whether this is a key pair with a certificate chain */
  public boolean isKeyPair() {
    return kind == Kind.KEY_PAIR;
  }

  /** @return whether Clavis generates material of this algorithm itself (symmetric keys but {@link #SECRET} and {@link #HD_SEED}) */
  public boolean isGenerated() {
    return kind == Kind.SECRET_KEY && this != SECRET && this != HD_SEED;
  }

  /**
   * @return the stable code stores write for this algorithm (0..255; equal to the declaration
   *     order of the first release, so stores written then read unchanged); never reused
   */
  public int code() {
    return code;
  }

  /**
   * The algorithm a store's code names.
   *
   * @param code a code read from a store
   * @return the algorithm whose {@link #code()} is {@code code}, or empty for a code this Clavis does not know
   */
  public static java.util.Optional<KeyAlgorithm> fromCode(int code) {
    for (KeyAlgorithm a : values()) {
      if (a.code == code) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }

  /** @return the JCA algorithm name of the key: {@code AES}, {@code HmacSHA256}, {@code HmacSHA384}, {@code HmacSHA512}, {@code GENERIC}, {@code EC}, {@code RSA}, {@code EdDSA}, {@code X.509}, {@code BIP32}, {@code ML-DSA} */
  public String jcaName() {
    return jcaName;
  }

  /** @return whether this is an HMAC key (HmacSHA256, HmacSHA384, HmacSHA512) */
  public boolean isHmac() {
    return jcaName.startsWith("Hmac");
  }

  /** @return whether this is an AES key (GCM, key wrap) */
  public boolean isAes() {
    return jcaName.equals("AES");
  }

  /**
   * Whether material of a length fits this algorithm.
   *
   * @param length the material's length in bytes
   * @return whether material of {@code length} bytes fits this algorithm
   */
  public boolean acceptsLength(int length) {
    if (this == HD_SEED) {
      return length >= 16 && length <= 64; // BIP32: 128 to 512 bits
    }
    if (this == SECP256K1) {
      return length == 32;
    }
    if (kind != Kind.SECRET_KEY) {
      return length >= 1 && length <= MAX_PUBLIC_PART_BYTES;
    }
    return bits == 0 ? length >= 1 && length <= MAX_SECRET_BYTES : length * 8 == bits;
  }

  /** @return whether this is an ML-DSA key pair (FIPS 204: {@link #ML_DSA_44}, {@link #ML_DSA_65}, {@link #ML_DSA_87}) */
  public boolean isMlDsa() {
    return this == ML_DSA_44 || this == ML_DSA_65 || this == ML_DSA_87;
  }

  /** @return the key size in bits, 0 for a {@link #SECRET}, an {@link #RSA} key, an ML-DSA key or a {@link #CERTIFICATE} */
  public int bits() {
    return bits;
  }
}
