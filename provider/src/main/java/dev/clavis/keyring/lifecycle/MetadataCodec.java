package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's metadata document: a compact binary encoding of every key record plus the audit
 * head, which the backend stores opaquely (encrypted and authenticated in the file store).
 *
 * <pre>
 * u8 format (3) | u64 audit sequence | 32 bytes audit chain hash | u32 key count | key*
 * key     = utf name | u8 algorithm | policy | u32 primary | u8 deleted | u32 version count | version*
 * policy  = duration rotation | u64 usage limit | duration lifetime | duration window | u8 flags
 * version = u8 state | u8 remembered | u8 rememberedBeforeDestroy | u8 origin | u8 exportable
 *           | instant created, activated, deactivated, expires, destroyAt | u64 reserved | u64 limit | utf reason
 * usage   = u32 count | (utf name | u32 version | u64 settled uses)*       (format 2; after the last key)
 * ext     = u32 count | (utf name | u32 version | u16 tag | u32 length | length bytes)*   (format 3; last)
 * </pre>
 * Format 3 adds the extension section: tagged fields of the store (name "", version 0), of a key
 * (version 0) or of one version, so that a later feature adds a tag, not a format. The tags (see
 * {@link Extensions}): of the store 1 = minimum deletion window (duration), 2-4 dual control, 5 =
 * the ids of the keyrings it was migrated from; of a key 1 = retention
 * (u32 min decryption version | u32 keep versions | duration decrypt window | u8 flags, 1 =
 * deletion protection), 2 = purpose (utf), 3 = description (utf), 4 = tags (u16 n | (utf k | utf v)*),
 * 5 = creation source (utf), 6 = an HD key's derivation; of a version 0x8009 = its own certificate's
 * public facts (droppable; layout in {@link Extensions}), so that listing key pairs reads no private
 * key. A field at its default is not written. An unknown tag is refused
 * naming it (a newer Clavis wrote it), unless its high bit (0x8000) marks it as one an older
 * reader may drop.
 * Format 2 (no extension section) reads as every new field at its default.
 * Format 1 (no usage section) is read as every count unsettled: its uses and reservations were
 * not told apart, so all of it reads as {@code reserved}; the total counted is the same.
 * Policy flags: bit 0 exportable, bit 1 auto-rotate, bit 2 legacy-mode encryption (CBC/CTR may
 * encrypt; a later addition in the same format: older stores have it clear, the default).
 * Absent values: state byte 0xFF, instant/duration {@code Long.MIN_VALUE} (milliseconds), reason "\0".
 * States, algorithms and origins are written as their stable {@code code()}, never as ordinals, so
 * reordering an enum cannot change what a store means; an unknown code is a
 * {@link StoreDamagedException} naming the field, the code and the key.
 */
final class MetadataCodec {

  static final int FORMAT = 3;

  /** The format before the extension section: still read. */
  static final int FORMAT_WITHOUT_EXTENSIONS = 2;
  /** The format before the usage section: still read. */
  static final int FORMAT_WITHOUT_USAGE = 1;
  /** The byte of an absent (remembered) state. */
  private static final int NO_STATE = 0xFF;

  private MetadataCodec() {}

  /** The decoded document. */
  record Document(Map<String, KeyRecord> keys, StoreSettings settings, long auditSeq, byte[] auditHash) {}

  static byte[] encode(Map<String, KeyRecord> keys, long auditSeq, byte[] auditHash) {
    return encode(keys, StoreSettings.DEFAULT, auditSeq, auditHash);
  }

