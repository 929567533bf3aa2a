package dev.clavis.keyring.file;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.store.KeyBackend;
import dev.clavis.keyring.store.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted file store: one file holding the engine's metadata and every key's material.
 *
 * <h2>Format (version 1, big-endian)</h2>
 *
 * <pre>
 * header  magic "CLAVISKS" | u16 format | u8 kdf (1 Argon2id, 2 PBKDF2-HMAC-SHA256, 3 token key) | u32 t or iterations
 *         | u32 m KiB | u32 p | u8 salt length (16..64) | salt | IV (12) | wrapped master key (32 + 16)
 *         | u64 generation | u32 blob length | u64 material length | header MAC (32)
 * body    blob:     IV (12) | AES-256-GCM(K_meta, u32 n | metadata | u32 count | index entry*,
 *                             AAD = "clavis-store/v1/blob" | generation)
 *         material: record* (IV (12) | AES-256-GCM(K_key, key bytes, AAD = name "#" version | alg | flags))
 * trailer SHA-256(header | SHA-256(body))
 * index entry = u16 name length | name | u32 version | u8 algorithm code | u8 flags | u64 offset | u16 length
 * (algorithm code = {@link KeyAlgorithm#code()}, stable across releases, never an ordinal)
 * </pre>
 *
 * <p>Key hierarchy: password → KDF (salt) → K_pw, which GCM-wraps a random 256-bit master key
 * (AAD = the header bytes before the IV, so the KDF parameters are bound). From the master key,
 * HMAC-SHA256 derives K_meta, K_key, K_mac and K_audit (labels {@code clavis/v1/...}). The header
 * MAC (K_mac over the header and SHA-256 of the body) commits to the whole file and its
 * generation, so records cannot be swapped, dropped, reordered or rolled back unnoticed; each
 * material record also binds its name and version as GCM associated data. A migration of the KDF
 * or a new password only re-wraps the master key.
 *
 * <p>A token-rooted store (kdf 3, t = m = p = 0) has no password: its salt field is the 16-byte id
 * of a non-extractable AES-256 root key on a PKCS#11 token (label and {@code CKA_ID}
 * {@code clavis-root:<hex>}, see {@link TokenRoot}), and the master key is wrapped by
 * {@code CKM_AES_GCM} on the token under that key with the same IV, tag and AAD, so root (token)
 * → master key → record keys. It opens only through {@link #open(Path, TokenRoot)}.
 *
 * <p>Opening checks, in order, each with its own error and without changing the file: magic
 * (not a store), format version, KDF limits (before any work), length (truncated), trailer
 * checksum (damaged), the master key's GCM tag (wrong password), the header MAC and the blob's
 * tag (tampered).
 *
 * <p>Writes are atomic and durable, through {@link AtomicFile}: the store's real path is resolved
 * once (a symlinked store is replaced where it lives), the new file is written aside (0600),
 * forced to disk, renamed over the old one, and the directory is forced. A file lock on
 * {@code <real store>.lock} (plus a lock per real path inside the JVM) serialises writers across
 * threads and processes; the audit log {@code <real store>.audit} sits beside it. Material is
 * decrypted lazily, record by record, and cached by {@code name#version}.
 */
public final class FileKeyBackend implements KeyBackend {

  static final byte[] MAGIC = "CLAVISKS".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  private static final int KDF_ARGON2ID = 1;
  private static final int KDF_PBKDF2 = 2;
  private static final int KDF_TOKEN = 3;
  private static final int SALT_LENGTH = 16;
  private static final int MASTER_LENGTH = 32;
  private static final int IV = 12;
  private static final int TAG = 16;
  private static final byte[] BLOB_AAD = "clavis-store/v1/blob".getBytes(StandardCharsets.US_ASCII);

  /** Runs the audit log's sync beside the store's (daemon threads, created on demand). */
  private static final java.util.concurrent.ExecutorService SYNCER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "clavis-store-sync");
    t.setDaemon(true);
    return t;
  });
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The parsed, decrypted content of one version of the file. */
  private static final class Image {
    long generation;
    KdfParameters kdf;
    byte[] salt;
    byte[] masterIv;
    byte[] wrappedMaster;
    byte[] metadata = new byte[0];
    Map<KeyRef, Entry> index = new LinkedHashMap<>();
  }

  /** Where one material record lives (encrypted), and what it is. */
  private static final class Entry {
    final KeyAlgorithm algorithm;
    final boolean exportable;
    final byte[] source;
    final int offset;
    final int length;

    Entry(KeyAlgorithm algorithm, boolean exportable, byte[] source, int offset, int length) {
      this.algorithm = algorithm;
      this.exportable = exportable;
      this.source = source;
      this.offset = offset;
      this.length = length;
    }
  }

  private final AtomicFile atomic; // null: in memory
  private final Path file; // the real path, resolved once; null: in memory
  private final ReentrantLock memoryLock = new ReentrantLock(); // serialises writers of an in-memory store
  private final byte[] master;
  private final SecretKeySpec metaKey;
  private final SecretKeySpec keyKey;
  private final byte[] macKey;
  private final ConcurrentHashMap<KeyRef, FileMaterial> cache = new ConcurrentHashMap<>();
  private volatile Image image;
  private volatile boolean closed;

  private FileKeyBackend(AtomicFile atomic, byte[] master, Image image) {
    this.atomic = atomic;
    this.file = atomic == null ? null : atomic.path();
    this.master = master;
    this.metaKey = aesKey(derive(master, "clavis/v1/metadata"));
    this.keyKey = aesKey(derive(master, "clavis/v1/key-records"));
    this.macKey = derive(master, "clavis/v1/header-mac");
    this.image = image;
  }

  /** A key spec over a copy of {@code raw}, which is wiped (SecretKeySpec keeps its own copy). */
  private static SecretKeySpec aesKey(byte[] raw) {
    try {
      return new SecretKeySpec(raw, "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  // ------------------------------------------------------------------ opening

  /**
   * Opens the store at {@code file}, creating it with {@code kdfForNew} if it does not exist.
   *
   * @throws WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws dev.clavis.keyring.WeakKdfException if the store is to be created with settings below
   *     OWASP's minimums that are not {@link KdfParameters#allowingWeak()}
   * @throws KeyringException if it cannot be read or written
   */
  public static FileKeyBackend open(Path file, char[] password, KdfParameters kdfForNew) {
    Objects.requireNonNull(password, "password");
    if (kdfForNew != null && kdfForNew.algorithm() == KdfParameters.Algorithm.PKCS11_WRAPPED) {
      throw new IllegalArgumentException("a token-rooted store is created with a TokenRoot, not a password");
    }
    if (!Files.exists(file)) {
      // early, so a refused creation leaves no lock file either; checked again under the lock
      KdfLimits.requireStrongEnough(kdfForNew == null ? KdfParameters.defaults() : kdfForNew,
          "cannot create the key store " + file);
    }
    return open(file, img -> {
      KdfLimits.requireStrongEnough(img.kdf, "cannot create the key store " + file);
      byte[] m = randomBytes(MASTER_LENGTH);
      byte[] pw = deriveFromPassword(password, img.kdf, img.salt);
      try {
        wrapMaster(img, pw, m);
      } finally {
        Arrays.fill(pw, (byte) 0);
      }
      return m;
    }, kdfForNew, (p, where) -> unlock(p, password, where));
  }

  /**
   * Opens the existing store at {@code file}; never creates one, so a mistyped path is an error
   * rather than a new, empty store.
   *
   * @throws NoSuchStoreException if there is no file at {@code file}
   * @throws WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws KeyringException if it cannot be read
   */
  public static FileKeyBackend openExisting(Path file, char[] password) {
    Objects.requireNonNull(password, "password");
    Path f = file.toAbsolutePath().normalize();
    if (!Files.exists(f)) {
      throw new NoSuchStoreException(f);
    }
    // the creator runs only if the file vanished after the check above: still no new store
    return open(f, img -> {
      throw new NoSuchStoreException(f);
    }, null, (p, where) -> unlock(p, password, where));
  }

  /**
   * Opens the token-rooted store at {@code file}, creating it if it does not exist: a new root key
   * is generated on the token and wraps (AES-256-GCM on the token, AAD = the header before the IV)
   * a random master key made in software. The token is used only while opening.
   *
   * @throws KeyringException if the store is password-protected, the token lacks its root key
   *     (wrong token, or destroyed) or the root key does not open it
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   */
  public static FileKeyBackend open(Path file, TokenRoot root) {
    Objects.requireNonNull(root, "root");
    return open(file, img -> {
      img.salt = root.createKey();
      try {
        byte[] m = randomBytes(MASTER_LENGTH);
        img.masterIv = randomBytes(IV);
        img.wrappedMaster = root.wrap(img.salt, img.masterIv, headerPrefix(img.kdf, img.salt), m);
        return m;
      } catch (RuntimeException e) {
        try {
          root.destroyKey(img.salt);
        } catch (RuntimeException d) {
          e.addSuppressed(d);
        }
        throw e;
      }
    }, KdfParameters.pkcs11Wrapped(), (p, where) -> {
      if (p.kdf.algorithm() != KdfParameters.Algorithm.PKCS11_WRAPPED) {
        throw new KeyringException(where + " is protected by a password (" + p.kdf + "), not by a token key:"
            + " open it without the token (no --hsm)");
      }
      return root.unwrap(p.salt, p.masterIv, headerPrefix(p), p.wrappedMaster, where);
    });
  }

  /**
   * @return whether {@code file} starts like a token-rooted store (magic, format, kdf 3); false if
   *     it cannot be read or is of another kind. Reads only the first bytes; verifies nothing.
   */
  public static boolean isTokenRooted(Path file) {
    byte[] head = new byte[MAGIC.length + 3];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)
        && ((head[MAGIC.length] & 0xFF) << 8 | head[MAGIC.length + 1] & 0xFF) == FORMAT
        && head[MAGIC.length + 2] == KDF_TOKEN;
  }

  /** Makes the master key of a new image and fills in its wrapping. */
  private interface Creator {
    byte[] create(Image img);
  }

  /** Recovers the master key from a parsed header. */
  private interface Unlocker {
    byte[] unlock(Parsed p, String where);
  }

  private static FileKeyBackend open(Path file, Creator creator, KdfParameters kdfForNew, Unlocker unlocker) {
    AtomicFile af = AtomicFile.of(file, "the key store");
    Path f = af.path();
    if (!af.exists()) {
      try (AtomicFile.Lock l = af.lock()) {
        if (!af.exists()) {
          Image img = newImage(kdfForNew);
          byte[] m = creator.create(img);
          FileKeyBackend b = new FileKeyBackend(af, m, img);
          b.writeImage(b.assemble(img, 1, new byte[0], List.of()), img);
          return b;
        }
      }
    }
    byte[] bytes = readFile(f);
    Parsed p = parseHeader(bytes, f.toString());
    byte[] m = unlocker.unlock(p, f.toString());
    FileKeyBackend b = new FileKeyBackend(af, m, null);
    b.image = b.decryptBody(p, bytes, f.toString());
    return b;
  }

  /** Opens a store image read from a stream (KeyStore.load), kept in memory. */
  public static FileKeyBackend fromBytes(byte[] bytes, char[] password) {
    Parsed p = parseHeader(bytes, "the key store stream");
    byte[] m = unlock(p, password, "the key store stream");
    FileKeyBackend b = new FileKeyBackend(null, m, null);
    b.image = b.decryptBody(p, bytes, "the key store stream");
    return b;
  }

  /** A new, empty store kept in memory until written out with {@link #writeTo}. */
  public static FileKeyBackend inMemory(KdfParameters kdf) {
    Image img = newImage(kdf);
    img.generation = 0;
    byte[] m = randomBytes(MASTER_LENGTH);
    // no password yet: writeTo wraps the master key under the password given then
    byte[] placeholder = randomBytes(32);
    wrapMaster(img, placeholder, m);
    Arrays.fill(placeholder, (byte) 0);
    return new FileKeyBackend(null, m, img);
  }

  private static Image newImage(KdfParameters kdf) {
    Image img = new Image();
    img.kdf = kdf == null ? KdfParameters.defaults() : kdf;
    img.salt = randomBytes(SALT_LENGTH);
    return img;
  }

  private static byte[] readFile(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new KeyringException("the key store " + f + " disappeared while opening it");
    } catch (IOException e) {
      throw new KeyringException("cannot read the key store " + f + ": " + e.getMessage(), e);
    }
  }

  /** The plaintext header fields. */
  private static final class Parsed {
    KdfParameters kdf;
    byte[] salt;
    byte[] masterIv;
    byte[] wrappedMaster;
    int wrapAadLength;
    long generation;
    int blobLength;
    long materialLength;
    int macOffset;
    int headerLength;
    byte[] bodyDigest;
  }

  private static Parsed parseHeader(byte[] b, String where) {
    if (b.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
      if (b.length < MAGIC.length && Arrays.equals(b, Arrays.copyOf(MAGIC, b.length)) && b.length > 0) {
        throw new StoreDamagedException(Kind.TRUNCATED, where + " is truncated: it ends inside its header");
      }
      throw new StoreDamagedException(Kind.NOT_A_STORE, where + " is not a Clavis key store (no CLAVISKS magic);"
          + " for PKCS12 or JCEKS files use keytool -importkeystore");
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    in.position(MAGIC.length);
    try {
      int format = in.getShort() & 0xFFFF;
      if (format != FORMAT) {
        throw new StoreDamagedException(Kind.UNSUPPORTED_VERSION, where + " has store format " + format
            + "; this Clavis reads format " + FORMAT + ": use a newer Clavis");
      }
      Parsed p = new Parsed();
      int kdf = in.get() & 0xFF;
      int t = in.getInt();
      int m = in.getInt();
      int par = in.getInt();
      if (kdf == KDF_ARGON2ID) {
        p.kdf = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, t, m, par);
      } else if (kdf == KDF_PBKDF2) {
        p.kdf = KdfParameters.unchecked(KdfParameters.Algorithm.PBKDF2_HMAC_SHA256, t, 0, 0);
      } else if (kdf == KDF_TOKEN) {
        p.kdf = KdfParameters.unchecked(KdfParameters.Algorithm.PKCS11_WRAPPED, t, m, par);
      } else {
        throw new StoreDamagedException(Kind.DAMAGED, where + " names an unknown KDF (" + kdf + "): the header is damaged");
      }
      // cap before any work: a forged header must not make opening slow or huge
      Optional<String> excess = KdfLimits.excess(p.kdf);
      if (excess.isPresent()) {
        throw new StoreDamagedException(Kind.KDF_LIMITS, where + " asks for more KDF work than allowed: "
            + excess.get() + "; the header is forged or damaged, or the store was made where the cap is raised"
            + " (raise it here too)");
      }
      if (!p.kdf.valid()) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has invalid KDF parameters " + p.kdf
            + ": the header is damaged");
      }
      int saltLen = in.get() & 0xFF;
      if (saltLen < 16 || saltLen > 64) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has a salt of " + saltLen + " bytes: the header is damaged");
      }
      p.salt = new byte[saltLen];
      in.get(p.salt);
      p.wrapAadLength = in.position();
      p.masterIv = new byte[IV];
      in.get(p.masterIv);
      p.wrappedMaster = new byte[MASTER_LENGTH + TAG];
      in.get(p.wrappedMaster);
      p.generation = in.getLong();
      p.blobLength = in.getInt();
      p.materialLength = in.getLong();
      p.macOffset = in.position();
      if (in.remaining() < 32) {
        // position() past the limit would throw IllegalArgumentException, not underflow
        throw new BufferUnderflowException();
      }
      in.position(in.position() + 32);
      p.headerLength = in.position();
      if (p.blobLength < IV + TAG || p.materialLength < 0) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has impossible section lengths: the header is damaged");
      }
      long expected = (long) p.headerLength + p.blobLength + p.materialLength + 32;
      if (b.length < expected) {
        throw new StoreDamagedException(Kind.TRUNCATED, where + " is truncated: " + b.length + " bytes of "
            + expected + "; restore it from a backup");
      }
      if (b.length > expected) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has " + (b.length - expected)
            + " unexpected bytes after its end: it is damaged");
      }
      // the unkeyed trailer tells accidental damage from a wrong password
      byte[] bodyDigest = sha256(b, p.headerLength, (int) (p.blobLength + p.materialLength));
      p.bodyDigest = bodyDigest;
      byte[] trailer = trailer(b, p.headerLength, bodyDigest);
      if (!MessageDigest.isEqual(trailer, Arrays.copyOfRange(b, b.length - 32, b.length))) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " is damaged: its checksum does not match"
            + " (a byte was changed); restore it from a backup");
      }
      return p;
    } catch (BufferUnderflowException e) {
      throw new StoreDamagedException(Kind.TRUNCATED, where + " is truncated: it ends inside its header");
    }
  }

  private static byte[] unlock(Parsed p, char[] password, String where) {
    if (p.kdf.algorithm() == KdfParameters.Algorithm.PKCS11_WRAPPED) {
      throw new KeyringException(where + " has no password: its master key is wrapped by the token key "
          + TokenRoot.label(p.salt) + "; open it with its PKCS#11 token (clavis --store FILE --hsm CONFIG)");
    }
    byte[] pw = deriveFromPassword(password, p.kdf, p.salt);
    try {
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(pw, "AES"), new GCMParameterSpec(128, p.masterIv));
      c.updateAAD(headerPrefix(p));
      return c.doFinal(p.wrappedMaster);
    } catch (AEADBadTagException e) {
      throw new WrongPasswordException("wrong password for " + where + " (the store was not changed)");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot unlock " + where + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] headerPrefix(Parsed p) {
    return headerPrefix(p.kdf, p.salt);
  }

  private static byte[] headerPrefix(KdfParameters kdf, byte[] salt) {
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + 1 + 12 + 1 + salt.length);
    b.put(MAGIC).putShort((short) FORMAT);
    if (kdf.algorithm() == KdfParameters.Algorithm.ARGON2ID) {
      b.put((byte) KDF_ARGON2ID).putInt(kdf.iterations()).putInt(kdf.memoryKiB()).putInt(kdf.parallelism());
    } else if (kdf.algorithm() == KdfParameters.Algorithm.PKCS11_WRAPPED) {
      b.put((byte) KDF_TOKEN).putInt(0).putInt(0).putInt(0);
    } else {
      b.put((byte) KDF_PBKDF2).putInt(kdf.iterations()).putInt(0).putInt(0);
    }
    b.put((byte) salt.length).put(salt);
    return b.array();
  }

  private Image decryptBody(Parsed p, byte[] b, String where) {
    byte[] bodyDigest = p.bodyDigest;
    byte[] mac = headerMac(b, p.macOffset, bodyDigest);
    if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(b, p.macOffset, p.macOffset + 32))) {
      throw new StoreDamagedException(Kind.TAMPERED, where + " fails its integrity check (header MAC): it was"
          + " modified, or records were swapped, dropped or rolled back; restore it from a backup");
    }
    byte[] blob;
    try {
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, metaKey, new GCMParameterSpec(128, b, p.headerLength, IV));
      c.updateAAD(BLOB_AAD);
      c.updateAAD(ByteBuffer.allocate(8).putLong(p.generation).array());
      blob = c.doFinal(b, p.headerLength + IV, p.blobLength - IV);
    } catch (AEADBadTagException e) {
      throw new StoreDamagedException(Kind.TAMPERED, where + " fails its integrity check (metadata): it was"
          + " modified; restore it from a backup");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot decrypt " + where + ": " + e.getMessage(), e);
    }
    Image img = new Image();
    img.generation = p.generation;
    img.kdf = p.kdf;
    img.salt = p.salt;
    img.masterIv = p.masterIv;
    img.wrappedMaster = p.wrappedMaster;
    try {
      ByteBuffer in = ByteBuffer.wrap(blob);
      int docLen = in.getInt();
      if (docLen < 0 || docLen > in.remaining()) {
        throw new IllegalArgumentException("metadata length " + docLen);
      }
      img.metadata = new byte[docLen];
      in.get(img.metadata);
      int count = in.getInt();
      // an index entry is at least 17 bytes: a count beyond that is not to be allocated for
      if (count < 0 || count > in.remaining() / 17) {
        throw new IllegalArgumentException("index count " + count);
      }
      int materialStart = p.headerLength + p.blobLength;
      Map<KeyRef, Entry> index = new LinkedHashMap<>(Math.max(16, count * 4 / 3 + 1));
      for (int i = 0; i < count; i++) {
        int nl = in.getShort() & 0xFFFF;
        if (nl > in.remaining()) {
          throw new java.nio.BufferUnderflowException();
        }
        String name = new String(blob, in.position(), nl, StandardCharsets.UTF_8);
        in.position(in.position() + nl);
        int version = in.getInt();
        int code = in.get() & 0xFF;
        KeyAlgorithm alg = KeyAlgorithm.fromCode(code).orElseThrow(() -> new StoreDamagedException(Kind.TAMPERED,
            where + " holds key " + name + "#" + version + " of an unknown algorithm code " + code + ": it was"
                + " written by a newer or incompatible Clavis (use that version), or it is damaged"));
        int flags = in.get() & 0xFF;
        long off = in.getLong();
        int len = in.getShort() & 0xFFFF;
        if (off < 0 || off + len > p.materialLength) {
          throw new StoreDamagedException(Kind.TAMPERED, where + " has a key record outside its material area");
        }
        index.put(KeyRef.of(name, version), new Entry(alg, (flags & 1) != 0, b, (int) (materialStart + off), len));
      }
      img.index = index;
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      // authenticated, so only a writer bug or a forger holding the master key gets here
      throw new StoreDamagedException(Kind.TAMPERED, where + " has a malformed metadata section although it"
          + " authenticates; restore it from a backup");
    }
    return img;
  }

  // ------------------------------------------------------------------ KDF and key derivation

  private static byte[] deriveFromPassword(char[] password, KdfParameters kdf, byte[] salt) {
    if (kdf.algorithm() == KdfParameters.Algorithm.PKCS11_WRAPPED) {
      throw new KeyringException("a store rooted in a PKCS#11 token has no password to derive a key from");
    }
    if (kdf.algorithm() == KdfParameters.Algorithm.ARGON2ID) {
      return argon2id(password, salt, kdf.iterations(), kdf.memoryKiB(), kdf.parallelism());
    }
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, kdf.iterations(), 256);
      try {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new KeyringException("PBKDF2-HMAC-SHA256 is unavailable in this JDK", e);
    }
  }

  /**
   * The one place the store runs Argon2id (RFC 9106, version 0x13, 32-byte tag), on Clavis's own
   * engine: lanes in parallel, memory wiped afterwards. The password is encoded as UTF-8.
   */
  private static byte[] argon2id(char[] password, byte[] salt, int t, int mKiB, int p) {
    byte[] pw = toUtf8(password);
    try {
      return Argon2.hash(Argon2Type.ARGON2ID, pw, salt, null, null, t, mKiB, p, 32);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] toUtf8(char[] password) {
    ByteBuffer bb = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }

  private static byte[] derive(byte[] master, String label) {
    try {
      Mac m = Mac.getInstance("HmacSHA256", FileMaterial.SUNJCE);
      m.init(new SecretKeySpec(master, "HmacSHA256"));
      return m.doFinal(label.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  private static void wrapMaster(Image img, byte[] pwKey, byte[] master) {
    try {
      img.masterIv = randomBytes(IV);
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(pwKey, "AES"), new GCMParameterSpec(128, img.masterIv));
      c.updateAAD(headerPrefix(img.kdf, img.salt));
      img.wrappedMaster = c.doFinal(master);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot wrap the master key", e);
    }
  }

  private byte[] headerMac(byte[] header, int macOffset, byte[] bodyDigest) {
    try {
      Mac m = Mac.getInstance("HmacSHA256", FileMaterial.SUNJCE);
      m.init(new SecretKeySpec(macKey, "HmacSHA256"));
      m.update(header, 0, macOffset);
      return m.doFinal(bodyDigest);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] sha256(byte[] b, int off, int len) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(b, off, len);
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new KeyringException("SHA-256 is unavailable", e);
    }
  }

  private static byte[] trailer(byte[] b, int headerLength, byte[] bodyDigest) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(b, 0, headerLength);
      return d.digest(bodyDigest);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("SHA-256 is unavailable", e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  // ------------------------------------------------------------------ writing

  /** A record to write: either kept from the current image, or newly encrypted. */
  private record Out(KeyRef ref, KeyAlgorithm algorithm, boolean exportable, byte[] source, int offset, int length) {}

  private static byte[] recordAad(KeyRef ref, KeyAlgorithm alg, boolean exportable) {
    byte[] n = (ref.name() + "#" + ref.version().getAsInt()).getBytes(StandardCharsets.UTF_8);
    byte[] aad = Arrays.copyOf(n, n.length + 2);
    aad[n.length] = (byte) alg.code();
    aad[n.length + 1] = (byte) (exportable ? 1 : 0);
    return aad;
  }

  private byte[] encryptRecord(KeyRef ref, KeyAlgorithm alg, boolean exportable, byte[] material) {
    try {
      byte[] iv = randomBytes(IV);
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keyKey, new GCMParameterSpec(128, iv));
      c.updateAAD(recordAad(ref, alg, exportable));
      byte[] out = Arrays.copyOf(iv, IV + material.length + TAG);
      c.doFinal(material, 0, material.length, out, IV);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot encrypt the record of " + ref, e);
    }
  }

  /** Builds the bytes of a whole store file. */
  private byte[] assemble(Image img, long generation, byte[] metadata, List<Out> records) {
    try {
      long materialLength = 0;
      for (Out o : records) {
        materialLength += o.length();
      }
      ByteArrayOutputStream blob = new ByteArrayOutputStream(metadata.length + records.size() * 40 + 16);
      DataOutputStream bo = new DataOutputStream(blob);
      bo.writeInt(metadata.length);
      bo.write(metadata);
      bo.writeInt(records.size());
      long off = 0;
      for (Out o : records) {
        byte[] n = o.ref().name().getBytes(StandardCharsets.UTF_8);
        bo.writeShort(n.length);
        bo.write(n);
        bo.writeInt(o.ref().version().getAsInt());
        bo.writeByte(o.algorithm().code());
        bo.writeByte(o.exportable() ? 1 : 0);
        bo.writeLong(off);
        bo.writeShort(o.length());
        off += o.length();
      }
      bo.flush();
      byte[] plainBlob = blob.toByteArray();
      byte[] iv = randomBytes(IV);
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, metaKey, new GCMParameterSpec(128, iv));
      c.updateAAD(BLOB_AAD);
      c.updateAAD(ByteBuffer.allocate(8).putLong(generation).array());
      int blobLength = IV + plainBlob.length + TAG;
      byte[] prefix = headerPrefix(img.kdf, img.salt);
      int headerLength = prefix.length + IV + MASTER_LENGTH + TAG + 8 + 4 + 8 + 32;
      long total = (long) headerLength + blobLength + materialLength + 32;
      if (total > Integer.MAX_VALUE - 16) {
        throw new KeyringException("the key store would exceed 2 GiB; split it");
      }
      byte[] out = new byte[(int) total];
      ByteBuffer bb = ByteBuffer.wrap(out);
      bb.put(prefix).put(img.masterIv).put(img.wrappedMaster).putLong(generation).putInt(blobLength)
          .putLong(materialLength);
      int macOffset = bb.position();
      bb.position(headerLength);
      bb.put(iv);
      c.doFinal(plainBlob, 0, plainBlob.length, out, headerLength + IV);
      Arrays.fill(plainBlob, (byte) 0);
      int pos = headerLength + blobLength;
      for (Out o : records) {
        System.arraycopy(o.source(), o.offset(), out, pos, o.length());
        pos += o.length();
      }
      byte[] bodyDigest = sha256(out, headerLength, (int) (blobLength + materialLength));
      System.arraycopy(headerMac(out, macOffset, bodyDigest), 0, out, macOffset, 32);
      System.arraycopy(trailer(out, headerLength, bodyDigest), 0, out, out.length - 32, 32);
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyringException("cannot assemble the key store", e);
    }
  }

  /** Writes aside, forces, renames over the store, forces the directory (or keeps in memory). */
  private void writeImage(byte[] bytes, Image img) {
    writeImage(bytes, img, List.of());
  }

  /**
   * As above; {@code beforePublish} steps (the audit log's sync) run on another thread while the
   * new file is forced, so the two syncs overlap, and both finish before the rename.
   */
  private void writeImage(byte[] bytes, Image img, List<Runnable> beforePublish) {
    if (file == null) {
      beforePublish.forEach(Runnable::run);
      reindex(bytes, img);
      return;
    }
    java.util.concurrent.CompletableFuture<Void> side = beforePublish.isEmpty() ? null
        : java.util.concurrent.CompletableFuture.runAsync(() -> beforePublish.forEach(Runnable::run), SYNCER);
    atomic.replace(bytes, () -> {
      if (side != null) {
        try {
          side.join();
        } catch (java.util.concurrent.CompletionException e) {
          Throwable c = e.getCause();
          throw c instanceof RuntimeException ? (RuntimeException) c : new KeyringException(String.valueOf(c), c);
        }
      }
    });
    reindex(bytes, img);
  }

  /** The exclusive hold of the store: its file lock, or a JVM lock for a store kept in memory. */
  private AtomicFile.Lock exclusive() {
    return atomic == null ? AtomicFile.Lock.inProcess(memoryLock) : atomic.lock();
  }

  /** Points the index of {@code img} at the records inside the newly written bytes. */
  private void reindex(byte[] bytes, Image img) {
    Parsed p = parseHeaderTrusted(bytes);
    int materialStart = p.headerLength + p.blobLength;
    Map<KeyRef, Entry> fresh = new LinkedHashMap<>();
    int off = 0;
    for (Map.Entry<KeyRef, Entry> e : img.index.entrySet()) {
      Entry x = e.getValue();
      fresh.put(e.getKey(), new Entry(x.algorithm, x.exportable, bytes, materialStart + off, x.length));
      off += x.length;
    }
    img.index = fresh;
    this.image = img;
  }

  private static Parsed parseHeaderTrusted(byte[] b) {
    return parseHeader(b, "the key store just written");
  }

  /**
   * Whether another writer replaced the file since {@code img} was read. The generation in the
   * header decides (it grows by one on every commit); file identity and times are not enough,
   * because a file system may reuse an inode number with the same size within one clock tick.
   * The header is read unauthenticated here; a reload verifies everything.
   */
  private boolean changedOnDisk(Image img) {
    if (file == null) {
      return false;
    }
    return diskGeneration() != img.generation;
  }

  private long diskGeneration() {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(24 + 64 + IV + MASTER_LENGTH + TAG + 8);
      while (b.hasRemaining() && ch.read(b) > 0) {
        // read the header's fixed part
      }
      if (b.position() < 24) {
        return -1;
      }
      int saltLen = b.get(23) & 0xFF;
      int off = 24 + saltLen + IV + MASTER_LENGTH + TAG;
      return b.position() >= off + 8 ? b.getLong(off) : -1;
    } catch (IOException e) {
      throw new KeyringException("the key store " + file + " cannot be read any more: " + e.getMessage(), e);
    }
  }

  /** Re-reads the file written by another process; material already cached stays valid (same name#version). */
  private Image reload() {
    byte[] bytes = readFile(file);
    Parsed p = parseHeader(bytes, file.toString());
    Image img = decryptBody(p, bytes, file.toString());
    if (image != null && img.generation < image.generation) {
      // a running process never goes back: the file was replaced by an older copy
      throw new StoreDamagedException(Kind.ROLLED_BACK, "the key store " + file + " was replaced by an older copy:"
          + " this process has seen generation " + image.generation + " but the file is at generation "
          + img.generation + " (the file was not changed)");
    }
    cache.keySet().removeIf(r -> !img.index.containsKey(r));
    this.image = img;
    return img;
  }

  // ------------------------------------------------------------------ KeyBackend

  private void ensureOpen() {
    if (closed) {
      throw new KeyringException("the key store " + describe() + " was closed");
    }
  }

  @Override
  public Snapshot read() {
    ensureOpen();
    Image img = image;
    if (changedOnDisk(img)) {
      synchronized (this) {
        img = image;
        if (changedOnDisk(img)) {
          img = reload();
        }
      }
    }
    return new Snapshot(img.generation, img.metadata);
  }

  @Override
  public long generation() {
    ensureOpen();
    Image img = image;
    if (changedOnDisk(img)) {
      synchronized (this) {
        if (changedOnDisk(image)) {
          return reload().generation;
        }
      }
    }
    return image.generation;
  }

  private final class Staged implements Changes {
    final Map<KeyRef, byte[]> added = new LinkedHashMap<>(); // encrypted records
    final Map<KeyRef, FileMaterial> addedMaterial = new HashMap<>();
    final List<KeyRef> erased = new ArrayList<>();
    final List<Runnable> beforePublish = new ArrayList<>();
    byte[] metadata;

    @Override
    public void beforePublish(Runnable durableStep) {
      beforePublish.add(durableStep);
    }

    @Override
    public void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable) {
      byte[] k = randomBytes(algorithm.bits() / 8);
      try {
        importMaterial(version, algorithm, k, exportable);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    }

    @Override
    public void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable) {
      requireVersion(version);
      if (!algorithm.acceptsLength(material.length)) {
        throw new IllegalArgumentException(algorithm + " material cannot be " + material.length + " bytes");
      }
      added.put(version, encryptRecord(version, algorithm, exportable, material));
      addedMaterial.put(version, new FileMaterial(version, algorithm, exportable, material));
      erased.remove(version);
    }

    @Override
    public void erase(KeyRef version) {
      requireVersion(version);
      added.remove(version);
      FileMaterial m = addedMaterial.remove(version);
      if (m != null) {
        m.wipe();
      }
      erased.add(version);
    }

    @Override
    public void setMetadata(byte[] metadata) {
      this.metadata = metadata.clone();
    }

    boolean any() {
      return metadata != null || !added.isEmpty() || !erased.isEmpty();
    }
  }

  private static void requireVersion(KeyRef r) {
    if (r.version().isEmpty()) {
      throw new IllegalArgumentException("material is addressed by version (name#N), got " + r);
    }
  }

  @Override
  public <T> T transact(Transaction<T> tx) {
    ensureOpen();
    try (AtomicFile.Lock l = exclusive()) {
      Image cur = image;
      if (changedOnDisk(cur)) {
        cur = reload();
      }
      Staged s = new Staged();
      T result;
      try {
        result = tx.run(new Snapshot(cur.generation, cur.metadata), s);
      } catch (RuntimeException e) {
        s.addedMaterial.values().forEach(FileMaterial::wipe);
        throw e;
      }
      if (!s.any()) {
        return result;
      }
      commit(cur, s);
      return result;
    }
  }

  private void commit(Image cur, Staged s) {
    commit(cur, s, cur);
  }

  /** Commits {@code s} over {@code cur}, with the master-key protection (KDF, salt, wrapping) of {@code protection}. */
  private void commit(Image cur, Staged s, Image protection) {
    Image next = new Image();
    next.generation = cur.generation + 1;
    next.kdf = protection.kdf;
    next.salt = protection.salt;
    next.masterIv = protection.masterIv;
    next.wrappedMaster = protection.wrappedMaster;
    next.metadata = s.metadata != null ? s.metadata : cur.metadata;
    List<Out> records = new ArrayList<>(cur.index.size() + s.added.size());
    Map<KeyRef, Entry> index = new LinkedHashMap<>(Math.max(16, (cur.index.size() + s.added.size()) * 4 / 3 + 1));
    for (Map.Entry<KeyRef, Entry> e : cur.index.entrySet()) {
      if (s.erased.contains(e.getKey()) || s.added.containsKey(e.getKey())) {
        continue;
      }
      Entry x = e.getValue();
      records.add(new Out(e.getKey(), x.algorithm, x.exportable, x.source, x.offset, x.length));
      index.put(e.getKey(), x);
    }
    for (Map.Entry<KeyRef, byte[]> e : s.added.entrySet()) {
      FileMaterial m = s.addedMaterial.get(e.getKey());
      byte[] rec = e.getValue();
      records.add(new Out(e.getKey(), m.algorithm(), exportableOf(m), rec, 0, rec.length));
      index.put(e.getKey(), new Entry(m.algorithm(), exportableOf(m), rec, 0, rec.length));
    }
    next.index = index;
    byte[] bytes = assemble(next, next.generation, next.metadata, records);
    writeImage(bytes, next, s.beforePublish);
    // only now, with the file durable, do caches change
    for (KeyRef r : s.erased) {
      FileMaterial m = cache.remove(r);
      if (m != null) {
        m.wipe();
      }
    }
    cache.putAll(s.addedMaterial);
  }

  private static boolean exportableOf(FileMaterial m) {
    try {
      byte[] b = m.exportRaw();
      Arrays.fill(b, (byte) 0);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    FileMaterial m = cache.get(version);
    if (m != null) {
      return Optional.of(m);
    }
    ensureOpen();
    Entry e = image.index.get(version);
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of(cache.computeIfAbsent(version, r -> decryptRecord(r, e)));
  }

  /** One record cipher per thread: the same key for every record, so AES is keyed once. */
  private final ThreadLocal<Cipher> recordCipher = new ThreadLocal<>();

  private FileMaterial decryptRecord(KeyRef ref, Entry e) {
    try {
      Cipher c = recordCipher.get();
      if (c == null) {
        c = FileMaterial.cipher("AES/GCM/NoPadding");
        recordCipher.set(c);
      }
      c.init(Cipher.DECRYPT_MODE, keyKey, new GCMParameterSpec(128, e.source, e.offset, IV));
      c.updateAAD(recordAad(ref, e.algorithm, e.exportable));
      byte[] raw = c.doFinal(e.source, e.offset + IV, e.length - IV);
      try {
        return new FileMaterial(ref, e.algorithm, e.exportable, raw);
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (AEADBadTagException x) {
      throw new StoreDamagedException(Kind.TAMPERED, "the record of key " + ref + " in " + describe()
          + " fails its integrity check: it was swapped or modified");
    } catch (GeneralSecurityException x) {
      throw new KeyringException("cannot decrypt the record of key " + ref, x);
    }
  }

  @Override
  public byte[] auditKey() {
    return derive(master, "clavis/v1/audit");
  }

  @Override
  public Optional<Path> auditFile() {
    return atomic == null ? Optional.empty() : Optional.of(atomic.sibling(".audit"));
  }

  @Override
  public String describe() {
    return file == null ? "in-memory key store" : file.toString();
  }

  /** @return the writer lock file beside the store, or empty for an in-memory store */
  Optional<Path> lockFile() {
    return atomic == null ? Optional.empty() : Optional.of(atomic.lockPath());
  }

  /** @return the store file, or empty for an in-memory store */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** @return the KDF parameters in the header now */
  public KdfParameters kdf() {
    return image.kdf;
  }

  /**
   * Re-derives the password key with new KDF parameters (and optionally a new password) and
   * re-wraps the master key, in place and atomically; records are not re-encrypted. The
   * password must open the store.
   *
   * @param password the current password (checked first)
   * @param newPassword the new password, or null to keep it
   * @param kdf the new KDF parameters
   * @throws WrongPasswordException if {@code password} does not open the store
   * @throws dev.clavis.keyring.WeakKdfException if {@code kdf} differs from the store's and is
   *     below OWASP's minimums without {@link KdfParameters#allowingWeak()}
   */
  public void rekey(char[] password, char[] newPassword, KdfParameters kdf) {
    rekey(password, newPassword, kdf, null);
  }

  /**
   * As {@link #rekey(char[], char[], KdfParameters)}, committing {@code alongside} (the engine's
   * audit record of this change) in the same write, so the change and its record are durable
   * together or not at all.
   *
   * @param alongside a transaction run under the store's lock, or null
   * @return what {@code alongside} returned, or null
   * @throws WrongPasswordException if {@code password} does not open the store
   * @throws dev.clavis.keyring.WeakKdfException as above
   */
  public <T> T rekey(char[] password, char[] newPassword, KdfParameters kdf, Transaction<T> alongside) {
    Objects.requireNonNull(kdf, "kdf");
    ensureOpen();
    try (AtomicFile.Lock l = exclusive()) {
      Image cur = changedOnDisk(image) ? reload() : image;
      if (!kdf.equals(cur.kdf)) {
        // a new setting is a choice and must be strong enough; keeping the store's own is not
        KdfLimits.requireStrongEnough(kdf, "cannot migrate " + describe() + " from " + cur.kdf);
      }
      if (cur.generation > 0 || file != null) {
        Parsed p = new Parsed();
        p.kdf = cur.kdf;
        p.salt = cur.salt;
        p.masterIv = cur.masterIv;
        p.wrappedMaster = cur.wrappedMaster;
        byte[] m = unlock(p, password, describe());
        Arrays.fill(m, (byte) 0);
      }
      Image next = new Image();
      next.generation = cur.generation + 1;
      next.kdf = kdf;
      next.salt = randomBytes(SALT_LENGTH);
      byte[] pw = deriveFromPassword(newPassword != null ? newPassword : password, kdf, next.salt);
      try {
        wrapMaster(next, pw, master);
      } finally {
        Arrays.fill(pw, (byte) 0);
      }
      Staged s = new Staged();
      T result = null;
      if (alongside != null) {
        try {
          result = alongside.run(new Snapshot(cur.generation, cur.metadata), s);
        } catch (RuntimeException e) {
          s.addedMaterial.values().forEach(FileMaterial::wipe);
          throw e;
        }
      }
      commit(cur, s, next);
      return result;
    }
  }

  /**
   * Writes the store to a stream under {@code password}, with fresh salt and the current KDF
   * parameters (KeyStore.store). The master key and records are unchanged.
   */
  public void writeTo(OutputStream out, char[] password) throws IOException {
    ensureOpen();
    Image cur = image;
    Image copy = new Image();
    copy.generation = Math.max(1, cur.generation);
    copy.kdf = cur.kdf;
    copy.salt = randomBytes(SALT_LENGTH);
    byte[] pw = deriveFromPassword(password, copy.kdf, copy.salt);
    try {
      wrapMaster(copy, pw, master);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
    List<Out> records = new ArrayList<>();
    for (Map.Entry<KeyRef, Entry> e : cur.index.entrySet()) {
      Entry x = e.getValue();
      records.add(new Out(e.getKey(), x.algorithm, x.exportable, x.source, x.offset, x.length));
    }
    out.write(assemble(copy, copy.generation, cur.metadata, records));
    out.flush();
  }

  /**
   * Removes temporary files left by a writer that died between write and rename. Runs under the
   * store's lock, so no live writer's file is touched.
   */
  public void removeStrayTemporaries() {
    if (atomic != null) {
      atomic.removeStrayTemporaries();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cache.values().forEach(FileMaterial::wipe);
    cache.clear();
    Arrays.fill(master, (byte) 0);
    Arrays.fill(macKey, (byte) 0);
  }
}
