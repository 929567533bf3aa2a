package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyringException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The extension section of metadata format 3 (layout in {@link MetadataCodec}): tagged,
 * length-prefixed fields of the store, of a key or of a version. Only fields that differ from
 * their default are written, so a key without retention settings or metadata costs nothing.
 */
final class Extensions {

  /** Of the store: the minimum deletion window. */
  static final int STORE_MIN_DELETION_WINDOW = 1;
  /** Of the store: the custodian quorum (u8 M, u8 N, N times u16 length + X.509 public key). */
  static final int STORE_QUORUM = 2;
  /** Of the store: every decryption is recorded (u8 1). */
  static final int STORE_AUDIT_DECRYPTS = 3;
  /** Of the store: approvals used (u32 count, count times 16-byte nonce + i64 expiry in ms). */
  static final int STORE_USED_APPROVALS = 4;
  /**
   * Of the store: the ids of the keyrings it was migrated from (u16 count, count times 8 bytes).
   * Not droppable: an older Clavis would refuse their envelopes, and drop the ids when it writes.
   */
  static final int STORE_FORMER_IDS = 5;
  /** Of a key: decryption floor, versions kept, decrypt window, deletion protection. */
  static final int KEY_RETENTION = 1;
  static final int KEY_PURPOSE = 2;
  static final int KEY_DESCRIPTION = 3;
  static final int KEY_TAGS = 4;
  static final int KEY_SOURCE = 5;
  /**
   * Of a key: an HD key's derivation (seed name, seed version, BIP32 indices). Not droppable: a
   * Clavis that does not know it would let the key act without its seed's state.
   */
  static final int KEY_DERIVATION = 6;
  /** A tag with this bit may be dropped by a reader that does not know it. */
  static final int IGNORABLE = 0x8000;
  /**
   * Of a version: its own certificate's public facts (subject, issuer, serial, notBefore, notAfter,
   * chain length), so listing reads no private key. Numbered after the key tags (7 and 8 are
   * spoken for), so no number means two things in any scope. Droppable: a reader that does not
   * know it reads the chain from the material, and a writer that drops it leaves no stale copy.
   */
  static final int VERSION_CERTIFICATE = IGNORABLE | 9;

  private static final int FLAG_DELETION_PROTECTION = 1;

  private Extensions() {}

  /** One field to write. */
  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private record Field(String name, int version, int tag, byte[] body) {}

  static void write(DataOutputStream out, Map<String, KeyRecord> keys, StoreSettings settings) throws IOException {
    java.util.List<Field> fields = new java.util.ArrayList<>();
    if (!settings.minimumDeletionWindow().equals(StoreSettings.DEFAULT.minimumDeletionWindow())) {
      fields.add(field("", 0, STORE_MIN_DELETION_WINDOW,
          o -> MetadataCodec.writeDuration(o, settings.minimumDeletionWindow())));
    }
    // the quorum tags are not droppable (no IGNORABLE bit): an older Clavis refuses the store
    // rather than open it without its dual control
    if (settings.quorum() != null) {
      fields.add(field("", 0, STORE_QUORUM, o -> {
        java.util.List<byte[]> ks = settings.quorum().encodedCustodians();
        o.writeByte(settings.quorum().threshold());
        o.writeByte(ks.size());
        for (byte[] k : ks) {
          o.writeShort(k.length);
          o.write(k);
        }
      }));
    }
    if (settings.auditDecrypts()) {
      fields.add(field("", 0, STORE_AUDIT_DECRYPTS, o -> o.writeByte(1)));
    }
    if (!settings.usedApprovals().isEmpty()) {
      fields.add(field("", 0, STORE_USED_APPROVALS, o -> {
        o.writeInt(settings.usedApprovals().size());
        for (Map.Entry<String, java.time.Instant> e : settings.usedApprovals().entrySet()) {
          o.write(java.util.HexFormat.of().parseHex(e.getKey()));
          o.writeLong(e.getValue().toEpochMilli());
        }
      }));
    }
    if (!settings.formerIds().isEmpty()) {
      fields.add(field("", 0, STORE_FORMER_IDS, o -> {
        o.writeShort(settings.formerIds().size());
        for (String id : settings.formerIds()) {
          o.write(java.util.HexFormat.of().parseHex(id));
        }
      }));
    }
    for (KeyRecord k : keys.values()) {
      KeyPolicy p = k.policy();
      if (p.minDecryptionVersion() != 0 || p.keepVersions() != 0 || p.decryptWindow().isPresent()
          || p.deletionProtection()) {
        fields.add(field(k.name(), 0, KEY_RETENTION, o -> {
          o.writeInt(p.minDecryptionVersion());
          o.writeInt(p.keepVersions());
          MetadataCodec.writeDuration(o, p.decryptWindow().orElse(null));
          o.writeByte(p.deletionProtection() ? FLAG_DELETION_PROTECTION : 0);
        }));
      }
      KeyMetadata m = k.metadata();
      if (m.purpose().isPresent()) {
        fields.add(field(k.name(), 0, KEY_PURPOSE, o -> o.writeUTF(m.purpose().get())));
      }
      if (m.description().isPresent()) {
        fields.add(field(k.name(), 0, KEY_DESCRIPTION, o -> o.writeUTF(m.description().get())));
      }
      if (!m.tags().isEmpty()) {
        fields.add(field(k.name(), 0, KEY_TAGS, o -> {
          o.writeShort(m.tags().size());
          for (Map.Entry<String, String> e : m.tags().entrySet()) {
            o.writeUTF(e.getKey());
            o.writeUTF(e.getValue());
          }
        }));
      }
      if (m.source().isPresent()) {
        fields.add(field(k.name(), 0, KEY_SOURCE, o -> o.writeUTF(m.source().get())));
      }
      if (m.derivation().isPresent()) {
        dev.clavis.keyring.HdDerivation hd = m.derivation().get();
        fields.add(field(k.name(), 0, KEY_DERIVATION, o -> {
          o.writeUTF(hd.seed());
          o.writeInt(hd.seedVersion());
          o.writeByte(hd.indices().size());
          for (int i : hd.indices()) {
            o.writeInt(i);
          }
        }));
      }
      for (VersionRecord v : k.versions()) {
        if (v.certificate() != null) {
          fields.add(field(k.name(), v.version(), VERSION_CERTIFICATE, o -> writeCertificate(o, v.certificate())));
        }
      }
    }
    out.writeInt(fields.size());
    for (Field f : fields) {
      out.writeUTF(f.name());
      out.writeInt(f.version());
      out.writeShort(f.tag());
      out.writeInt(f.body().length);
      out.write(f.body());
    }
  }