  static byte[] encode(Map<String, KeyRecord> keys, StoreSettings settings, long auditSeq, byte[] auditHash) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + keys.size() * 96);
      DataOutputStream out = new DataOutputStream(bos);
      out.writeByte(FORMAT);
      out.writeLong(auditSeq);
      out.write(auditHash);
      out.writeInt(keys.size());
      for (KeyRecord k : keys.values()) {
        out.writeUTF(k.name());
        out.writeByte(k.algorithm().code());
        KeyPolicy p = k.policy();
        writeDuration(out, p.rotationPeriod().orElse(null));
        out.writeLong(p.usageLimit().orElse(0));
        writeDuration(out, p.versionLifetime().orElse(null));
        writeDuration(out, p.deletionWindow());
        out.writeByte((p.exportable() ? 1 : 0) | (p.autoRotate() ? 2 : 0) | (p.legacyEncryption() ? 4 : 0));
        out.writeInt(k.primary());
        out.writeByte(k.deleted() ? 1 : 0);
        out.writeInt(k.versions().size());
        for (VersionRecord v : k.versions()) {
          out.writeByte(v.state().code());
          out.writeByte(v.remembered() == null ? NO_STATE : v.remembered().code());
          out.writeByte(v.rememberedBeforeDestroy() == null ? NO_STATE : v.rememberedBeforeDestroy().code());
          out.writeByte(v.origin().code());
          out.writeByte(v.exportable() ? 1 : 0);
          out.writeByte(v.algorithm().code());
          writeInstant(out, v.created());
          writeInstant(out, v.activated());
          writeInstant(out, v.deactivated());
          writeInstant(out, v.expires());
          writeInstant(out, v.destroyAt());
          out.writeLong(v.usageReserved());
          out.writeLong(v.usageLimit());
          out.writeUTF(v.reason() == null ? "\0" : v.reason());
        }
      }
      writeUsage(out, keys);
      Extensions.write(out, keys, settings);
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new KeyringException("cannot encode the keyring metadata", e);
    }
  }

  static Document decode(byte[] doc) {
    if (doc.length == 0) {
      return new Document(new HashMap<>(), StoreSettings.DEFAULT, 0, new byte[32]);
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(doc));
      int format = in.readUnsignedByte();
      if (format != FORMAT && format != FORMAT_WITHOUT_EXTENSIONS && format != FORMAT_WITHOUT_USAGE) {
        throw new KeyringException("the keyring metadata has format " + format + ", this Clavis reads format "
            + FORMAT + ": use a newer Clavis");
      }
      long seq = in.readLong();
      byte[] hash = new byte[32];
      in.readFully(hash);
      int n = in.readInt();
      // every count is bounded by the bytes that could hold its items: no allocation from a forged one
      if (n < 0 || n > doc.length) {
        throw new IllegalArgumentException("key count " + n);
      }
      Map<String, KeyRecord> keys = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        KeyAlgorithm alg = algorithm(in.readUnsignedByte(), name);
        KeyPolicy.Builder pb = KeyPolicy.builder();
        pb.rotationPeriod(readDuration(in));
        pb.usageLimit(in.readLong());
        pb.versionLifetime(readDuration(in));
        pb.deletionWindow(readDuration(in));
        int flags = in.readUnsignedByte();
        pb.exportable((flags & 1) != 0).autoRotate((flags & 2) != 0).legacyEncryption((flags & 4) != 0);
        int primary = in.readInt();
        boolean deleted = in.readUnsignedByte() != 0;
        int vc = in.readInt();
        if (vc < 0 || vc > doc.length) {
          throw new IllegalArgumentException("version count " + vc);
        }
        List<VersionRecord> versions = new ArrayList<>(vc);
        for (int j = 0; j < vc; j++) {
          String ref = name + "#" + (j + 1);
          KeyState st = state(in.readUnsignedByte(), "state", ref);
          KeyState rem = stateOrNull(in.readUnsignedByte(), "remembered state", ref);
          KeyState remD = stateOrNull(in.readUnsignedByte(), "state before destruction", ref);
          int oc = in.readUnsignedByte();
          KeyVersionInfo.Origin origin = KeyVersionInfo.Origin.fromCode(oc)
              .orElseThrow(() -> unknownCode("origin", oc, ref));
          boolean exp = in.readUnsignedByte() != 0;
          KeyAlgorithm valg = algorithm(in.readUnsignedByte(), ref);
          Instant created = readInstant(in);
          Instant act = readInstant(in);
          Instant deact = readInstant(in);
          Instant expires = readInstant(in);
          Instant destroyAt = readInstant(in);
          long reserved = in.readLong();
          long limit = in.readLong();
          String reason = in.readUTF();
          versions.add(VersionRecord.builder().version(j + 1).state(st).remembered(rem).rememberedBeforeDestroy(remD)
              .algorithm(valg).origin(origin).exportable(exp).created(created).activated(act).deactivated(deact)
              .expires(expires).destroyAt(destroyAt).usageReserved(reserved).usageLimit(limit)
              .reason("\0".equals(reason) ? null : reason).build());
        }
        keys.put(name, KeyRecord.builder().name(name).algorithm(alg).policy(pb.build()).versions(versions)
            .primary(primary).deleted(deleted).build());
      }
      if (format >= FORMAT_WITHOUT_EXTENSIONS) {
        readUsage(in, keys, doc.length);
      }
      StoreSettings settings = format >= FORMAT ? Extensions.read(in, keys, doc.length) : StoreSettings.DEFAULT;
      return new Document(keys, settings, seq, hash);
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyringException) {
        throw (KeyringException) e;
      }
      throw new KeyringException("the keyring metadata is malformed although it passed its integrity check;"
          + " it was written by an incompatible program", e);
    }
  }

  /** The settled (exact) part of each version's count, for the versions that have one. */
  private static void writeUsage(DataOutputStream out, Map<String, KeyRecord> keys) throws IOException {
    int n = 0;
    for (KeyRecord k : keys.values()) {
      for (VersionRecord v : k.versions()) {
        n += v.usesSettled() > 0 ? 1 : 0;
      }
    }
    out.writeInt(n);
    for (KeyRecord k : keys.values()) {
      for (VersionRecord v : k.versions()) {
        if (v.usesSettled() > 0) {
          out.writeUTF(k.name());
          out.writeInt(v.version());
          out.writeLong(v.usesSettled());
        }
      }
    }
  }

  private static void readUsage(DataInputStream in, Map<String, KeyRecord> keys, int docLength) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > docLength) {
      throw new IllegalArgumentException("usage count " + n);
    }
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int version = in.readInt();
      long settled = in.readLong();
      KeyRecord k = keys.get(name);
      VersionRecord v = k == null ? null : k.version(version);
      if (v == null) {
        throw new IllegalArgumentException("usage of an unknown version " + name + "#" + version);
      }
      // the record's constructor refuses a settled count outside 0..counted
      keys.put(name, k.withVersion(v.withUsage(v.usageReserved(), settled)));
    }
  }

  private static KeyState stateOrNull(int code, String field, String ref) {
    return code == NO_STATE ? null : state(code, field, ref);
  }

  private static KeyState state(int code, String field, String ref) {
    return KeyState.fromCode(code).orElseThrow(() -> unknownCode(field, code, ref));
  }

  private static KeyAlgorithm algorithm(int code, String ref) {
    return KeyAlgorithm.fromCode(code).orElseThrow(() -> unknownCode("algorithm", code, ref));
  }

  /**
   * The metadata authenticated, so an unknown code comes from a newer writer or one holding the
   * master key, never from line noise: TAMPERED, as for any authentic but malformed content.
   */
  private static StoreDamagedException unknownCode(String field, int code, String ref) {
    return new StoreDamagedException(StoreDamagedException.Kind.TAMPERED, "the keyring metadata gives key " + ref
        + " an unknown " + field + " code " + code + ": it was written by a newer or incompatible Clavis"
        + " (use that version), or it is damaged (restore it from a backup)");
  }

  private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t == null ? Long.MIN_VALUE : t.toEpochMilli());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    long v = in.readLong();
    return v == Long.MIN_VALUE ? null : Instant.ofEpochMilli(v);
  }

  static void writeDuration(DataOutputStream out, Duration d) throws IOException {
    out.writeLong(d == null ? Long.MIN_VALUE : d.toMillis());
  }

  static Duration readDuration(DataInputStream in) throws IOException {
    long v = in.readLong();
    return v == Long.MIN_VALUE ? null : Duration.ofMillis(v);
  }
}
