package dev.clavis.jdbc;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.file.MasterKeyProtector;
import dev.clavis.keyring.file.PasswordProtector;
import dev.clavis.keyring.file.ProtectorParameters;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code protector} column of a keyring's head row: how its master key is protected and the
 * master key wrapped under it. The wrapping is the file store's ({@link MasterKeyProtector}:
 * AES-256-GCM under the password's KDF output), its GCM tag the check value that tells a wrong
 * password. Its associated data binds the keyring's id and every parameter, so a protector copied
 * from another keyring or edited does not open.
 *
 * <pre>
 * u8 format (1) | u8 kind (1 Argon2id, 2 PBKDF2-HMAC-SHA256, 3 token root) | u32 t | u32 m KiB | u32 p
 * | u32 salt length | salt (a token root: its 16-byte root id; t = m = p = 0) | IV (12) | u32 length
 * | wrapped master key (32 + 16)
 * AAD = "clavis-db/v1/master" | keyring id (16) | the bytes before the IV
 * </pre>
 */
final class MasterKeyRow {

  static final int FORMAT = 1;
  static final int MASTER_LENGTH = 32;
  private static final int ARGON2ID = 1;
  private static final int PBKDF2 = 2;
  private static final int TOKEN_ROOT = 3;

  private MasterKeyRow() {}

  /**
   * Wraps a fresh master key for a new keyring.
   *
   * @param master out: filled with the new master key (32 bytes)
   * @return the column's bytes
   */
  static byte[] create(UUID id, MasterKeyProtector protector, String where, byte[] master) {
    ProtectorParameters p = protector.newParameters(where);
    try {
      byte[] m = Bytes.random(MASTER_LENGTH);
      System.arraycopy(m, 0, master, 0, MASTER_LENGTH);
      java.util.Arrays.fill(m, (byte) 0);
      return wrap(id, protector, p, master);
    } catch (RuntimeException e) {
      abandon(protector, p, e);
      throw e;
    }
  }

  private static byte[] wrap(UUID id, MasterKeyProtector protector, ProtectorParameters p, byte[] master) {
    byte[] prefix = prefix(p);
    byte[] iv = Bytes.random(Bytes.IV);
    byte[] wrapped = protector.wrap(p, iv, aad(id, prefix), master);
    return new Bytes.Writer().raw(prefix).raw(iv).bytes(wrapped).done();
  }

  /**
   * @return the password KDF a column records
   * @throws KeyringException if the master key is wrapped by a token key (there is no password)
   */
  static KdfParameters kdf(byte[] column, String where) {
    ProtectorParameters p = parameters(column);
    return p.kdf().orElseThrow(() -> new KeyringException(where + " has no password: its master key is wrapped by"
        + " a key on a PKCS#11 token"));
  }

  /**
   * The same master key under a new password or new KDF settings (a fresh salt and IV either way),
   * after the current password has opened the current column.
   *
   * @param column the current column, as verified by the head MAC
   * @param password the current password
   * @param newPassword the new password, or null to keep the current one
   * @param kdf the KDF of the new column, or null to keep the column's own (read in the transaction,
   *     so a migration another host made meanwhile is kept); other settings must be strong enough
   * @param master this keyring's master key, which the current column must wrap
   * @return the new column
   * @throws dev.clavis.keyring.WrongPasswordException if {@code password} does not open the column
   * @throws dev.clavis.keyring.WeakKdfException if {@code kdf} is new and below OWASP's minimums
   * @throws IllegalArgumentException if {@code kdf} is beyond the cost cap ({@link KdfLimits})
   * @throws KeyringException if the keyring has no password (a token root)
   * @throws StoreDamagedException if the column does not wrap this keyring's master key
   */
  static byte[] rewrap(UUID id, byte[] column, char[] password, char[] newPassword, KdfParameters kdf,
      byte[] master, String where) {
    KdfParameters current = kdf(column, where);
    byte[] opened = unwrap(id, column, new PasswordProtector(password, null), where);
    try {
      if (!java.security.MessageDigest.isEqual(opened, master)) {
        throw new StoreDamagedException(Kind.DAMAGED, where + ": its protector wraps another master key than the"
            + " one this process opened");
      }
    } finally {
      java.util.Arrays.fill(opened, (byte) 0);
    }
    // null or the keyring's own settings: kept, not a choice to be judged again; new ones must be
    // strong enough, and within the cost every later open accepts
    KdfParameters next = kdf == null || kdf.equals(current) ? current.allowingWeak() : kdf;
    if (!next.limitsOk()) {
      throw new IllegalArgumentException(KdfLimits.excess(next).orElse(next.toString())
          + ": every later open would refuse it; nothing was changed");
    }
    PasswordProtector protector = new PasswordProtector(newPassword != null ? newPassword : password, next);
    return wrap(id, protector, protector.newParameters(where), master);
  }

