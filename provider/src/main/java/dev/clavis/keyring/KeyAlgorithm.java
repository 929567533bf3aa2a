package dev.clavis.keyring;

/** What a managed key is for, and its size. */
public enum KeyAlgorithm {
  /** AES with a 128-bit key: GCM encryption and key wrap. */
  AES_128("AES", 128),
  /** AES with a 192-bit key. */
  AES_192("AES", 192),
  /** AES with a 256-bit key (the default). */
  AES_256("AES", 256),
  /** HMAC-SHA256 with a 256-bit key. */
  HMAC_SHA256("HmacSHA256", 256);

  private final String jcaName;
  private final int bits;

  KeyAlgorithm(String jcaName, int bits) {
    this.jcaName = jcaName;
    this.bits = bits;
  }

  /** @return the JCA algorithm name of the key, {@code AES} or {@code HmacSHA256} */
  public String jcaName() {
    return jcaName;
  }

  /** @return the key size in bits */
  public int bits() {
    return bits;
  }
}
