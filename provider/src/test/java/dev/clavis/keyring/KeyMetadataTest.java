package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** KeyMetadata validates every field and is a value. */
class KeyMetadataTest {

  @Test
  void builder_keepsFields_sortsTags_andToBuilderCopies() {
    KeyMetadata m = KeyMetadata.builder().purpose("p").description("d").tag("z", "1").tag("a", "2").source("cli").build();
    assertEquals(java.util.List.of("a", "z"), java.util.List.copyOf(m.tags().keySet()));
    assertEquals(m, m.toBuilder().build());
    assertNotEquals(m, m.toBuilder().removeTag("z").build());
    assertTrue(KeyMetadata.empty().isEmpty());
    assertThrows(UnsupportedOperationException.class, () -> m.tags().put("x", "y"));
  }

  @Test
  void malformedFields_areRefusedNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().tag("a b", "v"))
        .getMessage().contains("tag key"));
    assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().tag("", "v"));
    assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().tag("k", "line\nbreak"));
    assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().purpose("  "));
    assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().purpose("x".repeat(KeyMetadata.MAX_PURPOSE + 1)));
    assertThrows(IllegalArgumentException.class, () -> KeyMetadata.builder().source("CLI!"));
    KeyMetadata.Builder b = KeyMetadata.builder();
    for (int i = 0; i < KeyMetadata.MAX_TAGS; i++) {
      b.tag("t" + i, "");
    }
    assertThrows(IllegalArgumentException.class, () -> b.tag("one-more", ""));
    b.tag("t0", "replacing is fine");
  }
}
