package dev.clavis.jdbc;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.file.MasterKeyProtector;
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
 * u8 format (1) | u8 kind (1 Argon2id, 2 PBKDF2-HMAC-SHA256) | u32 t | u32 m KiB | u32 p
 * | u32 salt length | salt | IV (12) | u32 length | wrapped master key (32 + 16)
 * AAD = "clavis-db/v1/master" | keyring id (16) | the bytes before the IV
 * </pre>
 */
final class MasterKeyRow {

  static final int FORMAT = 1;
  static final int MASTER_LENGTH = 32;
  private static final int ARGON2ID = 1;
  private static final int PBKDF2 = 2;

  private MasterKeyRow() {}

  /**
   * Wraps a fresh master key for a new keyring.
   *
   * @param master out: filled with the new master key (32 bytes)
   * @return the column's bytes
   */
  static byte[] create(UUID id, MasterKeyProtector protector, String where, byte[] master) {
    ProtectorParameters p = protector.newParameters(where);
    byte[] m = Bytes.random(MASTER_LENGTH);
    System.arraycopy(m, 0, master, 0, MASTER_LENGTH);
    java.util.Arrays.fill(m, (byte) 0);
    byte[] prefix = prefix(p);
    byte[] iv = Bytes.random(Bytes.IV);
    byte[] wrapped = protector.wrap(p, iv, aad(id, prefix), master);
    return new Bytes.Writer().raw(prefix).raw(iv).bytes(wrapped).done();
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
    KdfParameters k = p.kdf().orElseThrow(() -> new IllegalArgumentException("a database keyring is protected by a"
        + " password (a token root is not supported yet)"));
    boolean argon = k.algorithm() == KdfParameters.Algorithm.ARGON2ID;
    return new Bytes.Writer().u8(FORMAT).u8(argon ? ARGON2ID : PBKDF2).u32(k.iterations())
        .u32(argon ? k.memoryKiB() : 0).u32(argon ? k.parallelism() : 0).bytes(p.id()).done();
  }

  private static byte[] aad(UUID id, byte[] prefix) {
    return new Bytes.Writer().label("clavis-db/v1/master").uuid(id).raw(prefix).done();
  }
}
