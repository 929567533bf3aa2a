package dev.clavis.keyring.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encrypted backup file, format 1 (docs/backup.md):
 *
 * <pre>
 *   0   8  magic "CLVBACKP"
 *   8   1  format version 1
 *   9  16  backup id (random; every share names it)
 *  25   1  threshold M      26  1  shares N
 *  27   8  created, milliseconds since the epoch
 *  35   1  store kind: 1 password-protected file store, 2 token-rooted file store
 *  36  12  GCM IV
 *  48  ..  AES-256-GCM under the backup key of the payload, AAD = bytes 0..48
 * payload: u16 count, then per file: u8 name length, name (ASCII), u64 length, bytes
 * </pre>
 *
 * The files are the store ({@code store}), its audit log ({@code audit}), the commit mark
 * ({@code audit.head}) and the operator's anchor ({@code anchor}) when they exist. The backup
 * key is random and exists only as the shares.
 */
final class BackupArchive {

  static final byte[] MAGIC = "CLVBACKP".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int KIND_FILE = 1;
  static final int KIND_TOKEN_ROOTED = 2;
  private static final int HEADER = 48;

  final byte[] id;
  final int threshold;
  final int shares;
  final long created;
  final int kind;
  private final byte[] bytes;

  private BackupArchive(byte[] bytes) {
    this.bytes = bytes;
    this.id = Arrays.copyOfRange(bytes, 9, 25);
    this.threshold = bytes[25] & 0xFF;
    this.shares = bytes[26] & 0xFF;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    this.created = b.getLong(27);
    this.kind = bytes[35] & 0xFF;
  }

  String id() {
    return HexFormat.of().formatHex(id);
  }

  byte[] encoded() {
    return bytes.clone();
  }

  static BackupArchive seal(byte[] id, int threshold, int shares, long created, int kind, Map<String, byte[]> files,
      byte[] key, SecureRandom random) {
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.put(MAGIC).put((byte) VERSION).put(id).put((byte) threshold).put((byte) shares).putLong(created)
        .put((byte) kind).put(iv);
    byte[] payload = payload(files);
    try {
      byte[] sealed = Aead.seal(key, iv, h.array(), payload);
      byte[] out = Arrays.copyOf(h.array(), HEADER + sealed.length);
      System.arraycopy(sealed, 0, out, HEADER, sealed.length);
      return new BackupArchive(out);
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  /** @throws BackupException NOT_A_BACKUP or TAMPERED_BACKUP */
  static BackupArchive parse(byte[] bytes, String name) {
    if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new BackupException(BackupException.Kind.NOT_A_BACKUP, name + " is not a Clavis backup file");
    }
    if ((bytes[8] & 0xFF) != VERSION) {
      throw new BackupException(BackupException.Kind.NOT_A_BACKUP, name + " is a backup of format " + (bytes[8] & 0xFF)
          + "; this Clavis reads format " + VERSION);
    }
    if (bytes.length < HEADER + 16) {
      throw new BackupException(BackupException.Kind.TAMPERED_BACKUP, "the backup file " + name + " is truncated");
    }
    return new BackupArchive(bytes.clone());
  }

  /**
   * @return the files, by name
   * @throws BackupException TAMPERED_BACKUP if the key does not open it (altered file, or shares of other data)
   */
  Map<String, byte[]> open(byte[] key, String name) {
    byte[] plain = Aead.open(key, Arrays.copyOfRange(bytes, 36, 48), Arrays.copyOf(bytes, HEADER),
        Arrays.copyOfRange(bytes, HEADER, bytes.length));
    if (plain == null) {
      throw new BackupException(BackupException.Kind.TAMPERED_BACKUP, "the shares do not open the backup file " + name
          + " (backup " + id() + "): the backup file or a share was altered; nothing was restored");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(plain);
      int count = b.getShort() & 0xFFFF;
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] n = new byte[b.get() & 0xFF];
        b.get(n);
        long len = b.getLong();
        if (len < 0 || len > b.remaining()) {
          throw new BufferUnderflowException();
        }
        byte[] f = new byte[(int) len];
        b.get(f);
        files.put(new String(n, StandardCharsets.US_ASCII), f);
      }
      return files;
    } catch (BufferUnderflowException e) {
      // authenticated but malformed: written by something that is not Clavis
      throw new BackupException(BackupException.Kind.TAMPERED_BACKUP, "the backup " + name + " is malformed inside");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static byte[] payload(Map<String, byte[]> files) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeShort(files.size());
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        byte[] n = e.getKey().getBytes(StandardCharsets.US_ASCII);
        out.writeByte(n.length);
        out.write(n);
        out.writeLong(e.getValue().length);
        out.write(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }
}
