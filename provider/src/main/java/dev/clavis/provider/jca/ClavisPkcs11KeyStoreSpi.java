package dev.clavis.provider.jca;

import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.Pkcs11Config;
import java.util.Optional;

/**
 * KeyStore {@code ClavisPKCS11}: the managed keys of a PKCS#11 token; the
 * {@link ManagedKeyStoreSpi} over a {@link TokenKeyringOpener}. Keys are generated on the token
 * and imported keys are created on it, sensitive and not extractable; every change is on the
 * token when the call returns, so {@code store} has nothing to write.
 *
 * A wrong PIN is an {@link java.io.IOException} caused by an
 * {@link java.security.UnrecoverableKeyException}, after exactly one {@code C_Login}.
 */
public final class ClavisPkcs11KeyStoreSpi extends ManagedKeyStoreSpi {

  /** @param bound the configuration of the provider, or null for the default provider */
  public ClavisPkcs11KeyStoreSpi(Pkcs11Config bound) {
    super("ClavisPKCS11", new TokenKeyringOpener(bound));
  }

  /** @return the keyring behind this key store, once loaded (tools, tests) */
  public Optional<KeyringEngine> keyring() {
    return loadedRing();
  }
}
