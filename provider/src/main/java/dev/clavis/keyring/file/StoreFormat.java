package dev.clavis.keyring.file;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte layout of a store file, and the only class that knows it: parsing (with every bounds
 * check and the {@link StoreDamagedException} kind each failure raises), assembling, the whole-file
 * commitment (header MAC and trailer) and the associated data of every GCM operation.
 *
 * <h2>Format (version 1, big-endian)</h2>
 *
 * <pre>
 * header  magic "CLAVISKS" | u16 format | u8 protector (1 Argon2id, 2 PBKDF2-HMAC-SHA256, 3 token root)
 *         | u32 t or iterations | u32 m KiB | u32 p | u8 salt length (16..64) | salt (or root id)
 *         | IV (12) | wrapped master key (32 + 16)
 *         | u64 generation | u32 blob length | u64 material length | header MAC (32)
 * body    blob:     IV (12) | AES-256-GCM(K_meta, u32 n | metadata | u32 count | index entry*,
 *                             AAD = "clavis-store/v1/blob" | generation)
 *         material: record* (IV (12) | AES-256-GCM(K_key, key bytes, AAD = name "#" version | alg | flags))
 * trailer SHA-256(header | SHA-256(body))
 * index entry = u16 name length | name | u32 version | u8 algorithm code | u8 flags | u64 offset | u16 length
 * (algorithm code = {@link KeyAlgorithm#code()}, stable across releases, never an ordinal)
 * </pre>
 *
 * <p>The master key's wrapping (by a {@link MasterKeyProtector}) binds the header before the IV
 * ({@link #protectorPrefix}) as associated data. A token root (protector 3) has t = m = p = 0 and
 * its 16-byte root id in the salt field. The header MAC (K_mac over the header before it and
 * SHA-256 of the body) commits to the whole file and its generation; the unkeyed trailer tells
 * accidental damage from a wrong password.
 *
 * <p>Over 400 lines on purpose: parsing and assembling sit together so that one reader sees both
 * halves of every field; a split would put the layout in two places again.
 */
final class StoreFormat {

  static final byte[] MAGIC = "CLAVISKS".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  static final int IV = 12;
  static final int MASTER_LENGTH = 32;
  private static final int PROTECTOR_ARGON2ID = 1;
  private static final int PROTECTOR_PBKDF2 = 2;
  private static final int PROTECTOR_TOKEN_ROOT = 3;
  private static final int TAG = 16;
  private static final int HASH = 32;
  /** Offset of the salt length byte: magic, format, protector, t, m, p. */
  private static final int SALT_LENGTH_OFFSET = 8 + 2 + 1 + 12;
  private static final byte[] BLOB_AAD = "clavis-store/v1/blob".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private StoreFormat() {}

  /** The plaintext header fields of a file whose length and trailer were checked. */
  static final class Header {
    ProtectorParameters protector;
    byte[] masterIv;
    byte[] wrappedMaster;
    long generation;
    int blobLength;
    long materialLength;
    int macOffset;
    int headerLength;
    byte[] bodyDigest;

    /** @return where the material records start */
    int materialStart() {
      return headerLength + blobLength;
    }
  }

  /** A record to write: either kept from the current image, or newly encrypted. */
  record Record(KeyRef ref, KeyAlgorithm algorithm, boolean exportable, byte[] source, int offset, int length) {}

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** @return whether {@code head} starts with the store's magic */
  static boolean hasMagic(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
  }

  /**
   * @return whether {@code file} starts like a token-rooted store (magic, format, protector 3);
   *     false if it cannot be read or is of another kind. Reads only the first bytes; verifies nothing.
   */
  static boolean startsTokenRooted(Path file) {
    byte[] head = new byte[MAGIC.length + 3];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return hasMagic(head)
        && ((head[MAGIC.length] & 0xFF) << 8 | head[MAGIC.length + 1] & 0xFF) == FORMAT
        && head[MAGIC.length + 2] == PROTECTOR_TOKEN_ROOT;
  }

  /**
   * Reads the generation from the header of {@code file}, unauthenticated (a reload verifies
   * everything).
   *
   * @return the generation, or -1 if the file is too short to hold one
   * @throws IOException if it cannot be read
   */
  static long readGeneration(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(SALT_LENGTH_OFFSET + 1 + 64 + IV + MASTER_LENGTH + TAG + 8);
      while (b.hasRemaining() && ch.read(b) > 0) {
        // read the header's fixed part
      }
      if (b.position() < SALT_LENGTH_OFFSET + 1) {
        return -1;
      }
      int saltLen = b.get(SALT_LENGTH_OFFSET) & 0xFF;
      int off = SALT_LENGTH_OFFSET + 1 + saltLen + IV + MASTER_LENGTH + TAG;
      return b.position() >= off + 8 ? b.getLong(off) : -1;
    }
  }

  /**
   * Parses the header of {@code b} and checks, in order: magic (not a store), format version,
   * protector and KDF limits (before any work), length (truncated), trailer checksum (damaged).
   *
   * @throws StoreDamagedException naming the first failure
   */
  static Header parseHeader(byte[] b, String where) {
    if (!hasMagic(b)) {
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
      Header h = new Header();
      int protector = in.get() & 0xFF;
      int t = in.getInt();
      int m = in.getInt();
      int par = in.getInt();
      KdfParameters kdf;
      if (protector == PROTECTOR_ARGON2ID) {
        kdf = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, t, m, par);
      } else if (protector == PROTECTOR_PBKDF2) {
        kdf = KdfParameters.unchecked(KdfParameters.Algorithm.PBKDF2_HMAC_SHA256, t, 0, 0);
      } else if (protector == PROTECTOR_TOKEN_ROOT) {
        kdf = null;
        if (t != 0 || m != 0 || par != 0) {
          throw new StoreDamagedException(Kind.DAMAGED, where + " has invalid parameters for a PKCS#11 token key"
              + " (no password KDF, t = m = p = 0): the header is damaged");
        }
      } else {
        throw new StoreDamagedException(Kind.DAMAGED, where + " names an unknown KDF (" + protector
            + "): the header is damaged");
      }
      if (kdf != null) {
        // cap before any work: a forged header must not make opening slow or huge
        Optional<String> excess = KdfLimits.excess(kdf);
        if (excess.isPresent()) {
          throw new StoreDamagedException(Kind.KDF_LIMITS, where + " asks for more KDF work than allowed: "
              + excess.get() + "; the header is forged or damaged, or the store was made where the cap is raised"
              + " (raise it here too)");
        }
        if (!kdf.valid()) {
          throw new StoreDamagedException(Kind.DAMAGED, where + " has invalid KDF parameters " + kdf
              + ": the header is damaged");
        }
      }
      int saltLen = in.get() & 0xFF;
      if (saltLen < 16 || saltLen > 64) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has a salt of " + saltLen + " bytes: the header is damaged");
      }
      byte[] salt = new byte[saltLen];
      in.get(salt);
      h.protector = kdf == null ? ProtectorParameters.tokenRoot(salt) : ProtectorParameters.password(kdf, salt);
      h.masterIv = new byte[IV];
      in.get(h.masterIv);
      h.wrappedMaster = new byte[MASTER_LENGTH + TAG];
      in.get(h.wrappedMaster);
      h.generation = in.getLong();
      h.blobLength = in.getInt();
      h.materialLength = in.getLong();
      h.macOffset = in.position();
      if (in.remaining() < HASH) {
        // position() past the limit would throw IllegalArgumentException, not underflow
        throw new BufferUnderflowException();
      }
      in.position(in.position() + HASH);
      h.headerLength = in.position();
      if (h.blobLength < IV + TAG || h.materialLength < 0) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has impossible section lengths: the header is damaged");
      }
      long expected = (long) h.headerLength + h.blobLength + h.materialLength + HASH;
      if (b.length < expected) {
        throw new StoreDamagedException(Kind.TRUNCATED, where + " is truncated: " + b.length + " bytes of "
            + expected + "; restore it from a backup");
      }
      if (b.length > expected) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " has " + (b.length - expected)
            + " unexpected bytes after its end: it is damaged");
      }
      // the unkeyed trailer tells accidental damage from a wrong password
      h.bodyDigest = sha256(b, h.headerLength, (int) (h.blobLength + h.materialLength));
      byte[] trailer = trailer(b, h.headerLength, h.bodyDigest);
      if (!MessageDigest.isEqual(trailer, Arrays.copyOfRange(b, b.length - HASH, b.length))) {
        throw new StoreDamagedException(Kind.DAMAGED, where + " is damaged: its checksum does not match"
            + " (a byte was changed); restore it from a backup");
      }
      return h;
    } catch (BufferUnderflowException e) {
      throw new StoreDamagedException(Kind.TRUNCATED, where + " is truncated: it ends inside its header");
    }
  }

  /** @return the header before the IV: the associated data of the master key's wrapping */
  static byte[] protectorPrefix(ProtectorParameters p) {
    byte[] salt = p.id();
    ByteBuffer b = ByteBuffer.allocate(SALT_LENGTH_OFFSET + 1 + salt.length);
    b.put(MAGIC).putShort((short) FORMAT);
    KdfParameters kdf = p.kdf().orElse(null);
    if (kdf == null) {
      b.put((byte) PROTECTOR_TOKEN_ROOT).putInt(0).putInt(0).putInt(0);
    } else if (kdf.algorithm() == KdfParameters.Algorithm.ARGON2ID) {
      b.put((byte) PROTECTOR_ARGON2ID).putInt(kdf.iterations()).putInt(kdf.memoryKiB()).putInt(kdf.parallelism());
    } else {
      b.put((byte) PROTECTOR_PBKDF2).putInt(kdf.iterations()).putInt(0).putInt(0);
    }
    b.put((byte) salt.length).put(salt);
    return b.array();
  }

  /**
   * Verifies the header MAC and decrypts the metadata section of a file whose header is {@code h},
   * opened with {@code keys}; the index points into {@code b}.
   *
   * @throws StoreDamagedException (tampered) if the MAC or the blob's tag fails, or the
   *     authenticated section is malformed
   */
  static StoreImage openBody(Header h, byte[] b, StoreKeys keys, String where) {
    byte[] mac = keys.headerMac(b, h.macOffset, h.bodyDigest);
    if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(b, h.macOffset, h.macOffset + HASH))) {
      throw new StoreDamagedException(Kind.TAMPERED, where + " fails its integrity check (header MAC): it was"
          + " modified, or records were swapped, dropped or rolled back; restore it from a backup");
    }
    byte[] blob;
    try {
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, keys.metadataKey(), new GCMParameterSpec(128, b, h.headerLength, IV));
      c.updateAAD(BLOB_AAD);
      c.updateAAD(ByteBuffer.allocate(8).putLong(h.generation).array());
      blob = c.doFinal(b, h.headerLength + IV, h.blobLength - IV);
    } catch (AEADBadTagException e) {
      throw new StoreDamagedException(Kind.TAMPERED, where + " fails its integrity check (metadata): it was"
          + " modified; restore it from a backup");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot decrypt " + where + ": " + e.getMessage(), e);
    }
    StoreImage img = new StoreImage();
    img.generation = h.generation;
    img.protector = h.protector;
    img.masterIv = h.masterIv;
    img.wrappedMaster = h.wrappedMaster;
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
      int materialStart = h.materialStart();
      Map<KeyRef, StoreImage.Entry> index = new LinkedHashMap<>(Math.max(16, count * 4 / 3 + 1));
      for (int i = 0; i < count; i++) {
        int nl = in.getShort() & 0xFFFF;
        if (nl > in.remaining()) {
          throw new BufferUnderflowException();
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
        if (off < 0 || off + len > h.materialLength) {
          throw new StoreDamagedException(Kind.TAMPERED, where + " has a key record outside its material area");
        }
        index.put(KeyRef.of(name, version),
            new StoreImage.Entry(alg, (flags & 1) != 0, b, (int) (materialStart + off), len));
      }
      img.index = index;
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      // authenticated, so only a writer bug or a forger holding the master key gets here
      throw new StoreDamagedException(Kind.TAMPERED, where + " has a malformed metadata section although it"
          + " authenticates; restore it from a backup");
    }
    return img;
  }

  private static byte[] recordAad(KeyRef ref, KeyAlgorithm alg, boolean exportable) {
    byte[] n = (ref.name() + "#" + ref.version().getAsInt()).getBytes(StandardCharsets.UTF_8);
    byte[] aad = Arrays.copyOf(n, n.length + 2);
    aad[n.length] = (byte) alg.code();
    aad[n.length + 1] = (byte) (exportable ? 1 : 0);
    return aad;
  }

  /** @return the material record of {@code ref}: IV | AES-256-GCM(K_key, material, AAD = name#version | alg | flags) */
  static byte[] encryptRecord(SecretKeySpec recordKey, KeyRef ref, KeyAlgorithm alg, boolean exportable,
      byte[] material) {
    try {
      byte[] iv = randomBytes(IV);
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, recordKey, new GCMParameterSpec(128, iv));
      c.updateAAD(recordAad(ref, alg, exportable));
      byte[] out = Arrays.copyOf(iv, IV + material.length + TAG);
      c.doFinal(material, 0, material.length, out, IV);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot encrypt the record of " + ref, e);
    }
  }

  /**
   * Decrypts the record of {@code ref} described by {@code e} with {@code c} (a reusable
   * AES/GCM cipher).
   *
   * @throws StoreDamagedException (tampered) if the record fails its tag: swapped or modified
   */
  static FileMaterial decryptRecord(Cipher c, SecretKeySpec recordKey, KeyRef ref, StoreImage.Entry e, String where) {
    try {
      c.init(Cipher.DECRYPT_MODE, recordKey, new GCMParameterSpec(128, e.source, e.offset, IV));
      c.updateAAD(recordAad(ref, e.algorithm, e.exportable));
      byte[] raw = c.doFinal(e.source, e.offset + IV, e.length - IV);
      try {
        return new FileMaterial(ref, e.algorithm, e.exportable, raw);
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (AEADBadTagException x) {
      throw new StoreDamagedException(Kind.TAMPERED, "the record of key " + ref + " in " + where
          + " fails its integrity check: it was swapped or modified");
    } catch (GeneralSecurityException x) {
      throw new KeyringException("cannot decrypt the record of key " + ref, x);
    }
  }

  /**
   * Builds the bytes of a whole store file: the header of {@code img}'s protection at
   * {@code generation}, the metadata section, the records in order, the MAC and the trailer.
   *
   * @throws KeyringException if it would exceed 2 GiB or a cipher is unavailable
   */
  static byte[] assemble(StoreImage img, long generation, byte[] metadata, List<Record> records, StoreKeys keys) {
    try {
      long materialLength = 0;
      for (Record o : records) {
        materialLength += o.length();
      }
      ByteArrayOutputStream blob = new ByteArrayOutputStream(metadata.length + records.size() * 40 + 16);
      DataOutputStream bo = new DataOutputStream(blob);
      bo.writeInt(metadata.length);
      bo.write(metadata);
      bo.writeInt(records.size());
      long off = 0;
      for (Record o : records) {
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
      c.init(Cipher.ENCRYPT_MODE, keys.metadataKey(), new GCMParameterSpec(128, iv));
      c.updateAAD(BLOB_AAD);
      c.updateAAD(ByteBuffer.allocate(8).putLong(generation).array());
      int blobLength = IV + plainBlob.length + TAG;
      byte[] prefix = protectorPrefix(img.protector);
      int headerLength = prefix.length + IV + MASTER_LENGTH + TAG + 8 + 4 + 8 + HASH;
      long total = (long) headerLength + blobLength + materialLength + HASH;
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
      for (Record o : records) {
        System.arraycopy(o.source(), o.offset(), out, pos, o.length());
        pos += o.length();
      }
      byte[] bodyDigest = sha256(out, headerLength, (int) (blobLength + materialLength));
      System.arraycopy(keys.headerMac(out, macOffset, bodyDigest), 0, out, macOffset, HASH);
      System.arraycopy(trailer(out, headerLength, bodyDigest), 0, out, out.length - HASH, HASH);
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyringException("cannot assemble the key store", e);
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
}
