package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.spec.Pkcs11Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;

/**
 * The keyring of key store {@code ClavisPKCS11}: the managed keys on a PKCS#11 token.
 *
 * <ul>
 *   <li>On a provider from {@code ClavisProvider.configure(file)}: {@code load(null, pin)} logs in
 *       to the configured token; a null PIN uses the file's {@code pin} setting.
 *   <li>On the default provider: {@code load(new Pkcs11Parameter(file, pin))} names the
 *       configuration; {@code load(null, pin)} fails, as the provider is bound to no token.
 *   <li>Every change is on the token when the call returns: {@code store} has nothing to write.
 * </ul>
 *
 * A wrong PIN is an {@link IOException} caused by an {@link UnrecoverableKeyException}, after
 * exactly one {@code C_Login}.
 */
final class TokenKeyringOpener implements KeyringOpener {

  private final Pkcs11Config bound;

  /** @param bound the configuration of the provider, or null for the default provider */
  TokenKeyringOpener(Pkcs11Config bound) {
    this.bound = bound;
  }

  @Override
  public Opened load(InputStream stream, char[] password) throws IOException {
    if (stream != null) {
      throw new IOException("the ClavisPKCS11 key store lives on the token: load it with load(null, pin)");
    }
    if (bound == null) {
      throw new IOException("this Clavis provider is bound to no token: use ClavisProvider.configure(configFile)"
          + " (keytool: -providerarg FILE), or load(new dev.clavis.spec.Pkcs11Parameter(configFile, pin))");
    }
    return open(bound, password);
  }

  @Override
  public Opened load(KeyStore.LoadStoreParameter param) throws IOException {
    if (!(param instanceof Pkcs11Parameter)) {
      throw new IllegalArgumentException("the ClavisPKCS11 key store loads from a Pkcs11Parameter(configFile, pin),"
          + " got " + param.getClass().getName());
    }
    Pkcs11Parameter p = (Pkcs11Parameter) param;
    Pkcs11Config cfg;
    try {
      cfg = Pkcs11Config.parse(p.getConfig());
    } catch (Pkcs11ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    return open(cfg, ((KeyStore.PasswordProtection) p.getProtectionParameter()).getPassword());
  }

  private static Opened open(Pkcs11Config cfg, char[] password) throws IOException {
    char[] pin;
    try {
      // KeyStore.load's password is the PIN and wins over the file's pin setting (CONTRACT.md).
      pin = password != null ? password.clone() : cfg.resolvePin();
    } catch (Pkcs11ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      return Opened.live((KeyringEngine) Keyrings.open(KeyringOptions.token(cfg).pin(pin)), "the ClavisPKCS11 key store"
          + " lives on the token and has no file form; store(null, null) is a no-op because every change is already on"
          + " the token");
    } catch (KeyringException e) {
      Throwable c = e.getCause();
      if (c instanceof Pkcs11Exception && ((Pkcs11Exception) c).returnValue() == CKR.PIN_INCORRECT) {
        UnrecoverableKeyException u = new UnrecoverableKeyException(e.getMessage());
        u.initCause(c);
        throw new IOException(e.getMessage(), u);
      }
      throw new IOException(e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }
}
