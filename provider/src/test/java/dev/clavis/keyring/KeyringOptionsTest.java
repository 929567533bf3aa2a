package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.file.NoSuchStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Keyrings#open(KeyringOptions)}, the one way to open a keyring, and its options value. */
class KeyringOptionsTest {

  static final KdfParameters FAST = KeyringsTest.FAST;

  @TempDir Path dir;

  @Test
  void open_fileWithCreateIfMissingFalse_refusesAMissingStore_andCreatesNothing() throws Exception {
    Path f = dir.resolve("mistyped.clavis");
    assertThrows(NoSuchStoreException.class, () -> Keyrings.open(KeyringOptions.file(f).password("pw".toCharArray())
        .kdfForNew(FAST).createIfMissing(false)));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "nothing created, not even a lock file");
    }
  }

  @Test
  void open_fileByDefault_createsTheStore_withTheGivenKdfAndClock_andReopensWithoutCreating() throws Exception {
    Path f = dir.resolve("k.clavis");
    Instant t = Instant.parse("2030-01-02T03:04:05Z");
    try (Keyring k = Keyrings.open(KeyringOptions.file(f).password("pw".toCharArray()).kdfForNew(FAST)
        .clock(Clock.fixed(t, ZoneOffset.UTC)))) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      assertEquals(t, k.find("a").orElseThrow().latest().created());
    }
    try (Keyring k = Keyrings.open(KeyringOptions.file(f).password("pw".toCharArray()).createIfMissing(false))) {
      assertEquals(1, k.list().size());
    }
  }

  @Test
  void open_leavesThePasswordArrayToTheCaller() {
    char[] pw = "pw".toCharArray();
    try (Keyring k = Keyrings.open(KeyringOptions.file(dir.resolve("k.clavis")).password(pw).kdfForNew(FAST))) {
      assertTrue(k.list().isEmpty());
    }
    assertArrayEquals("pw".toCharArray(), pw, "the caller wipes it, not the open");
  }

  @Test
  void open_withoutPasswordOrPin_isRefusedNamingWhatIsMissing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Keyrings.open(KeyringOptions.file(dir.resolve("k.clavis"))));
    assertTrue(e.getMessage().contains("no password"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("k.clavis")));
  }

  @Test
  void options_areImmutable_andNeverShowTheSecret() {
    KeyringOptions base = KeyringOptions.file(dir.resolve("k.clavis"));
    KeyringOptions withPw = base.password("s3cret-pw".toCharArray()).createIfMissing(false);
    assertTrue(base.createsMissing(), "setters return new values");
    assertFalse(withPw.createsMissing());
    assertFalse(withPw.toString().contains("s3cret-pw"), withPw.toString());
    assertEquals(KeyringOptions.Kind.FILE, withPw.kind());
  }

  @Test
  void options_refuseSettingsOfAnotherKind() {
    KeyringOptions f = KeyringOptions.file(dir.resolve("k.clavis"));
    assertThrows(IllegalStateException.class, () -> f.pin("1234".toCharArray()), "a file store takes a password");
  }

  @Test
  void importWrapped_onTheFileStore_isRefused_andCommitsNothing() {
    Path f = dir.resolve("k.clavis");
    try (Keyring k = Keyrings.open(KeyringOptions.file(f).password("pw".toCharArray()).kdfForNew(FAST))) {
      k.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      dev.clavis.keyring.lifecycle.KeyringEngine e = (dev.clavis.keyring.lifecycle.KeyringEngine) k;
      long before = e.backend().generation();
      assertThrows(UnsupportedOperationException.class, () -> e.importWrapped("byok", KeyAlgorithm.AES_256,
          KeyRef.of("kek", 1), new byte[40], KeyPolicy.defaults()));
      assertTrue(k.find("byok").isEmpty());
      assertEquals(before, e.backend().generation(), "nothing committed");
    }
  }
}
