package dev.clavis.conformance.provider;

import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Run in a child JVM by {@link JavaSecurityPropertiesTest}: finds the Clavis provider the way an
 * application would, without registering it itself, and wraps RFC 3394 §4.3 with it. Prints one
 * result line and exits 0 on success, 1 otherwise.
 */
public final class ProviderProbe {

  private ProviderProbe() {}

  /**
   * Probes the installed providers.
   *
   * @param args unused
   * @throws Exception if the wrap fails unexpectedly
   */
  public static void main(String[] args) throws Exception {
    Provider clavis = Security.getProvider("Clavis");
    if (clavis == null) {
      System.out.println("MISSING Clavis provider");
      System.exit(1);
    }
    int position = java.util.Arrays.asList(Security.getProviders()).indexOf(clavis) + 1;
    HexFormat hex = HexFormat.of();
    Cipher c = Cipher.getInstance("AESWrap", "Clavis");
    c.init(Cipher.WRAP_MODE, new SecretKeySpec(
        hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "AES"));
    String wrapped = hex.formatHex(c.wrap(new SecretKeySpec(hex.parseHex("00112233445566778899aabbccddeeff"), "AES")));
    boolean ok = wrapped.equals("64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7")
        && c.getProvider() == clavis;
    System.out.println((ok ? "OK" : "WRONG") + " position=" + position + " class=" + clavis.getClass().getName()
        + " wrapped=" + wrapped);
    System.exit(ok ? 0 : 1);
  }
}
