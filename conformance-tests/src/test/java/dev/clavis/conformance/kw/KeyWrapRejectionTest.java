package dev.clavis.conformance.kw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.Key;
import java.security.Provider;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejection, side by side with SunJCE: Clavis throws the named exception type with its own
 * message, and SunJCE the same type except where noted. Messages carry lengths and names only,
 * never key bytes.
 */
class KeyWrapRejectionTest {

  interface Action {
    void run(Provider p) throws Exception;
  }

  private static final byte[] KEK = new byte[32];

  static Cipher init(Provider p, String alg, int mode, Key kek) throws Exception {
    Cipher c = Cipher.getInstance(alg, p);
    c.init(mode, kek);
    return c;
  }

  static Key aes(int n) {
    return new SecretKeySpec(new byte[n], "AES");
  }

  /** A rejection on which SunJCE agrees on the exception type. */
  static Arguments same(String what, Action action, String type, String message) {
    return Arguments.of(what, action, type, message, type);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        same("KEK of 20 bytes",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.WRAP_MODE, aes(20)),
            "java.security.InvalidKeyException",
            "AES/KW/NoPadding needs a 128-, 192- or 256-bit AES KEK, got 20 bytes"),
        same("KEK of another algorithm",
            (Action) p -> init(p, "AES/KWP/NoPadding", Cipher.WRAP_MODE, new SecretKeySpec(KEK, "DESede")),
            "java.security.InvalidKeyException",
            "AES/KWP/NoPadding needs an AES KEK, got a key of algorithm DESede"),
        same("OID .5 with a 256-bit KEK",
            (Action) p -> init(p, "2.16.840.1.101.3.4.1.5", Cipher.WRAP_MODE, aes(32)),
            "java.security.InvalidKeyException",
            "AES_128/KW/NoPadding needs a 128-bit KEK, got a 256-bit one (use AES/KW/NoPadding for any KEK size)"),
        same("OID .48 with a 192-bit KEK",
            (Action) p -> init(p, "2.16.840.1.101.3.4.1.48", Cipher.UNWRAP_MODE, aes(24)),
            "java.security.InvalidKeyException",
            "AES_256/KWP/NoPadding needs a 256-bit KEK, got a 192-bit one (use AES/KWP/NoPadding for any KEK size)"),
        same("KW IV of 16 bytes",
            (Action) p -> Cipher.getInstance("AES/KW/NoPadding", p)
                .init(Cipher.WRAP_MODE, aes(16), new IvParameterSpec(new byte[16])),
            "java.security.InvalidAlgorithmParameterException",
            "AES/KW/NoPadding takes an 8-byte initial value (RFC 3394 §2.2.3), got 16 bytes"),
        Arguments.of("KWP IV other than A65959A6",
            (Action) p -> Cipher.getInstance("AES/KWP/NoPadding", p)
                .init(Cipher.WRAP_MODE, aes(16), new IvParameterSpec(new byte[4])),
            "java.security.InvalidAlgorithmParameterException",
            "AES/KWP/NoPadding initial value must be the RFC 5649 AIV constant A65959A6 (RFC 5649 §3 defines no alternative)",
            // SunJCE on JDK 17 takes any 4 bytes; since JDK 21 it refuses all but A65959A6, as Clavis does.
            null),
        same("KW wrap of 24+4 bytes",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.WRAP_MODE, aes(16)).wrap(new SecretKeySpec(new byte[28], "AES")),
            "javax.crypto.IllegalBlockSizeException",
            "AES/KW/NoPadding wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got 28 bytes; use AES/KWP/NoPadding for other lengths"),
        same("KW encrypt of 8 bytes",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.ENCRYPT_MODE, aes(16)).doFinal(new byte[8]),
            "javax.crypto.IllegalBlockSizeException",
            "AES/KW/NoPadding wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got 8 bytes; use AES/KWP/NoPadding for other lengths"),
        same("KW decrypt of 16 bytes",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.DECRYPT_MODE, aes(16)).doFinal(new byte[16]),
            "javax.crypto.IllegalBlockSizeException",
            "AES/KW/NoPadding unwraps a multiple of 8 bytes, at least 24, got 16 bytes"),
        same("KWP decrypt of 20 bytes",
            (Action) p -> init(p, "AES/KWP/NoPadding", Cipher.DECRYPT_MODE, aes(16)).doFinal(new byte[20]),
            "javax.crypto.IllegalBlockSizeException",
            "AES/KWP/NoPadding unwraps a multiple of 8 bytes, at least 16, got 20 bytes"),
        Arguments.of("KW decrypt of a forged ciphertext",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.DECRYPT_MODE, aes(16)).doFinal(new byte[24]),
            "javax.crypto.BadPaddingException",
            "integrity check failed",
            // SunJCE reports integrity failures from doFinal as IllegalBlockSizeException; the
            // contract (and Bouncy Castle) use BadPaddingException.
            "javax.crypto.IllegalBlockSizeException"),
        Arguments.of("KWP decrypt of a forged ciphertext",
            (Action) p -> init(p, "AES/KWP/NoPadding", Cipher.DECRYPT_MODE, aes(24)).doFinal(new byte[32]),
            "javax.crypto.BadPaddingException",
            "integrity check failed",
            // SunJCE reports integrity failures from doFinal as IllegalBlockSizeException; the
            // contract (and Bouncy Castle) use BadPaddingException.
            "javax.crypto.IllegalBlockSizeException"),
        same("KW unwrap of a forged ciphertext",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.UNWRAP_MODE, aes(32)).unwrap(new byte[40], "AES", Cipher.SECRET_KEY),
            "java.security.InvalidKeyException",
            "integrity check failed"),
        same("KWP unwrap of a forged single block",
            (Action) p -> init(p, "AES/KWP/NoPadding", Cipher.UNWRAP_MODE, aes(32)).unwrap(new byte[16], "AES", Cipher.SECRET_KEY),
            "java.security.InvalidKeyException",
            "integrity check failed"),
        same("KW wrap in UNWRAP_MODE",
            (Action) p -> init(p, "AES/KW/NoPadding", Cipher.UNWRAP_MODE, aes(32)).wrap(aes(16)),
            "java.lang.IllegalStateException",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejection_throwsNamedTypeAndMessage_likeSunJce(
      String what, Action action, String type, String message, String sunType) {
    Throwable clavis = thrown(action, KwProviders.CLAVIS.provider, what);
    assertEquals(type, clavis.getClass().getName(), what + ": Clavis threw " + clavis);
    if (sunType != null) {
      Throwable sun = thrown(action, KwProviders.SUNJCE.provider, what);
      assertEquals(sunType, sun.getClass().getName(), what + ": SunJCE threw " + sun);
    }
    if (message != null) {
      assertEquals(message, clavis.getMessage(), what);
    }
  }

  private static Throwable thrown(Action action, Provider p, String what) {
    try {
      action.run(p);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError(what + ": " + p.getName() + " accepted it");
  }
}
