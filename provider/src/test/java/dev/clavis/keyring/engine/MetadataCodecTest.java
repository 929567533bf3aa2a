package dev.clavis.keyring.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyringException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding refuses forged counts before allocating for them. */
class MetadataCodecTest {

  private static DataOutputStream start(ByteArrayOutputStream bytes) throws Exception {
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(MetadataCodec.FORMAT);
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
}
