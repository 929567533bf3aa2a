package dev.clavis.provider.jca;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.engine.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.spec.KeyringParameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableEntryException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * KeyStore {@code Clavis}: the managed keys of the encrypted file store.
 *
 * <ul>
 *   <li>{@code load(new KeyringParameter(path, pw))} opens the file live: every change is durable
 *       when the call returns ({@link KeyringParameter#existing} never creates a missing store).
 *   <li>{@code load(stream, pw)} of a stream read from a store file (keytool's
 *       {@code -keystore FILE}; the file is told by {@link StreamOrigin}) is a
 *       {@link KeytoolSession}: changes commit to that file at once, under its lock, onto the
 *       generation loaded only (else they are refused, nothing written), audited in its log;
 *       {@code store(stream, pw)} then gives the committed file's exact bytes, and the lock is
 *       kept until the process exits so keytool's rewrite of them races no other writer.
 *   <li>A provider {@code configure}d with a {@link FileStoreConfig} (keytool's
 *       {@code -keystore NONE -providerarg store.conf}) opens the named store live on
 *       {@code load(null, pw)}; {@code store(null, pw)} has nothing left to write.
 *   <li>Any other stream is a detached image in memory, written out by {@code store(stream, pw)};
 *       {@code load(null, pw)} on the default provider starts an empty one, except under keytool,
 *       which would write it with no lock and no audit log: there it is refused.
 *   <li>Aliases are key names; {@code name#N} addresses version N. {@code getKey} returns a
 *       {@link ManagedKey} handle (the password argument is not used: the store has one password).
 *   <li>{@code setKeyEntry}/{@code setEntry} with an AES or HmacSHA256 secret key (any other
 *       secret, such as keytool's {@code -importpass} password, is kept as an opaque
 *       {@link KeyAlgorithm#SECRET}) creates version 1
 *       {@code ACTIVE} under a new name, and rotates an existing name (the key becomes the new
 *       primary, the old one {@code DEPRECATED}).
 *   <li>{@code deleteEntry} schedules destruction after the key's deletion window; the name
 *       leaves {@code aliases()} at once.
 *   <li>Entries carry attributes {@code clavis.status}, {@code clavis.version},
 *       {@code clavis.created}, {@code clavis.expires} and {@code clavis.usage}.
 * </ul>
 *
 * A wrong password is an {@link IOException} caused by an {@link UnrecoverableKeyException}, as
 * {@link KeyStore#load(InputStream, char[])} documents; the file is left untouched.
 */
public final class ClavisKeyStore extends SecretKeyStoreSpi {

  private final FileStoreConfig config;
  private KeyringEngine keyring;
  private FileKeyBackend backend;
  private KeytoolSession session;
  private boolean live;
  private char[] livePassword;

  /** Creates an unloaded key store. */
  public ClavisKeyStore() {
    this(null);
  }

  /**
   * Creates an unloaded key store that {@code load(null, pw)} opens live on the configured store.
   *
   * @param config the store to open, or null for the default behaviour
   */
  public ClavisKeyStore(FileStoreConfig config) {
    super("Clavis");
    this.config = config;
  }

  private KeyringEngine ring() {
    if (keyring == null) {
      throw new IllegalStateException("the Clavis key store is not loaded");
    }
    return keyring;
  }

  @Override
  public void engineLoad(KeyStore.LoadStoreParameter param) throws IOException, NoSuchAlgorithmException,
      CertificateException {
    if (param == null) {
      engineLoad(null, null);
      return;
    }
    if (!(param instanceof KeyringParameter)) {
      throw new IllegalArgumentException("the Clavis key store loads from a KeyringParameter(path, password), got "
          + param.getClass().getName());
    }
    KeyringParameter kp = (KeyringParameter) param;
    char[] pw = ((KeyStore.PasswordProtection) kp.getProtectionParameter()).getPassword();
    if (pw == null) {
      throw new IOException("the KeyringParameter's password was destroyed");
    }
    close();
    openLive(kp.getFile(), pw, kp.createsMissing());
  }

  /** Opens {@code file} live; {@code create} says whether a missing store is made. */
  private void openLive(java.nio.file.Path file, char[] pw, boolean create) throws IOException {
    try {
      FileKeyBackend b = create ? FileKeyBackend.open(file, pw, KdfParameters.defaults())
          : FileKeyBackend.openExisting(file, pw);
      b.removeStrayTemporaries();
      openOver(b, b);
      live = true;
      livePassword = pw.clone();
    } catch (WrongPasswordException e) {
      throw wrongPassword(e);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void openOver(FileKeyBackend b) {
    openOver(b, b);
  }

  /** Runs the keyring on {@code over}, whose file (or memory) store is {@code b}. */
  private void openOver(dev.clavis.keyring.store.KeyBackend over, FileKeyBackend b) {
    try {
      keyring = new KeyringEngine(over, Clock.systemUTC(), Duration.ofMillis(20));
      backend = b;
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  private static IOException wrongPassword(WrongPasswordException e) {
    UnrecoverableKeyException u = new UnrecoverableKeyException(e.getMessage());
    u.initCause(e);
    return new IOException(e.getMessage(), u);
  }

  @Override
  public void engineLoad(InputStream stream, char[] password) throws IOException, NoSuchAlgorithmException,
      CertificateException {
    close();
    if (stream == null) {
      if (config != null) {
        if (password == null) {
          throw new IOException("the Clavis key store " + config.store() + " is encrypted: give its password"
              + " (keytool -storepass)");
        }
        openLive(config.store(), password, config.create());
        if (Boolean.getBoolean(KeytoolSession.VERBOSE)) {
          System.err.println("clavis: key store " + config.store() + " opened live");
        }
        return;
      }
      if (calledByKeytool()) {
        throw new IOException("keytool cannot create a Clavis store: it would write the file with no lock and no"
            + " audit log. Create it first with 'clavis init --store FILE', or use -keystore NONE -providerarg"
            + " with a store configuration saying create = true");
      }
      openOver(FileKeyBackend.inMemory(KdfParameters.defaults()));
      return;
    }
    if (password == null) {
      throw new IOException("the Clavis key store is encrypted: a password is needed to load it");
    }
    byte[] bytes = stream.readAllBytes();
    FileKeyBackend detached;
    try {
      detached = FileKeyBackend.fromBytes(bytes, password);
    } catch (WrongPasswordException e) {
      throw wrongPassword(e);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
    java.util.Optional<java.nio.file.Path> origin;
    try {
      origin = StreamOrigin.of(bytes);
    } catch (IOException e) {
      detached.close();
      throw e;
    }
    if (origin.isEmpty()) {
      if (calledByKeytool()) {
        // keytool would overwrite the file with a copy that knows nothing of other writers
        detached.close();
        throw new IOException("Clavis cannot tell which file keytool loaded (no /proc/self/fd here): name it with"
            + " keytool -J-D" + StreamOrigin.PROPERTY + "=PATH, or use -keystore NONE -providerarg with a store"
            + " configuration");
      }
      // the bytes stay: they are the encrypted records, decrypted lazily on first use
      openOver(detached);
      return;
    }
    try {
      KeytoolSession s = KeytoolSession.bind(origin.get(), detached, password);
      try {
        openOver(s.backend(), s.backend().live());
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      session = s;
    } catch (WrongPasswordException e) {
      throw wrongPassword(e);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Whether the JDK's keytool is calling (it writes a new store's bytes itself, unlocked). */
  private static boolean calledByKeytool() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(
        f -> f.getClassName().startsWith("sun.security.tools.keytool.")));
  }

  @Override
  public void engineStore(OutputStream stream, char[] password) throws IOException, NoSuchAlgorithmException,
      CertificateException {
    if (password == null) {
      throw new IOException("the Clavis key store needs a password to be written");
    }
    ring();
    if (session != null) {
      session.storeTo(stream, password);
      return;
    }
    try {
      if (live && stream == null) {
        // every change is durable; a new password (keytool -storepasswd) re-wraps the master key
        if (!KeytoolSession.sameChars(livePassword, password)) {
          backend.rekey(livePassword, password, backend.kdf());
          Arrays.fill(livePassword, '\0');
          livePassword = password.clone();
        }
        return;
      }
      if (stream == null) {
        throw new IOException("this Clavis key store is a detached image: give store() a stream to write it to");
      }
      backend.writeTo(stream, password);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void engineStore(KeyStore.LoadStoreParameter param) throws IOException, NoSuchAlgorithmException,
      CertificateException {
    if (live) {
      return; // every change is already durable
    }
    throw new UnsupportedOperationException("store(LoadStoreParameter) applies to a live store opened with"
        + " KeyringParameter; use store(OutputStream, char[])");
  }

  @Override
  public boolean engineProbe(InputStream stream) throws IOException {
    byte[] head = stream.readNBytes(8);
    return FileKeyBackend.startsLikeStore(head);
  }

  @Override
  Optional<KeyInfo> visible(KeyRef ref) {
    if (ref == null) {
      return Optional.empty();
    }
    // a name scheduled for destruction leaves aliases() at once; its versions stay addressable
    return ring().exists(ref) ? ring().find(ref.name()) : Optional.empty();
  }

  @Override
  public Key engineGetKey(String alias, char[] password) throws NoSuchAlgorithmException, UnrecoverableKeyException {
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
  public KeyStore.Entry engineGetEntry(String alias, KeyStore.ProtectionParameter protParam)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableEntryException {
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
    if (!(key instanceof SecretKey)) {
      throw new KeyStoreException("the Clavis key store holds secret keys only (AES, HmacSHA256), got "
          + (key == null ? "null" : key.getAlgorithm() + " " + key.getClass().getSimpleName()));
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

  @Override
  public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
    throw new KeyStoreException("the Clavis key store takes keys as Key objects (setKeyEntry with a SecretKey)");
  }

  @Override
  public void engineSetEntry(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protParam)
      throws KeyStoreException {
    if (!(entry instanceof KeyStore.SecretKeyEntry)) {
      throw new KeyStoreException("the Clavis key store holds secret key entries only, got "
          + (entry == null ? "null" : entry.getClass().getSimpleName()));
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
    List<String> names = ring().names();
    return Collections.enumeration(names);
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

  /** @return the keyring behind this key store (loaded), for tools that need the full API */
  public Keyring keyring() {
    return ring();
  }

  private void close() {
    if (keyring != null) {
      keyring.close();
      keyring = null;
      backend = null;
    }
    if (session != null) {
      session.close();
      session = null;
    }
    if (livePassword != null) {
      Arrays.fill(livePassword, '\0');
      livePassword = null;
    }
    live = false;
  }

  static byte[] toBytes(FileKeyBackend b, char[] pw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.writeTo(out, pw);
    return out.toByteArray();
  }
}