  /** Undoes {@link MasterKeyProtector#newParameters} (a root key on the token) for a keyring not created. */
  static void abandon(MasterKeyProtector protector, byte[] column) {
    abandon(protector, parameters(column), null);
  }

  private static void abandon(MasterKeyProtector protector, ProtectorParameters p, RuntimeException cause) {
    try {
      protector.abandon(p);
    } catch (RuntimeException d) {
      if (cause == null) {
        throw d;
      }
      cause.addSuppressed(d);
    }
  }

  /** @return the protector parameters a column records (its layout is checked by {@link #unwrap}) */
  private static ProtectorParameters parameters(byte[] column) {
    Bytes.Reader r = new Bytes.Reader(column);
    r.u8();
    int kind = r.u8();
    int t = r.u32();
    int mem = r.u32();
    int par = r.u32();
    byte[] salt = r.bytes();
    return kind == TOKEN_ROOT ? ProtectorParameters.tokenRoot(salt)
        : ProtectorParameters.password(kind == ARGON2ID
            ? KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, t, mem, par)
            : KdfParameters.unchecked(KdfParameters.Algorithm.PBKDF2_HMAC_SHA256, t, 0, 0), salt);
  }

  /**
   * Unwraps the master key, after checking the KDF's cost against {@link KdfLimits} (a forged row
   * cannot make opening slow).
   *
   * @return the master key; the caller wipes it
   * @throws dev.clavis.keyring.WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the column is damaged or asks for too much work
   */
  static byte[] unwrap(UUID id, byte[] column, MasterKeyProtector protector, String where) {
    ProtectorParameters p;
    byte[] iv;
    byte[] wrapped;
    int prefixLength;
    try {
      Bytes.Reader r = new Bytes.Reader(column);
      int format = r.u8();
      if (format != FORMAT) {
        throw new StoreDamagedException(Kind.UNSUPPORTED_VERSION, where + " protects its master key in format "
            + format + "; this Clavis reads format " + FORMAT + ": upgrade Clavis");
      }
      int kind = r.u8();
      int t = r.u32();
      int mem = r.u32();
      int par = r.u32();
      byte[] salt = r.bytes();
      if (kind == TOKEN_ROOT) {
        if (salt == null || salt.length != 16 || t != 0 || mem != 0 || par != 0) {
          throw new IllegalArgumentException("token root id");
        }
        p = ProtectorParameters.tokenRoot(salt);
        prefixLength = column.length - r.remaining();
        iv = r.raw(Bytes.IV);
        wrapped = r.bytes();
        if (wrapped == null || !r.atEnd()) {
          throw new IllegalArgumentException("layout");
        }
        byte[] prefix = java.util.Arrays.copyOf(column, prefixLength);
        return protector.unwrap(p, iv, aad(id, prefix), wrapped, where);
      }
      KdfParameters kdf = switch (kind) {
        case ARGON2ID -> KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, t, mem, par);
        case PBKDF2 -> KdfParameters.unchecked(KdfParameters.Algorithm.PBKDF2_HMAC_SHA256, t, 0, 0);
        default -> throw new IllegalArgumentException("protector kind " + kind);
      };
      if (!kdf.valid()) {
        throw new IllegalArgumentException("KDF parameters out of range");
      }
      Optional<String> excess = KdfLimits.excess(kdf);
      if (excess.isPresent()) {
        throw new StoreDamagedException(Kind.KDF_LIMITS, where + " asks for more KDF work than allowed: "
            + excess.get());
      }
      p = ProtectorParameters.password(kdf, salt);
      prefixLength = column.length - r.remaining();
      iv = r.raw(Bytes.IV);
      wrapped = r.bytes();
      if (wrapped == null || !r.atEnd() || salt == null) {
        throw new IllegalArgumentException("layout");
      }
    } catch (IllegalArgumentException e) {
      throw new StoreDamagedException(Kind.DAMAGED, where + ": the master-key protector in its head row is damaged ("
          + e.getMessage() + ")");
    }
    byte[] prefix = java.util.Arrays.copyOf(column, prefixLength);
    return protector.unwrap(p, iv, aad(id, prefix), wrapped, where);
  }

  private static byte[] prefix(ProtectorParameters p) {
    if (p.kind() == MasterKeyProtector.Kind.TOKEN_ROOT) {
      return new Bytes.Writer().u8(FORMAT).u8(TOKEN_ROOT).u32(0).u32(0).u32(0).bytes(p.id()).done();
    }
    KdfParameters k = p.kdf().orElseThrow();
    boolean argon = k.algorithm() == KdfParameters.Algorithm.ARGON2ID;
    return new Bytes.Writer().u8(FORMAT).u8(argon ? ARGON2ID : PBKDF2).u32(k.iterations())
        .u32(argon ? k.memoryKiB() : 0).u32(argon ? k.parallelism() : 0).bytes(p.id()).done();
  }

  private static byte[] aad(UUID id, byte[] prefix) {
    return new Bytes.Writer().label("clavis-db/v1/master").uuid(id).raw(prefix).done();
  }
}
