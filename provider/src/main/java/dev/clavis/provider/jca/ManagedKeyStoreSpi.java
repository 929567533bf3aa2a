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
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashSet;
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
 *       {@code clavis.created}, {@code clavis.expires} and {@code clavis.usage}.
 *   <li>Secret keys only: no certificates. Private-key entries (key pairs) are to be added here,
 *       once, in {@link #engineSetKeyEntry(String, Key, char[], Certificate[])} and
 *       {@link #engineGetEntry}.
 * </ul>
 */
public class ManagedKeyStoreSpi extends KeyStoreSpi {

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
    KeyRef ref = parse(alias);
    if (ref == null) {
      throw new KeyStoreException("invalid alias '" + alias + "': use a key name of letters, digits and . _ : / -");
    }
    if (ref.version().isPresent()) {
      throw new KeyStoreException("cannot set version " + ref + " directly: set the name " + ref.name()
          + " to rotate it to a new version");
    }
    // the key-pair issue adds PrivateKey (with its chain) here
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
      ring().importKey(ref.name(), alg, raw, KeyPolicy.defaults());
    } catch (KeyringException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyStoreException(e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
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
    if ("HmacSHA256".equalsIgnoreCase(jca) && length == 32) {
      return KeyAlgorithm.HMAC_SHA256;
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
    if (!(entry instanceof KeyStore.SecretKeyEntry)) {
      throw new KeyStoreException("the " + typeName + " key store holds secret key entries only, got "
          + (entry == null ? "null" : entry.getClass().getSimpleName()));
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

  // ---------------------------------------------------------------- no certificates (yet)

  @Override
  public Certificate[] engineGetCertificateChain(String alias) {
    return null;
  }

  @Override
  public Certificate engineGetCertificate(String alias) {
    return null;
  }

  /** @throws KeyStoreException always: this key store holds secret keys only */
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
