package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every KW/KWP name, alias and OID of CONTRACT.md resolves through
 * {@code Cipher.getInstance(name, "Clavis")} after {@code Security.addProvider}, to a cipher of
 * the right algorithm that wraps with a KEK of the size its name allows.
 */
class KeyWrapNamesTest {

  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void install() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "AES/KW/NoPadding,        false, 32",
    "AESWrap,                 false, 32",
    "AESKW,                   false, 24",
    "2.16.840.1.101.3.4.1.5,  false, 16",
    "2.16.840.1.101.3.4.1.25, false, 24",
    "2.16.840.1.101.3.4.1.45, false, 32",
    "AES/KWP/NoPadding,       true,  16",
    "AESWrapPad,              true,  32",
    "AESKWP,                  true,  24",
    "2.16.840.1.101.3.4.1.8,  true,  16",
    "2.16.840.1.101.3.4.1.28, true,  24",
    "2.16.840.1.101.3.4.1.48, true,  32"
  })
  void contractName_resolvesInClavisAndWrapsLikeSunJce(String name, boolean padded, int kekBytes) throws Exception {
    Cipher c = Cipher.getInstance(name, "Clavis");
    assertEquals("Clavis", c.getProvider().getName(), name);
    SecretKey kek = new SecretKeySpec(new byte[kekBytes], "AES");
    SecretKey key = new SecretKeySpec(HEX.parseHex("00112233445566778899aabbccddeeff0011"), "AES");
    c.init(Cipher.WRAP_MODE, kek);
    Cipher sun = Cipher.getInstance(padded ? "AES/KWP/NoPadding" : "AES/KW/NoPadding", "SunJCE");
    sun.init(Cipher.WRAP_MODE, kek);
    if (padded) {
      assertEquals(HEX.formatHex(sun.wrap(key)), HEX.formatHex(c.wrap(key)), name);
    } else {
      SecretKey key16 = new SecretKeySpec(new byte[16], "AES");
      assertEquals(HEX.formatHex(sun.wrap(key16)), HEX.formatHex(c.wrap(key16)), name);
    }
  }

  @Test
  void keyWrapServices_acceptKeysOfNullFormat() {
    // A managed KEK handle has no encoding and no format: the service attributes must not shut it out.
    Provider clavis = Security.getProvider("Clavis");
    SecretKey handle = new SecretKey() {
      private static final long serialVersionUID = 1L;
      @Override public String getAlgorithm() { return "AES"; }
      @Override public String getFormat() { return null; }
      @Override public byte[] getEncoded() { return null; }
    };
    for (String name : new String[] {"AES/KW/NoPadding", "AES/KWP/NoPadding", "AES_256/KW/NoPadding", "AES_128/KWP/NoPadding"}) {
      Provider.Service s = clavis.getService("Cipher", name);
      assertNotNull(s, name);
      assertEquals("javax.crypto.SecretKey", s.getAttribute("SupportedKeyClasses"), name);
      assertEquals(null, s.getAttribute("SupportedKeyFormats"), name);
      assertTrue(s.supportsParameter(handle), name + " refuses a null-format SecretKey");
    }
  }

  @Test
  void serviceLoader_andAddProvider_giveTheSameNamedProvider() {
    Provider installed = Security.getProvider("Clavis");
    assertNotNull(installed);
    assertSame(installed, Security.getProvider(ClavisProvider.NAME));
  }
}
