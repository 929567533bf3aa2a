package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.cert.Certificate;
import java.util.Date;
import java.util.Optional;

/**
 * What the two Clavis key stores ({@code Clavis} on the file store, {@code ClavisPKCS11} on a
 * token) share: they hold managed secret keys addressed as {@code name} or {@code name#N}, and no
 * certificates. Subclasses say which keys are visible under an alias.
 */
abstract class SecretKeyStoreSpi extends KeyStoreSpi {

  private final String typeName;

  /** @param typeName the key store type, for messages */
  SecretKeyStoreSpi(String typeName) {
    this.typeName = typeName;
  }

  /** @return the reference an alias names, or null if it is not a valid key reference */
  static KeyRef parse(String alias) {
    try {
      return KeyRef.parse(alias);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /** @return the key an alias shows, if the alias is valid and the key visible in this store */
  abstract Optional<KeyInfo> visible(KeyRef ref);

  @Override
  public Date engineGetCreationDate(String alias) {
    KeyRef ref = parse(alias);
    Optional<KeyInfo> k = visible(ref);
    if (k.isEmpty()) {
      return null;
    }
    KeyVersionInfo v = ref.version().isPresent() ? k.get().version(ref.version().getAsInt()).orElseThrow()
        : k.get().versions().get(0);
    return Date.from(v.created());
  }

  @Override
  public Certificate[] engineGetCertificateChain(String alias) {
    return null;
  }

  @Override
  public Certificate engineGetCertificate(String alias) {
    return null;
  }

  @Override
  public void engineSetCertificateEntry(String alias, Certificate cert) throws KeyStoreException {
    throw new KeyStoreException("the " + typeName + " key store holds secret keys only, not certificates");
  }

  @Override
  public boolean engineIsKeyEntry(String alias) {
    return engineContainsAlias(alias);
  }

  @Override
  public boolean engineIsCertificateEntry(String alias) {
    return false;
  }

  @Override
  public String engineGetCertificateAlias(Certificate cert) {
    return null;
  }

  @Override
  public boolean engineEntryInstanceOf(String alias, Class<? extends KeyStore.Entry> entryClass) {
    return entryClass == KeyStore.SecretKeyEntry.class && engineContainsAlias(alias);
  }
}
