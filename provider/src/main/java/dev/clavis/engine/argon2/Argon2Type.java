package dev.clavis.engine.argon2;

/** The three Argon2 variants of RFC 9106 §3.1, with their type code y. */
public enum Argon2Type {
  /** Argon2d: data-dependent memory access (y = 0). */
  ARGON2D(0, "Argon2d"),
  /** Argon2i: data-independent memory access (y = 1). */
  ARGON2I(1, "Argon2i"),
  /** Argon2id: Argon2i for the first half of the first pass, then Argon2d (y = 2). */
  ARGON2ID(2, "Argon2id");

  private final int code;
  private final String algorithm;

  Argon2Type(int code, String algorithm) {
    this.code = code;
    this.algorithm = algorithm;
  }

  /** @return the type code y hashed into H0 and into address blocks (RFC 9106 §3.2, §3.4.1.2) */
  public int code() {
    return code;
  }

  /** @return the JCA algorithm name: {@code Argon2d}, {@code Argon2i} or {@code Argon2id} */
  public String algorithm() {
    return algorithm;
  }
}
