package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
