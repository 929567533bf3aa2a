package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata format 3: the extension section round-trips, costs nothing at defaults, refuses unknown tags. */
class ExtensionsTest {

  static KeyRecord key(String name, KeyPolicy p, KeyMetadata m) {
    VersionRecord v = VersionRecord.builder().version(1).state(KeyState.ACTIVE).algorithm(KeyAlgorithm.AES_256)
        .origin(KeyVersionInfo.Origin.GENERATED).created(Instant.EPOCH).activated(Instant.EPOCH).build();
    return KeyRecord.builder().name(name).algorithm(KeyAlgorithm.AES_256).policy(p).versions(List.of(v)).primary(1)
        .metadata(m).build();
  }

  @Test
  void format3_roundTripsPoliciesMetadataAndStoreSettings() {
    KeyPolicy p = KeyPolicy.builder().minDecryptionVersion(1).keepVersions(4).decryptWindow(Duration.ofDays(90))
        .deletionProtection(true).build();
    KeyMetadata m = KeyMetadata.builder().purpose("payments").description("card numbers, é ✓")
        .tag("team", "core").tag("env", "").source("cli").build();
    byte[] doc = MetadataCodec.encode(Map.of("k", key("k", p, m), "plain", key("plain", KeyPolicy.defaults(),
        KeyMetadata.empty())), new StoreSettings(Duration.ofDays(30)), 5, new byte[32]);
    assertEquals(MetadataCodec.FORMAT, doc[0]);
    MetadataCodec.Document d = MetadataCodec.decode(doc);
    assertEquals(p, d.keys().get("k").policy());
    assertEquals(m, d.keys().get("k").metadata());
    assertEquals(KeyMetadata.empty(), d.keys().get("plain").metadata());
    assertEquals(Duration.ofDays(30), d.settings().minimumDeletionWindow());
  }

  @Test
  void derivation_roundTrips_asTag6_whichAReaderMayNotDrop() throws Exception {
    KeyMetadata m = KeyMetadata.builder().derivation(dev.clavis.keyring.HdDerivation.of("wallet", 2,
        new int[] {0x8000002C, 0x80000000, 0x80000000, 0, 5})).build();
    MetadataCodec.Document d = MetadataCodec.decode(MetadataCodec.encode(Map.of("c", key("c", KeyPolicy.defaults(), m)),
        0, new byte[32]));
    assertEquals(m, d.keys().get("c").metadata());
    assertEquals("m/44'/0'/0'/0/5", d.keys().get("c").metadata().derivation().orElseThrow().path());
    assertEquals(0, Extensions.KEY_DERIVATION & Extensions.IGNORABLE,
        "a Clavis that does not know derivations must refuse the store, not let a child act without its seed");
  }

  @Test
  void certificateFacts_roundTripPerVersion_asTag0x8009_whichAnOlderReaderMayDrop() {
    dev.clavis.keyring.CertificateInfo c = dev.clavis.keyring.CertificateInfo.of("CN=api.example.com,O=Ü ✓",
        "CN=Test CA", new java.math.BigInteger("-80000000000000000001", 16), Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2027-01-01T00:00:00Z"), 3);
    KeyRecord k = key("p", KeyPolicy.defaults(), KeyMetadata.empty());
    k = k.withVersion(k.version(1).withCertificate(c));
    MetadataCodec.Document d = MetadataCodec.decode(MetadataCodec.encode(Map.of("p", k), 0, new byte[32]));
    assertEquals(c, d.keys().get("p").version(1).certificate());
    assertEquals(9, Extensions.VERSION_CERTIFICATE & ~Extensions.IGNORABLE, "numbered after the key tags 7 and 8");
    assertNotEquals(0, Extensions.VERSION_CERTIFICATE & Extensions.IGNORABLE,
        "droppable: a reader that does not know it reads the chain from the material");
  }

  @Test
  void defaults_writeAnEmptySection() {
    byte[] doc = MetadataCodec.encode(Map.of("k", key("k", KeyPolicy.defaults(), KeyMetadata.empty())), 0, new byte[32]);
    byte[] tail = Arrays.copyOfRange(doc, doc.length - 4, doc.length);
    assertArrayEquals(new byte[4], tail, "an extension count of 0, nothing else");
    assertEquals(StoreSettings.DEFAULT, MetadataCodec.decode(doc).settings());
  }

  private static byte[] withExtension(int tag) throws Exception {
    byte[] doc = MetadataCodec.encode(Map.of("k", key("k", KeyPolicy.defaults(), KeyMetadata.empty())), 0, new byte[32]);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    bos.write(doc, 0, doc.length - 4);
    DataOutputStream out = new DataOutputStream(bos);
    out.writeInt(1);
    out.writeUTF("k");
    out.writeInt(0);
    out.writeShort(tag);
    out.writeInt(2);
    out.write(new byte[] {7, 7});
    out.flush();
    return bos.toByteArray();
  }

  @Test
  void unknownTag_isRefusedNamingIt() throws Exception {
    KeyringException e = assertThrows(KeyringException.class, () -> MetadataCodec.decode(withExtension(77)));
    assertTrue(e.getMessage().contains("extension 77") && e.getMessage().contains("newer Clavis"), e.getMessage());
  }

  @Test
  void unknownIgnorableTag_isSkipped() throws Exception {
    assertEquals(KeyPolicy.defaults(),
        MetadataCodec.decode(withExtension(Extensions.IGNORABLE | 77)).keys().get("k").policy());
  }

  @Test
  void format2Document_readsWithEveryNewFieldAtItsDefault() throws Exception {
    byte[] doc = MetadataCodec.encode(Map.of("k", key("k", KeyPolicy.defaults(), KeyMetadata.empty())), 0, new byte[32]);
    byte[] v2 = Arrays.copyOf(doc, doc.length - 4); // a format-2 writer ends after the usage section
    v2[0] = (byte) MetadataCodec.FORMAT_WITHOUT_EXTENSIONS;
    MetadataCodec.Document d = MetadataCodec.decode(v2);
    assertEquals(KeyPolicy.defaults(), d.keys().get("k").policy());
    assertEquals(StoreSettings.DEFAULT, d.settings());
  }
}
