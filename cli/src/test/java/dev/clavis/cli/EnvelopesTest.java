package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

  @Test
  void describe_readsNameAndVersionFromHeader() {
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 8 + 4 + 28);
    b.put(new byte[] {'C', 'L', 'V', 1}).put((byte) 8).put("payments".getBytes()).putInt(3);
    assertEquals("payments#3", Envelopes.describe(b.array()));
  }

  @Test
  void describe_garbageOrTruncated_saysUnrecognised() {
    assertEquals("an unrecognised envelope", Envelopes.describe(new byte[] {1, 2, 3}));
    assertEquals("an unrecognised envelope", Envelopes.describe(new byte[] {'C', 'L', 'V', 1, 100, 0, 0, 0, 0, 0, 0}));
  }

  @Test
  void describe_streamingEnvelope_namesTheVersionOfItsDataKey() {
    ByteBuffer b = ByteBuffer.allocate(6 + 5 + 4 + 4 + 60);
    b.put(new byte[] {'C', 'L', 'S', 1, 0, 70}).put(new byte[] {'C', 'L', 'W', 2, 4}).put("bulk".getBytes()).putInt(12);
    assertTrue(Envelopes.isStream(b.array()));
    assertEquals("bulk#12", Envelopes.describe(b.array()));
    assertFalse(Envelopes.isStream(new byte[] {'C', 'L', 'V', 2}));
    assertFalse(Envelopes.isStream(new byte[] {'C', 'L', 'S'}));
  }
}
