package dev.clavis.conformance.attacks;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.Pkcs11Config;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;

/**
 * One attempt of {@link TokenPinAttackTest}, as its own process (the login state of PKCS#11 is
 * per process): {@code sun-first CONFIG SUNCONFIG RIGHTPIN TRYPIN} logs the token in through the
 * JDK's SunPKCS11 with the right PIN, then opens the Clavis keyring with {@code TRYPIN};
 * {@code alone CONFIG - - TRYPIN} opens Clavis only. Prints {@code OPENED} or {@code REFUSED message}.
 */
public final class TokenPinWorker {

  private TokenPinWorker() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Pkcs11Config cfg = Pkcs11Config.parse(Path.of(args[1]));
    if (mode.equals("sun-first")) {
      Provider sun = Security.getProvider("SunPKCS11").configure(args[2]);
      KeyStore ks = KeyStore.getInstance("PKCS11", sun);
      ks.load(null, args[3].toCharArray()); // C_Login with the right PIN, by another library
      System.out.println("SUN LOGGED IN");
    }
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(cfg).pin(args[4].toCharArray()))) {
      System.out.println("OPENED " + ring.list().size());
    } catch (RuntimeException e) {
      System.out.println("REFUSED " + e.getMessage());
    }
    System.out.flush();
  }
}
