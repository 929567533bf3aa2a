package dev.clavis.conformance.kw;

import dev.clavis.provider.ClavisProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The three implementations the key-wrap suite runs against alike, and shared helpers. Names are
 * each provider's own for RFC 3394 and RFC 5649.
 */
enum KwProviders {
  CLAVIS(new ClavisProvider(), "AES/KW/NoPadding", "AES/KWP/NoPadding"),
  SUNJCE(Security.getProvider("SunJCE"), "AES/KW/NoPadding", "AES/KWP/NoPadding"),
  BC(new BouncyCastleProvider(), "AESWrap", "AESWrapPad");

  static final HexFormat HEX = HexFormat.of();

  final Provider provider;
  private final String kw;
  private final String kwp;

  KwProviders(Provider provider, String kw, String kwp) {
    this.provider = provider;
    this.kw = kw;
    this.kwp = kwp;
  }

  Cipher cipher(boolean padded, int mode, byte[] kek) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(padded ? kwp : kw, provider);
    c.init(mode, new SecretKeySpec(kek, "AES"));
    return c;
  }

  static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  static String resource(String path) {
    try (InputStream in = KwProviders.class.getResourceAsStream("/vectors/kw/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource vectors/kw/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