  private static Field field(String name, int version, int tag, Body body) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(bos);
    body.write(o);
    o.flush();
    return new Field(name, version, tag, bos.toByteArray());
  }

  /**
   * Reads the section into {@code keys} (their policies and metadata) and returns the store's settings.
   *
   * @throws KeyringException for a tag this Clavis does not know (naming it)
   * @throws IllegalArgumentException for a malformed field (the codec reports it as malformed)
   */
  static StoreSettings read(DataInputStream in, Map<String, KeyRecord> keys, int docLength) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > docLength) {
      throw new IllegalArgumentException("extension count " + n);
    }
    StoreSettings settings = StoreSettings.DEFAULT;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int version = in.readInt();
      int tag = in.readUnsignedShort();
      int len = in.readInt();
      if (len < 0 || len > docLength) {
        throw new IllegalArgumentException("extension length " + len);
      }
      byte[] body = in.readNBytes(len);
      if (body.length != len) {
        throw new IllegalArgumentException("extension cut short");
      }
      if (!seen.add(name + "#" + version + "/" + tag)) {
        throw new IllegalArgumentException("extension " + tag + " twice for " + name + "#" + version);
      }
      DataInputStream b = new DataInputStream(new ByteArrayInputStream(body));
      if (name.isEmpty() && version == 0 && tag == STORE_MIN_DELETION_WINDOW) {
        settings = settings.withMinimumDeletionWindow(MetadataCodec.readDuration(b));
      } else if (name.isEmpty() && version == 0 && tag >= STORE_QUORUM && tag <= STORE_FORMER_IDS) {
        settings = readStoreField(settings, tag, b);
      } else if (!name.isEmpty() && version == 0 && tag >= KEY_RETENTION && tag <= KEY_DERIVATION) {
        KeyRecord k = keys.get(name);
        if (k == null) {
          throw new IllegalArgumentException("extension " + tag + " of an unknown key " + name);
        }
        keys.put(name, readKeyField(k, tag, b));
      } else if (!name.isEmpty() && version != 0 && tag == VERSION_CERTIFICATE) {
        KeyRecord k = keys.get(name);
        VersionRecord v = k == null ? null : k.version(version);
        if (v == null) {
          throw new IllegalArgumentException("extension " + tag + " of an unknown version " + name + "#" + version);
        }
        keys.put(name, k.withVersion(v.withCertificate(readCertificate(b))));
      } else if ((tag & IGNORABLE) == 0) {
        throw new KeyringException("the keyring metadata holds extension " + tag + " for "
            + (name.isEmpty() ? "the store" : name + (version == 0 ? "" : "#" + version))
            + ", which this Clavis does not know: it was written by a newer Clavis; use that version");
      }
    }
    return settings;
  }

  /** u32 n | UTF-8 subject | u32 n | UTF-8 issuer | u16 n | serial (two's complement) | i64 notBefore ms | i64 notAfter ms | u8 chain length */
  private static void writeCertificate(DataOutputStream o, dev.clavis.keyring.CertificateInfo c) throws IOException {
    writeText(o, c.subject());
    writeText(o, c.issuer());
    byte[] serial = c.serialNumber().toByteArray();
    o.writeShort(serial.length);
    o.write(serial);
    o.writeLong(c.notBefore().toEpochMilli());
    o.writeLong(c.notAfter().toEpochMilli());
    o.writeByte(c.chainLength());
  }

  private static dev.clavis.keyring.CertificateInfo readCertificate(DataInputStream b) throws IOException {
    String subject = readText(b);
    String issuer = readText(b);
    byte[] serial = new byte[b.readUnsignedShort()];
    b.readFully(serial);
    if (serial.length == 0) {
      throw new IllegalArgumentException("a certificate's serial number of no bytes");
    }
    java.time.Instant from = java.time.Instant.ofEpochMilli(b.readLong());
    java.time.Instant to = java.time.Instant.ofEpochMilli(b.readLong());
    return dev.clavis.keyring.CertificateInfo.of(subject, issuer, new java.math.BigInteger(serial), from, to,
        b.readUnsignedByte());
  }

  /** A distinguished name may exceed writeUTF's 65,535 bytes: a u32 length. */
  private static void writeText(DataOutputStream o, String s) throws IOException {
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    o.writeInt(utf8.length);
    o.write(utf8);
  }

  private static String readText(DataInputStream b) throws IOException {
    int n = b.readInt();
    if (n < 0 || n > b.available()) { // the body is in memory: available() is what is left of it
      throw new IllegalArgumentException("text length " + n);
    }
    return new String(b.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static StoreSettings readStoreField(StoreSettings s, int tag, DataInputStream b) throws IOException {
    switch (tag) {
      case STORE_QUORUM -> {
        int m = b.readUnsignedByte();
        int n = b.readUnsignedByte();
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] k = new byte[b.readUnsignedShort()];
          b.readFully(k);
          keys.add(k);
        }
        return s.withQuorum(dev.clavis.keyring.CustodianQuorum.ofEncoded(m, keys));
      }
      case STORE_AUDIT_DECRYPTS -> {
        return s.withAuditDecrypts(b.readUnsignedByte() == 1);
      }
      case STORE_FORMER_IDS -> {
        int n = b.readUnsignedShort();
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
          byte[] id = new byte[Envelope.KEYRING_ID_LENGTH];
          b.readFully(id);
          ids.add(java.util.HexFormat.of().formatHex(id));
        }
        return s.withFormerIds(ids);
      }
      default -> {
        int n = b.readInt();
        if (n < 0 || n > 1_000_000) {
          throw new IllegalArgumentException("used approvals " + n);
        }
        Map<String, java.time.Instant> used = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
          byte[] nonce = new byte[16];
          b.readFully(nonce);
          used.put(java.util.HexFormat.of().formatHex(nonce), java.time.Instant.ofEpochMilli(b.readLong()));
        }
        return new StoreSettings(s.minimumDeletionWindow(), s.quorum(), s.auditDecrypts(), used, s.formerIds());
      }
    }
  }

  private static KeyRecord readKeyField(KeyRecord k, int tag, DataInputStream b) throws IOException {
    KeyMetadata.Builder m = k.metadata().toBuilder();
    switch (tag) {
      case KEY_RETENTION -> {
        int floor = b.readInt();
        int keep = b.readInt();
        java.time.Duration window = MetadataCodec.readDuration(b);
        int flags = b.readUnsignedByte();
        return k.withPolicy(k.policy().toBuilder().minDecryptionVersion(floor).keepVersions(keep)
            .decryptWindow(window).deletionProtection((flags & FLAG_DELETION_PROTECTION) != 0).build());
      }
      case KEY_PURPOSE -> m.purpose(b.readUTF());
      case KEY_DESCRIPTION -> m.description(b.readUTF());
      case KEY_TAGS -> {
        int n = b.readUnsignedShort();
        for (int i = 0; i < n; i++) {
          m.tag(b.readUTF(), b.readUTF());
        }
      }
      case KEY_DERIVATION -> {
        String seed = b.readUTF();
        int version = b.readInt();
        int[] path = new int[b.readUnsignedByte()];
        for (int i = 0; i < path.length; i++) {
          path[i] = b.readInt();
        }
        m.derivation(dev.clavis.keyring.HdDerivation.of(seed, version, path));
      }
      default -> m.source(b.readUTF());
    }
    return k.withMetadata(m.build());
  }
}
