package dev.clavis.conformance.argon2;

import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Argon2KeySpec;
import java.security.spec.InvalidKeySpecException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Shared helpers: vector access, Clavis through JCA, and Bouncy Castle as an oracle. */
final class Argon2Vectors {

  static final ClavisProvider CLAVIS = new ClavisProvider();
  static final HexFormat HEX = HexFormat.of();

  private Argon2Vectors() {}

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> root, String key) {
    return (List<Map<String, Object>>) root.get(key);
  }

  static int integer(Map<String, Object> c, String key) {
    return Math.toIntExact((Long) c.get(key));
  }

  static String string(Map<String, Object> c, String key) {
    return (String) c.get(key);
  }

  static byte[] hex(Map<String, Object> c, String key) {
    Object v = c.get(key);
    return v == null ? null : HEX.parseHex((String) v);
  }

  static int version(Map<String, Object> c) {
    return Integer.decode(string(c, "version"));
  }

  /** "argon2id" and the like to the JCA algorithm name. */
  static String algorithm(String vectorType) {
    return type(vectorType).algorithm();
  }

  static Argon2Type type(String vectorType) {
    return Argon2Type.valueOf(vectorType.toUpperCase(Locale.ROOT));
  }

  /** Derives through {@code SecretKeyFactory.getInstance(algorithm, Clavis)}. */
  static byte[] clavis(String algorithm, byte[] password, byte[] salt, byte[] secret, byte[] ad,
      int t, int mKiB, int p, int tagLength) throws Exception {
    Argon2KeySpec spec = Argon2KeySpec.builder(password, salt)
        .iterations(t).memoryKiB(mKiB).parallelism(p).keyLengthBits(8 * tagLength)
        .secret(secret).associatedData(ad).build();
    try {
      return SecretKeyFactory.getInstance(algorithm, CLAVIS).generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }

  /** The message of the {@link InvalidKeySpecException} Clavis throws, or a failure. */
  static String rejection(String algorithm, byte[] password, byte[] salt, int t, int mKiB, int p,
      int tagLength) throws Exception {
    try {
      clavis(algorithm, password, salt, null, null, t, mKiB, p, tagLength);
    } catch (InvalidKeySpecException e) {
      return e.getMessage();
    }
    throw new AssertionError("Clavis accepted parameters that must be rejected");
  }

  static byte[] bouncyCastle(Argon2Type type, int version, byte[] password, byte[] salt,
      byte[] secret, byte[] ad, int t, int mKiB, int p, int tagLength) {
    int bcType = type == Argon2Type.ARGON2D ? Argon2Parameters.ARGON2_d
        : type == Argon2Type.ARGON2I ? Argon2Parameters.ARGON2_i : Argon2Parameters.ARGON2_id;
    Argon2Parameters.Builder b = new Argon2Parameters.Builder(bcType)
        .withVersion(version).withIterations(t).withMemoryAsKB(mKiB).withParallelism(p).withSalt(salt);
    if (secret != null) {
      b.withSecret(secret);
    }
    if (ad != null) {
      b.withAdditional(ad);
    }
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(b.build());
    byte[] out = new byte[tagLength];
    generator.generateBytes(password, out);
    return out;
  }
}
