package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding refuses forged counts before allocating for them. */
class MetadataCodecTest {

  private static DataOutputStream start(ByteArrayOutputStream bytes) throws Exception {
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(MetadataCodec.FORMAT_WITHOUT_USAGE); // hand-built: no usage section
    out.writeLong(7);
    out.write(new byte[32]);
    return out;
  }

  @Test
  void decode_emptyKeyList_roundTrips() throws Exception {
    byte[] doc = MetadataCodec.encode(Map.of(), 7, new byte[32]);
    assertEquals(7, MetadataCodec.decode(doc).auditSeq());
  }

  @Test
  void decode_forgedKeyCount_throwsKeyringException() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    start(bytes).writeInt(100_000_000);
    KeyringException e = assertThrows(KeyringException.class, () -> MetadataCodec.decode(bytes.toByteArray()));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
  }

  @Test
  void decode_forgedVersionCount_throwsKeyringException_notOutOfMemory() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = start(bytes);
    out.writeInt(1);
    out.writeUTF("k");
    out.writeByte(0); // algorithm
    for (int i = 0; i < 4; i++) {
      out.writeLong(Long.MIN_VALUE); // rotation, usage limit, lifetime, deletion window
    }
    out.writeByte(0); // flags
    out.writeInt(1); // primary
    out.writeByte(0); // deleted
    out.writeInt(Integer.MAX_VALUE - 8); // version count
    KeyringException e = assertThrows(KeyringException.class, () -> MetadataCodec.decode(bytes.toByteArray()));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
  }

  /** A document of one key "k" with one version, its codes as given. */
  private static byte[] oneVersion(int keyAlg, int state, int remembered, int origin, int versionAlg) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = start(bytes);
    out.writeInt(1);
    out.writeUTF("k");
    out.writeByte(keyAlg);
    out.writeLong(Long.MIN_VALUE); // rotation period
    out.writeLong(0); // usage limit
    out.writeLong(Long.MIN_VALUE); // lifetime
    out.writeLong(java.time.Duration.ofDays(7).toMillis()); // deletion window
    out.writeByte(0);
    out.writeInt(1);
    out.writeByte(0);
    out.writeInt(1);
    out.writeByte(state);
    out.writeByte(remembered);
    out.writeByte(0xFF);
    out.writeByte(origin);
    out.writeByte(0);
    out.writeByte(versionAlg);
    for (int i = 0; i < 5; i++) {
      out.writeLong(Long.MIN_VALUE);
    }
    out.writeLong(0);
    out.writeLong(0);
    out.writeUTF("\0");
    return bytes.toByteArray();
  }

  @Test
  void decode_todaysCodes_readAsTheirConstants() throws Exception {
    // state 4 = SUSPENDED remembering 1 = ACTIVE, origin 1 = IMPORTED, algorithm 3 = HMAC_SHA256
    KeyRecord k = MetadataCodec.decode(oneVersion(3, 4, 1, 1, 3)).keys().get("k");
    assertEquals(dev.clavis.keyring.KeyAlgorithm.HMAC_SHA256, k.algorithm());
    VersionRecord v = k.versions().get(0);
    assertEquals(dev.clavis.keyring.KeyState.SUSPENDED, v.state());
    assertEquals(dev.clavis.keyring.KeyState.ACTIVE, v.remembered());
    assertEquals(dev.clavis.keyring.KeyVersionInfo.Origin.IMPORTED, v.origin());
  }

  @Test
  void decode_unknownStateCode_isStoreDamaged_namingFieldCodeAndKey() throws Exception {
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MetadataCodec.decode(oneVersion(2, 9, 0xFF, 0, 2)));
    assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind());
    assertTrue(e.getMessage().contains("unknown state code 9") && e.getMessage().contains("k#1"), e.getMessage());
  }

  @Test
  void decode_unknownRememberedStateCode_isStoreDamaged() throws Exception {
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MetadataCodec.decode(oneVersion(2, 4, 200, 0, 2)));
    assertTrue(e.getMessage().contains("unknown remembered state code 200"), e.getMessage());
  }

  @Test
  void decode_unknownAlgorithmCode_isStoreDamaged() throws Exception {
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MetadataCodec.decode(oneVersion(77, 1, 0xFF, 0, 2)));
    assertTrue(e.getMessage().contains("unknown algorithm code 77"), e.getMessage());
    e = assertThrows(StoreDamagedException.class, () -> MetadataCodec.decode(oneVersion(2, 1, 0xFF, 0, 55)));
    assertTrue(e.getMessage().contains("unknown algorithm code 55") && e.getMessage().contains("k#1"), e.getMessage());
  }

  @Test
  void decode_unknownOriginCode_isStoreDamaged() throws Exception {
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MetadataCodec.decode(oneVersion(2, 1, 0xFF, 2, 2)));
    assertTrue(e.getMessage().contains("unknown origin code 2"), e.getMessage());
  }

  @Test
  void policyFlag_legacyEncryption_survivesReopen_andDefaultsOff(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path file = dir.resolve("s.clavis");
    try (dev.clavis.keyring.Keyring k = dev.clavis.keyring.TestStores.open(file)) {
      k.create("on", dev.clavis.keyring.KeyAlgorithm.AES_128,
          dev.clavis.keyring.KeyPolicy.builder().legacyEncryption(true).autoRotate(false).build());
      k.create("off", dev.clavis.keyring.KeyAlgorithm.HMAC_SHA384, dev.clavis.keyring.KeyPolicy.defaults());
    }
    try (dev.clavis.keyring.Keyring k = dev.clavis.keyring.TestStores.open(file)) {
      dev.clavis.keyring.KeyPolicy on = k.find("on").orElseThrow().policy();
      assertTrue(on.legacyEncryption() && !on.autoRotate(), on.toString());
      assertTrue(!k.find("off").orElseThrow().policy().legacyEncryption());
      assertEquals(dev.clavis.keyring.KeyAlgorithm.HMAC_SHA384, k.find("off").orElseThrow().algorithm());
    }
  }
}
