package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.pkcs11.TokenKeyring;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.spec.Pkcs11Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * KeyStore {@code ClavisPKCS11}: the managed keys of a PKCS#11 token ({@link TokenKeyring}).
 *
 * <ul>
 *   <li>On a provider from {@code ClavisProvider.configure(file)}: {@code load(null, pin)} logs in
 *       to the configured token; a null PIN uses the file's {@code pin} setting.
 *   <li>On the default provider: {@code load(new Pkcs11Parameter(file, pin))} names the
 *       configuration; {@code load(null, pin)} fails, as the provider is bound to no token.
 *   <li>Aliases, handles, rotation on {@code setEntry}, {@code deleteEntry} and the entry
 *       attributes are as in the {@code Clavis} key store; keys are generated on the token and
 *       imported keys are created on it, sensitive and not extractable.
 *   <li>Every change is on the token when the call returns: {@code store} has nothing to write.
 * </ul>
 *
 * A wrong PIN is an {@link IOException} caused by an {@link UnrecoverableKeyException}, after
 * exactly one {@code C_Login}.
 */
public final class ClavisPkcs11KeyStore extends SecretKeyStoreSpi {

  private final Pkcs11Config bound;
  private TokenKeyring keyring;

  /** @param bound the configuration of the provider, or null for the default provider */
  public ClavisPkcs11KeyStore(Pkcs11Config bound) {
    super("ClavisPKCS11");
    this.bound = bound;
  }

  private TokenKeyring ring() {
    if (keyring == null) {
      throw new IllegalStateException("the ClavisPKCS11 key store is not loaded");
    }
    return keyring;
  }

  @Override
  public void engineLoad(InputStream stream, char[] password) throws IOException {
    if (stream != null) {
      throw new IOException("the ClavisPKCS11 key store lives on the token: load it with load(null, pin)");
    }
    if (bound == null) {
      throw new IOException("this Clavis provider is bound to no token: use ClavisProvider.configure(configFile)"
          + " (keytool: -providerarg FILE), or load(new dev.clavis.spec.Pkcs11Parameter(configFile, pin))");
    }
    open(bound, password);
  }

