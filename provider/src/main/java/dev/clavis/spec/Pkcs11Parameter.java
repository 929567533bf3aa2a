package dev.clavis.spec;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * A {@link KeyStore.LoadStoreParameter} that opens the {@code ClavisPKCS11} key store of the
 * default (unconfigured) Clavis provider on the token a PKCS#11 configuration file names. The PIN
 * given here, if not null, wins over the file's {@code pin} setting; it is copied, and the copy is
 * wiped once the token has been logged in.
 *
 * <pre>
 * KeyStore ks = KeyStore.getInstance("ClavisPKCS11", "Clavis");
 * ks.load(new Pkcs11Parameter(Path.of("softhsm.cfg"), null));
 * </pre>
 */
public final class Pkcs11Parameter implements KeyStore.LoadStoreParameter {

  private final Path config;
  private final KeyStore.PasswordProtection pin;

  /**
   * @param config the PKCS#11 configuration file
   * @param pin the user PIN, or null to use the file's {@code pin} setting; copied
   */
  public Pkcs11Parameter(Path config, char[] pin) {
    this.config = Objects.requireNonNull(config, "config");
    this.pin = new KeyStore.PasswordProtection(pin == null ? null : pin.clone());
  }

  /** @return the configuration file */
  public Path getConfig() {
    return config;
  }

  /** @return the PIN as a password protection (its password may be null) */
  @Override
  public KeyStore.ProtectionParameter getProtectionParameter() {
    return pin;
  }

  @Override
  public String toString() {
    return "Pkcs11Parameter{" + config + ", pin=" + (pin.getPassword() == null ? "from the file" : "***") + "}";
  }
}
