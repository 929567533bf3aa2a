package dev.clavis.provider.jca;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.spec.KeyringParameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The keyring of key store {@code Clavis}: the encrypted file store.
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
 * </ul>
 *
 * A wrong password is an {@link IOException} caused by an {@link UnrecoverableKeyException}, as
 * {@link KeyStore#load(InputStream, char[])} documents; the file is left untouched.
 */
final class FileKeyringOpener implements KeyringOpener {

  private final FileStoreConfig config;

  /** @param config the store {@code load(null, pw)} opens live, or null for the default behaviour */
  FileKeyringOpener(FileStoreConfig config) {
    this.config = config;
  }

  @Override
  public Opened load(KeyStore.LoadStoreParameter param) throws IOException {
    if (!(param instanceof KeyringParameter)) {
      throw new IllegalArgumentException("the Clavis key store loads from a KeyringParameter(path, password) or a"
          + " DatabaseKeyringParameter(jdbcUrl, properties, password), got "
          + param.getClass().getName());
    }
    KeyringParameter kp = (KeyringParameter) param;
    char[] pw = ((KeyStore.PasswordProtection) kp.getProtectionParameter()).getPassword();
    if (pw == null) {
      throw new IOException("the KeyringParameter's password was destroyed");
    }
    return openLive(kp.getFile(), pw, kp.createsMissing());
  }

  /** Opens {@code file} live; {@code create} says whether a missing store is made. */
  private static Opened openLive(Path file, char[] pw, boolean create) throws IOException {
    try {
      FileKeyBackend b = create ? FileKeyBackend.open(file, pw, KdfParameters.defaults())
          : FileKeyBackend.openExisting(file, pw);
      b.removeStrayTemporaries();
      return new FileKeyring(b, b, null, pw);
    } catch (WrongPasswordException e) {
      throw wrongPassword(e);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static IOException wrongPassword(WrongPasswordException e) {
    UnrecoverableKeyException u = new UnrecoverableKeyException(e.getMessage());
    u.initCause(e);
    return new IOException(e.getMessage(), u);
  }

  @Override
  public Opened load(InputStream stream, char[] password) throws IOException {
    if (stream == null) {
      if (config != null) {
        if (password == null) {
          throw new IOException("the Clavis key store " + config.store() + " is encrypted: give its password"
              + " (keytool -storepass)");
        }
        Opened o = openLive(config.store(), password, config.create());
        if (Boolean.getBoolean(KeytoolSession.VERBOSE)) {
          System.err.println("clavis: key store " + config.store() + " opened live");
        }
        return o;
      }
      if (calledByKeytool()) {
        throw new IOException("keytool cannot create a Clavis store: it would write the file with no lock and no"
            + " audit log. Create it first with 'clavis init --store FILE', or use -keystore NONE -providerarg"
            + " with a store configuration saying create = true");
      }
      FileKeyBackend b = FileKeyBackend.inMemory(KdfParameters.defaults());
      return new FileKeyring(b, b, null, null);
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
    Optional<Path> origin;
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
      return new FileKeyring(detached, detached, null, null);
    }
    try {
      KeytoolSession s = KeytoolSession.bind(origin.get(), detached, password);
      try {
        return new FileKeyring(s.backend(), s.backend().live(), s, null);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
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
  public boolean probe(InputStream stream) throws IOException {
    return FileKeyBackend.startsLikeStore(stream.readNBytes(8)); // the format's one owner knows the magic
  }

  /**
   * A loaded file store: live on its file (with the password it was opened with), a keytool
   * session on its file, or a detached image in memory.
   */
  private static final class FileKeyring implements Opened {
    private final KeyringEngine engine;
    private final FileKeyBackend backend;
    private final KeytoolSession session;
    private final boolean live;
    private char[] livePassword;

    /**
     * @param over what the engine runs on (the backend, or a keytool session's guard over it)
     * @param backend the file (or memory) store; closed here if the engine cannot start
     * @param session the keytool session, or null
     * @param livePassword the password of a live store (copied), or null for a detached image or session
     */
    FileKeyring(KeyBackend over, FileKeyBackend backend, KeytoolSession session, char[] livePassword) {
      try {
        this.engine = new KeyringEngine(over, Clock.systemUTC(), Duration.ofMillis(20));
      } catch (RuntimeException e) {
        backend.close();
        throw e;
      }
      this.backend = backend;
      this.session = session;
      this.live = livePassword != null;
      this.livePassword = livePassword == null ? null : livePassword.clone();
    }

    @Override
    public KeyringEngine engine() {
      return engine;
    }

    @Override
    public void store(OutputStream stream, char[] password) throws IOException {
      if (password == null) {
        throw new IOException("the Clavis key store needs a password to be written");
      }
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
    public void store(KeyStore.LoadStoreParameter param) {
      if (!live) {
        throw new UnsupportedOperationException("store(LoadStoreParameter) applies to a live store opened with"
            + " KeyringParameter; use store(OutputStream, char[])");
      }
      // every change is already durable
    }

    @Override
    public void close() {
      try {
        engine.close();
      } finally {
        if (session != null) {
          session.close();
        }
        if (livePassword != null) {
          Arrays.fill(livePassword, '\0');
          livePassword = null;
        }
      }
    }
  }
}