  @Override
  public void engineLoad(KeyStore.LoadStoreParameter param) throws IOException {
    if (param == null) {
      engineLoad(null, null);
      return;
    }
    if (!(param instanceof Pkcs11Parameter)) {
      throw new IllegalArgumentException("the ClavisPKCS11 key store loads from a Pkcs11Parameter(configFile, pin), got "
          + param.getClass().getName());
    }
    Pkcs11Parameter p = (Pkcs11Parameter) param;
    Pkcs11Config cfg;
    try {
      cfg = Pkcs11Config.parse(p.getConfig());
    } catch (Pkcs11ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    open(cfg, ((KeyStore.PasswordProtection) p.getProtectionParameter()).getPassword());
  }

  private void open(Pkcs11Config cfg, char[] password) throws IOException {
    char[] pin;
    try {
      // KeyStore.load's password is the PIN and wins over the file's pin setting (CONTRACT.md).
      pin = password != null ? password.clone() : cfg.resolvePin();
    } catch (Pkcs11ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    close();
    try {
      keyring = TokenKeyring.open(cfg, pin);
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

  private void close() {
    if (keyring != null) {
      keyring.close();
      keyring = null;
    }
  }

  /** @return the keyring behind this key store, once loaded (tools, tests) */
  public Optional<TokenKeyring> keyring() {
    return Optional.ofNullable(keyring);
  }

  @Override
  public void engineStore(OutputStream stream, char[] password) throws IOException {
    ring();
    if (stream != null) {
      throw new IOException("the ClavisPKCS11 key store lives on the token and has no file form; store(null, null)"
          + " is a no-op because every change is already on the token");
    }
  }

  /** Every change is already on the token: nothing to write. */
  @Override
  public void engineStore(KeyStore.LoadStoreParameter param) throws IOException {
    ring();
  }

  @Override
  Optional<KeyInfo> visible(KeyRef ref) {
    if (ref == null) {
      return Optional.empty();
    }
    Optional<KeyInfo> k = ring().find(ref.name());
    if (k.isEmpty()) {
      return k;
    }
    if (ref.version().isPresent()) {
      return k.get().version(ref.version().getAsInt()).isPresent() ? k : Optional.empty();
    }
    return scheduledForDestruction(k.get()) ? Optional.empty() : k;
  }

  /**
   * A name whose destruction was scheduled leaves {@code aliases()} at once; its versions are then
   * all pending destruction (or already destroyed). Read from the key itself rather than by
   * sorting every name, so {@code getKey} stays an in-memory lookup however many keys there are.
   */
  private static boolean scheduledForDestruction(KeyInfo k) {
    boolean pending = false;
    for (KeyVersionInfo v : k.versions()) {
      if (v.state() == KeyState.PENDING_DESTRUCTION) {
        pending = true;
      } else if (v.state() != KeyState.DESTROYED) {
        return false;
      }
    }
    return pending;
  }

  @Override
  public Key engineGetKey(String alias, char[] password) {
    KeyRef ref = parse(alias);
    if (visible(ref).isEmpty()) {
      return null;
    }
    try {
      return ring().handle(ref);
    } catch (UnknownKeyException e) {
      return null;
    }
  }

  @Override
  public KeyStore.Entry engineGetEntry(String alias, KeyStore.ProtectionParameter protParam) {
    KeyRef ref = parse(alias);
    Optional<KeyInfo> k = visible(ref);
    if (k.isEmpty()) {
      return null;
    }
    ManagedKey h = ring().handle(ref);
    return new KeyStore.SecretKeyEntry(h, ClavisKeyStore.attributes(k.get(), ref));
  }

  @Override
  public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) throws KeyStoreException {
    KeyRef ref = parse(alias);
    if (ref == null || ref.version().isPresent()) {
      throw new KeyStoreException("invalid alias '" + alias + "': give a key name (setting a name rotates it)");
    }
    if (!(key instanceof SecretKey)) {
      throw new KeyStoreException("the ClavisPKCS11 key store holds secret keys only (AES, HmacSHA256)");
    }
    byte[] raw = key.getEncoded();
    if (raw == null) {
      throw new KeyStoreException("the key has no encoding to import (a non-exportable managed or token key)");
    }
    try {
      KeyAlgorithm alg = ClavisKeyStore.algorithmOf(key.getAlgorithm(), raw.length);
      ring().importKey(ref.name(), alg, raw, KeyPolicy.defaults());
    } catch (KeyringException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyStoreException(e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
    throw new KeyStoreException("the ClavisPKCS11 key store takes keys as Key objects (setKeyEntry with a SecretKey)");
  }

  @Override
  public void engineSetEntry(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protParam)
      throws KeyStoreException {
    if (!(entry instanceof KeyStore.SecretKeyEntry)) {
      throw new KeyStoreException("the ClavisPKCS11 key store holds secret key entries only");
    }
    engineSetKeyEntry(alias, ((KeyStore.SecretKeyEntry) entry).getSecretKey(), null, null);
  }

  @Override
  public void engineDeleteEntry(String alias) throws KeyStoreException {
    KeyRef ref = parse(alias);
    if (visible(ref).isEmpty()) {
      throw new KeyStoreException("no entry " + alias + " in this key store");
    }
    try {
      ring().scheduleDestruction(ref, null);
    } catch (KeyringException | IllegalStateException e) {
      throw new KeyStoreException(e.getMessage(), e);
    }
  }

  @Override
  public Enumeration<String> engineAliases() {
    return Collections.enumeration(ring().names());
  }

  @Override
  public boolean engineContainsAlias(String alias) {
    return visible(parse(alias)).isPresent();
  }

  @Override
  public int engineSize() {
    return ring().names().size();
  }
}
