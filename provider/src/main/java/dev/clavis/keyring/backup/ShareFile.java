package dev.clavis.keyring.backup;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.keyring.KdfParameters;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One custodian's share of a backup key, format 1 (docs/backup.md), 178 bytes:
 *
 * <pre>
 *   0   8  magic "CLVSHARE"          54  32  verifier = SHA-256("clavis/v1/share-verifier" || T[32..64])
 *   8   1  format version 1          86  12  GCM IV
 *   9  16  backup id                 98  48  AES-256-GCM under T[0..32] of the 32-byte share, AAD = bytes 0..98
 *  25   1  threshold M              146  32  checksum = SHA-256(bytes 0..146)
 *  26   1  shares N
 *  27   1  x, this share's number 1..N
 *  28   1  KDF 1 = Argon2id v1.3; 29 t (4), 33 m KiB (4), 37 p (1)
 *  38  16  salt                     T = Argon2id(passphrase as UTF-8, salt, t, m, p), 64 bytes
 * </pre>
 *
 * The checksum tells damage from a wrong passphrase; the verifier tells a wrong passphrase from
 * an altered share (one whose checksum was recomputed fails the GCM tag, whose AAD is the header).
 */
final class ShareFile {

  static final byte[] MAGIC = "CLVSHARE".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int SHARE_BYTES = 32;
  static final int LENGTH = 178;
  private static final int AAD_END = 98;
  private static final int BODY_END = 146;
  private static final byte[] VERIFIER_LABEL = "clavis/v1/share-verifier".getBytes(StandardCharsets.US_ASCII);

  final byte[] backupId;
  final int threshold;
  final int shares;
  final int x;
  private final byte[] bytes;

  private ShareFile(byte[] bytes) {
    this.bytes = bytes;
    this.backupId = Arrays.copyOfRange(bytes, 9, 25);
    this.threshold = bytes[25] & 0xFF;
    this.shares = bytes[26] & 0xFF;
    this.x = bytes[27] & 0xFF;
  }

  /** @return the share file's bytes */
  byte[] encoded() {
    return bytes.clone();
  }

  /** @return the backup id as hex, for messages */
  String id() {
    return HexFormat.of().formatHex(backupId);
  }

  /** Protects share {@code y} (number {@code x}) under a custodian's passphrase. */
  static ShareFile protect(byte[] backupId, int threshold, int shares, int x, byte[] y, char[] passphrase,
      KdfParameters kdf, SecureRandom random) {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    byte[] salt = new byte[16];
    byte[] iv = new byte[12];
    random.nextBytes(salt);
    random.nextBytes(iv);
    b.put(MAGIC).put((byte) VERSION).put(backupId).put((byte) threshold).put((byte) shares).put((byte) x)
        .put((byte) 1).putInt(kdf.iterations()).putInt(kdf.memoryKiB()).put((byte) kdf.parallelism()).put(salt);
    byte[] t = derive(passphrase, salt, kdf.iterations(), kdf.memoryKiB(), kdf.parallelism());
    byte[] key = Arrays.copyOf(t, 32);
    try {
      b.put(verifier(t)).put(iv);
      byte[] aad = Arrays.copyOf(b.array(), AAD_END);
      b.put(Aead.seal(key, iv, aad, y));
      b.put(Aead.sha256(Arrays.copyOf(b.array(), BODY_END)));
      return new ShareFile(b.array());
    } finally {
      Arrays.fill(t, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * @param name the file's name, for messages
   * @throws BackupException NOT_A_BACKUP or TAMPERED_SHARE
   */
  static ShareFile parse(byte[] bytes, String name) {
    if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new BackupException(BackupException.Kind.NOT_A_BACKUP, name + " is not a Clavis backup share");
    }
    if ((bytes[8] & 0xFF) != VERSION) {
      throw new BackupException(BackupException.Kind.NOT_A_BACKUP, name + " is a share of format " + (bytes[8] & 0xFF)
          + "; this Clavis reads format " + VERSION);
    }
    if (bytes.length != LENGTH || !MessageDigest.isEqual(Aead.sha256(Arrays.copyOf(bytes, BODY_END)),
        Arrays.copyOfRange(bytes, BODY_END, LENGTH))) {
      throw new BackupException(BackupException.Kind.TAMPERED_SHARE, "the share " + name + " is damaged or was altered:"
          + " its checksum does not match; ask its custodian for an intact copy");
    }
    ShareFile s = new ShareFile(bytes.clone());
    if (s.threshold < 2 || s.threshold > s.shares || s.x < 1 || s.x > s.shares || bytes[28] != 1) {
      throw new BackupException(BackupException.Kind.TAMPERED_SHARE, "the share " + name + " is damaged or was altered:"
          + " its quorum " + s.threshold + " of " + s.shares + " or number " + s.x + " is impossible");
    }
    return s;
  }

  /**
   * @return the 32-byte share (the caller wipes it)
   * @throws BackupException WRONG_PASSPHRASE or TAMPERED_SHARE
   */
  byte[] unlock(char[] passphrase, String name) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int t = b.getInt(29);
    int m = b.getInt(33);
    int p = bytes[37] & 0xFF;
    if (t < 1 || t > KdfParameters.MAX_ARGON2_ITERATIONS || m < 8 * p || m > KdfParameters.MAX_ARGON2_MEMORY_KIB || p < 1
        || p > KdfParameters.MAX_ARGON2_PARALLELISM) {
      throw new BackupException(BackupException.Kind.TAMPERED_SHARE, "the share " + name + " names an impossible"
          + " KDF (Argon2id t=" + t + ", m=" + m + " KiB, p=" + p + "): it was altered");
    }
    byte[] tag = derive(passphrase, Arrays.copyOfRange(bytes, 38, 54), t, m, p);
    byte[] key = Arrays.copyOf(tag, 32);
    try {
      if (!MessageDigest.isEqual(verifier(tag), Arrays.copyOfRange(bytes, 54, 86))) {
        throw new BackupException(BackupException.Kind.WRONG_PASSPHRASE, "the passphrase does not open share " + x
            + " (" + name + ") of backup " + id() + ": wrong passphrase for this custodian; nothing was restored");
      }
      byte[] y = Aead.open(key, Arrays.copyOfRange(bytes, 86, 98), Arrays.copyOf(bytes, AAD_END),
          Arrays.copyOfRange(bytes, AAD_END, BODY_END));
      if (y == null || y.length != SHARE_BYTES) {
        if (y != null) {
          Arrays.fill(y, (byte) 0);
        }
        throw new BackupException(BackupException.Kind.TAMPERED_SHARE, "share " + x + " (" + name + ") was altered:"
            + " its passphrase is right but its sealed part fails authentication");
      }
      return y;
    } finally {
      Arrays.fill(tag, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] verifier(byte[] tag) {
    return Aead.sha256(VERIFIER_LABEL, Arrays.copyOfRange(tag, 32, 64));
  }

  private static byte[] derive(char[] passphrase, byte[] salt, int t, int m, int p) {
    ByteBuffer enc = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] pw = new byte[enc.remaining()];
    enc.get(pw);
    Arrays.fill(enc.array(), (byte) 0);
    try {
      return Argon2.hash(Argon2Type.ARGON2ID, pw, salt, null, null, t, m, p, 64);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }
}
