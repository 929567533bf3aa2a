package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.PrivateKey;
import dev.clavis.keyring.ManagedPrivateKey;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * The one key store over a managed keyring; {@code Clavis} ({@link ClavisKeyStoreSpi}, the file
 * store) and {@code ClavisPKCS11} ({@link ClavisPkcs11KeyStoreSpi}, a token) differ only in their
 * {@link KeyringOpener}.
 *
 * <ul>
 *   <li>Aliases are key names; {@code name#N} addresses version N. {@code getKey} returns a
 *       {@link ManagedKey} handle (the password argument is not used: the keyring has one
 *       password or PIN).
 *   <li>{@code setKeyEntry}/{@code setEntry} with an AES or HmacSHA256 secret key (any other
 *       secret, such as keytool's {@code -importpass} password, is kept as an opaque
 *       {@link KeyAlgorithm#SECRET}) creates version 1 {@code ACTIVE} under a new name, and
 *       rotates an existing name (the key becomes the new primary, the old one
 *       {@code DEPRECATED}).
 *   <li>{@code deleteEntry} schedules destruction after the key's deletion window; the name
 *       leaves {@code aliases()} at once, its versions stay addressable until destroyed.
 *   <li>Entries carry attributes {@code clavis.status}, {@code clavis.version},
 *       {@code clavis.created}, {@code clavis.expires} and {@code clavis.usage}, and the key's
 *       metadata ({@code clavis.purpose}, {@code clavis.tag.K}, …: {@link MetadataAttributes}).
 *   <li>Private-key entries (EC P-256/P-384, RSA 2048-4096, Ed25519, see {@link KeyPairEntries})
 *       keep a certificate chain per version; {@code getKey} returns a {@link ManagedPrivateKey}.
 *       Setting this store's own handle with a new chain (keytool's CA reply) replaces the chain of
 *       the version the reply certifies. Trusted certificate entries are keys of algorithm
 *       {@link KeyAlgorithm#CERTIFICATE}, versioned like any other.
 * </ul>
 */
public class ManagedKeyStoreSpi extends KeyStoreSpi {

  /**
   * The alias suffix that adds a key pair as the next version of an existing name through tools
   * that refuse an existing alias ({@code keytool -genkeypair -alias tls#next}).
   */
  public static final String NEXT_VERSION = "#next";

  private final String typeName;
  private final KeyringOpener opener;
  private KeyringOpener.Opened opened;

  /**
   * @param typeName the key store type, for messages
   * @param opener how this type finds its keyring
   */
  ManagedKeyStoreSpi(String typeName, KeyringOpener opener) {
    this.typeName = typeName;
    this.opener = opener;
  }

  /** @return the loaded keyring's engine */
  final KeyringEngine ring() {
    if (opened == null) {
      throw new IllegalStateException("the " + typeName + " key store is not loaded");
    }
    return opened.engine();
  }

  /** @return the loaded keyring's engine, or empty before {@code load} */
  final Optional<KeyringEngine> loadedRing() {
    return opened == null ? Optional.empty() : Optional.of(opened.engine());
  }

  // ---------------------------------------------------------------- loading and storing

  /**
   * Loads the keyring from a stream, or without one as the type's opener says.
   *
   * @throws IOException if it cannot be loaded; a wrong password or PIN is one caused by an
   *     {@link java.security.UnrecoverableKeyException}
   */
  @Override
  public void engineLoad(InputStream stream, char[] password) throws IOException {
    close();
    opened = opener.load(stream, password);
  }

  /**
   * Loads the keyring a parameter names; a null parameter is {@code load(null, null)}.
   *
   * @throws IOException as {@link #engineLoad(InputStream, char[])}
   * @throws IllegalArgumentException if the parameter is of a kind this type does not take
   */
  @Override
  public void engineLoad(KeyStore.LoadStoreParameter param) throws IOException {
    if (param == null) {
      engineLoad(null, null);
      return;
    }
    close();
    opened = opener.load(param);
  }

  /**
   * @throws IOException if the keyring cannot be written to the stream, naming why
   * @throws IllegalStateException if the key store is not loaded
   */
  @Override
  public void engineStore(OutputStream stream, char[] password) throws IOException {
    ring();
    opened.store(stream, password);
  }

  /**
   * @throws IOException if the keyring cannot be written there
   * @throws UnsupportedOperationException if this keyring has no parameter form to store to
   * @throws IllegalStateException if the key store is not loaded
   */
  @Override
  public void engineStore(KeyStore.LoadStoreParameter param) throws IOException {
    ring();
    opened.store(param);
  }

  /** @throws IOException if the stream cannot be read */
  @Override
  public boolean engineProbe(InputStream stream) throws IOException {
    return opener.probe(stream);
  }

  private void close() {
    if (opened != null) {
      KeyringOpener.Opened o = opened;
      opened = null;
      o.close();
    }
  }

  // ---------------------------------------------------------------- aliases and entries

  /** @return the reference an alias names, or null if it is not a valid key reference */
  static KeyRef parse(String alias) {
    try {
      return KeyRef.parse(alias);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /**
   * @return the key an alias shows: a name not scheduled for destruction as a whole, or an
   *     existing version of any key
   */
  private Optional<KeyInfo> visible(KeyRef ref) {
    if (ref == null) {
      return Optional.empty();
    }
    return ring().exists(ref) ? ring().find(ref.name()) : Optional.empty();
  }

  @Override
  public Key engineGetKey(String alias, char[] password) {
    KeyRef ref = parse(alias);
    if (ref == null || !ring().exists(ref)) {
      return null;
    }
    try {
      KeyAlgorithm alg = ring().algorithmOf(ref.name());
      if (alg == KeyAlgorithm.CERTIFICATE) {
        return null; // as PKCS12: a trusted certificate entry has no key
      }
      // a derived secp256k1 key has no certificate, but its handle signs like a key pair's
      return alg.isKeyPair() || alg == KeyAlgorithm.SECP256K1 ? ring().privateKeyHandle(ref) : ring().handle(ref);
    } catch (UnknownKeyException | IllegalStateException e) {
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
    KeyAlgorithm alg = k.get().algorithm();
    if (alg == KeyAlgorithm.CERTIFICATE) {
      Certificate c = engineGetCertificate(alias);
      return c == null ? null : new KeyStore.TrustedCertificateEntry(c, attributes(k.get(), ref));
    }
    if (alg.isKeyPair()) {
      Certificate[] chain = engineGetCertificateChain(alias);
      return chain == null ? null : new KeyStore.PrivateKeyEntry(ring().privateKeyHandle(ref), chain,
          attributes(k.get(), ref));
    }
    ManagedKey h = ring().handle(ref);
    return new KeyStore.SecretKeyEntry(h, attributes(k.get(), ref));
  }

  static Set<KeyStore.Entry.Attribute> attributes(KeyInfo k, KeyRef ref) {
    KeyVersionInfo v = ref.version().isPresent() ? k.version(ref.version().getAsInt()).orElseThrow()
        : k.primary().orElse(k.latest());
    Set<KeyStore.Entry.Attribute> s = new HashSet<>();
    s.add(new Attribute("clavis.status", v.state().name()));
    s.add(new Attribute("clavis.version", Integer.toString(v.version())));
    s.add(new Attribute("clavis.created", v.created().toString()));
    s.add(new Attribute("clavis.expires", v.expires().map(Object::toString).orElse("never")));
    s.add(new Attribute("clavis.usage", Long.toString(v.usageCount())));
    s.addAll(MetadataAttributes.of(k.metadata()));
    return s;
  }

  /** One entry attribute, name and value as text. */
  static final class Attribute implements KeyStore.Entry.Attribute {
    private final String name;
    private final String value;

    Attribute(String name, String value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getValue() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Attribute && ((Attribute) o).name.equals(name) && ((Attribute) o).value.equals(value);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + value.hashCode();
    }

    @Override
    public String toString() {
      return name + "=" + value;
    }
  }

  /**
   * Creates a new name's version 1, or rotates an existing name to the key as its new primary.
   *
   * @throws KeyStoreException if the alias is invalid or names a version, the key is no secret
   *     key or has no encoding, or the keyring refuses it
   */
  @Override
  public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) throws KeyStoreException {
    if (key instanceof PrivateKey && alias != null && alias.endsWith(NEXT_VERSION)) {
      // keytool -genkeypair refuses an alias that exists: "name#next" names the next version
      String name = alias.substring(0, alias.length() - NEXT_VERSION.length());
      if (parse(name) == null || ring().find(name).isEmpty()) {
        throw new KeyStoreException("no key " + name + " to give a next version (" + alias + "); use the name " + name
            + " to create it");
      }
      alias = name;
    }
    KeyRef ref = parse(alias);
    if (ref == null) {
      throw new KeyStoreException("invalid alias '" + alias + "': use a key name of letters, digits and . _ : / -");
    }
    if (ref.version().isPresent()) {
      throw new KeyStoreException("cannot set version " + ref + " directly: set the name " + ref.name()
          + " to rotate it to a new version");
    }
    if (key instanceof PrivateKey) {
      setPrivateKey(ref, (PrivateKey) key, chain);
      return;
    }
    if (!(key instanceof SecretKey)) {
      throw new KeyStoreException("the " + typeName + " key store holds secret keys only (AES, HmacSHA256), got "
          + (key == null ? "null" : key.getAlgorithm() + " " + key.getClass().getSimpleName()));
    }
    if (OnTokenGeneration.store(ring(), typeName, ref.name(), (SecretKey) key)) {
      return; // generated on the token: a token-bound KeyGenerator's key, or keytool -genseckey's
    }
    byte[] raw = key.getEncoded();
    if (raw == null) {
      throw new KeyStoreException("the key has no encoding to import (a non-exportable managed or token key)");
    }
    try {
      KeyAlgorithm alg = algorithmOf(key.getAlgorithm(), raw.length);
      ring().importKey(ref.name(), alg, raw, importPolicy(alg));
    } catch (KeyringException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyStoreException(e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * A private key with its chain: a new version (or key), or, for this store's own handle, the
   * CA reply that replaces the chain of the version whose public key it certifies.
   */
  private void setPrivateKey(KeyRef ref, PrivateKey key, Certificate[] chain) throws KeyStoreException {
    try {
      if (key instanceof ManagedPrivateKey && ((ManagedPrivateKey) key).keyring() == ring()) {
        List<byte[]> ders = KeyPairEntries.ders(chain);
        KeyInfo k = ring().find(ref.name()).orElseThrow(() -> new UnknownKeyException(ref));
        KeyRef v = KeyPairEntries.versionOf(ring(), k, chain[0].getPublicKey()).orElseThrow(() -> new KeyStoreException(
            "the certificate " + ((java.security.cert.X509Certificate) chain[0]).getSubjectX500Principal().getName()
            + " certifies no version of key " + ref.name() + ": a CA reply goes onto the version it was requested for;"
            + " nothing was stored"));
        ring().replaceCertificates(v, ders);
        return;
      }
      KeyAlgorithm alg = KeyPairEntries.algorithmOf(key);
      dev.clavis.keyring.KeyPairMaterial m = KeyPairEntries.material(alg, key, chain);
      try {
        ring().importKeyPair(ref.name(), alg, m, KeyPolicy.defaults());
      } finally {
        m.wipe();
      }
    } catch (KeyringException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      throw new KeyStoreException(e.getMessage(), e);
    }
  }

  /**
   * An imported opaque secret (a password from {@code keytool -importpass}) exists to be read back,
   * so it is exportable (each read audited as an {@code export}); keys stay non-exportable.
   */
  static KeyPolicy importPolicy(KeyAlgorithm alg) {
    return alg == KeyAlgorithm.SECRET ? KeyPolicy.builder().exportable(true).build() : KeyPolicy.defaults();
  }

  static KeyAlgorithm algorithmOf(String jca, int length) throws KeyStoreException {
    if ("AES".equalsIgnoreCase(jca)) {
      switch (length) {
        case 16: return KeyAlgorithm.AES_128;
        case 24: return KeyAlgorithm.AES_192;
        case 32: return KeyAlgorithm.AES_256;
        default: throw new KeyStoreException("AES keys are 16, 24 or 32 bytes, got " + length);
      }
    }
    for (KeyAlgorithm hmac : new KeyAlgorithm[] {KeyAlgorithm.HMAC_SHA256, KeyAlgorithm.HMAC_SHA384,
        KeyAlgorithm.HMAC_SHA512}) {
      if (hmac.jcaName().equalsIgnoreCase(jca) && hmac.acceptsLength(length)) {
        return hmac;
      }
    }
    // keytool -importpass (PBE), other algorithms and sizes: kept as an opaque secret
    if (!KeyAlgorithm.SECRET.acceptsLength(length)) {
      throw new KeyStoreException("secrets are 1 to " + KeyAlgorithm.MAX_SECRET_BYTES + " bytes, got " + length);
    }
    return KeyAlgorithm.SECRET;
  }

  /** @throws KeyStoreException always: keys are set as {@link Key} objects */
  @Override
  public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
    throw new KeyStoreException("the " + typeName + " key store takes keys as Key objects (setKeyEntry with a"
        + " SecretKey)");
  }

  /**
   * As {@link #engineSetKeyEntry(String, Key, char[], Certificate[])} for a secret key entry.
   *
   * @throws KeyStoreException if the entry is not a secret key entry, or as {@code setKeyEntry}
   */
  @Override
  public void engineSetEntry(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protParam)
      throws KeyStoreException {
    if (entry instanceof KeyStore.PrivateKeyEntry) {
      KeyStore.PrivateKeyEntry pe = (KeyStore.PrivateKeyEntry) entry;
      engineSetKeyEntry(alias, pe.getPrivateKey(), null, pe.getCertificateChain());
      return;
    }
    if (entry instanceof KeyStore.TrustedCertificateEntry) {
      engineSetCertificateEntry(alias, ((KeyStore.TrustedCertificateEntry) entry).getTrustedCertificate());
      return;
    }
    if (!(entry instanceof KeyStore.SecretKeyEntry)) {
      throw new KeyStoreException("the " + typeName + " key store holds secret key, private key and trusted"
          + " certificate entries, got " + (entry == null ? "null" : entry.getClass().getSimpleName()));
    }
    engineSetKeyEntry(alias, ((KeyStore.SecretKeyEntry) entry).getSecretKey(), null, null);
  }

  /**
   * Schedules the destruction of a name (all its versions) or of one version.
   *
   * @throws KeyStoreException if there is no such entry, or the keyring refuses
   */
  @Override
  public void engineDeleteEntry(String alias) throws KeyStoreException {
    KeyRef ref = parse(alias);
    if (visible(ref).isEmpty()) {
      throw new KeyStoreException("no entry " + alias + " in this key store");
    }
    try {
      ring().scheduleDestruction(ref, null);
    } catch (KeyringException | IllegalStateException | IllegalArgumentException e) { // guards: DeletionGuard
      throw new KeyStoreException(e.getMessage(), e);
    }
  }

  @Override
  public Enumeration<String> engineAliases() {
    return Collections.enumeration(ring().names());
  }

  @Override
  public boolean engineContainsAlias(String alias) {
    KeyRef ref = parse(alias);
    return ref != null && ring().exists(ref);
  }

  @Override
  public int engineSize() {
    return ring().names().size();
  }

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

  // ---------------------------------------------------------------- certificates

  /** @return the key's algorithm, or empty if the alias names nothing visible */
  private Optional<KeyAlgorithm> algorithm(String alias) {
    return visible(parse(alias)).map(KeyInfo::algorithm);
  }

  /** @return the chain of the version the alias names (the primary for a name), or null for other entries */
  @Override
  public Certificate[] engineGetCertificateChain(String alias) {
    if (!algorithm(alias).map(KeyAlgorithm::isKeyPair).orElse(false)) {
      return null;
    }
    List<byte[]> ders = ring().certificates(parse(alias));
    return ders.isEmpty() ? null : KeyPairEntries.certificates(ders);
  }

  /** @return a key pair's own certificate, or a trusted certificate entry's certificate, or null */
  @Override
  public Certificate engineGetCertificate(String alias) {
    Optional<KeyAlgorithm> a = algorithm(alias);
    if (a.isEmpty() || a.get().kind() == KeyAlgorithm.Kind.SECRET_KEY) {
      return null;
    }
    List<byte[]> ders = ring().certificates(parse(alias));
    return ders.isEmpty() ? null : KeyPairEntries.parse(ders.get(0));
  }

  /**
   * Adds a trusted certificate entry, or a new version of one (the old one {@code DEPRECATED}).
   *
   * @throws KeyStoreException if the alias is invalid or names a key entry (as PKCS12: a key's own
   *     certificate is not overwritten), or the certificate is no X.509 one
   */
  @Override
  public void engineSetCertificateEntry(String alias, Certificate cert) throws KeyStoreException {
    KeyRef ref = parse(alias);
    if (ref == null || ref.version().isPresent()) {
      throw new KeyStoreException("invalid alias '" + alias + "' for a certificate: use a name without #N");
    }
    Optional<KeyAlgorithm> a = algorithm(alias);
    if (a.isPresent() && a.get() != KeyAlgorithm.CERTIFICATE) {
      throw new KeyStoreException("cannot overwrite the key entry " + alias + " with a trusted certificate");
    }
    byte[] der = KeyPairEntries.ders(new Certificate[] {cert}).get(0);
    try {
      ring().importKey(ref.name(), KeyAlgorithm.CERTIFICATE, der, KeyPolicy.defaults());
    } catch (KeyringException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyStoreException(e.getMessage(), e);
    }
  }

  @Override
  public boolean engineIsKeyEntry(String alias) {
    return engineContainsAlias(alias) && algorithm(alias).map(x -> x != KeyAlgorithm.CERTIFICATE).orElse(true);
  }

  @Override
  public boolean engineIsCertificateEntry(String alias) {
    return engineContainsAlias(alias) && algorithm(alias).map(x -> x == KeyAlgorithm.CERTIFICATE).orElse(false);
  }

  /** @return as PKCS12: the first name whose trusted certificate, or whose own certificate, equals {@code cert} */
  @Override
  public String engineGetCertificateAlias(Certificate cert) {
    if (cert == null) {
      return null;
    }
    for (String name : ring().names()) {
      Certificate c = engineGetCertificate(name);
      if (c != null && c.equals(cert)) {
        return name;
      }
    }
    return null;
  }

  @Override
  public boolean engineEntryInstanceOf(String alias, Class<? extends KeyStore.Entry> entryClass) {
    Optional<KeyAlgorithm> a = engineContainsAlias(alias) ? algorithm(alias) : Optional.empty();
    if (a.isEmpty()) {
      return false;
    }
    switch (a.get().kind()) {
      case KEY_PAIR: return entryClass == KeyStore.PrivateKeyEntry.class;
      case CERTIFICATE: return entryClass == KeyStore.TrustedCertificateEntry.class;
      default: return entryClass == KeyStore.SecretKeyEntry.class;
    }
  }
}
