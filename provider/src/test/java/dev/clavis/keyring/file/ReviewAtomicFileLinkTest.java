package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyringException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review (issue 9 item 8): the store's lock file {@code S.lock} is opened with {@code O_CREAT}
 * and follows a symbolic link. Whoever may write the store's directory (a shared or group
 * directory) can make {@code S.lock} a link to any path: the next writer then creates that file,
 * as its own user, wherever the link points (the classic symlink attack: an empty
 * {@code /etc/nologin} when the writer is root), or opens someone else's file for writing.
 */
class ReviewAtomicFileLinkTest {

  @TempDir Path dir;

  @Test
  void lockFile_thatIsADanglingLink_createsNothingWhereItPoints() throws Exception {
    Path store = Files.write(dir.resolve("s"), new byte[] {1});
    Path victimDir = Files.createDirectory(dir.resolve("victim"));
    Path target = victimDir.resolve("created-by-clavis");
    Files.createSymbolicLink(dir.resolve("s.lock"), target);
    AtomicFile f = AtomicFile.of(store, "the key store");
    try (AtomicFile.Lock l = f.lock()) {
      // taken: then on a file of its own, not through the link
    } catch (KeyringException refused) {
      assertTrue(refused.getMessage().contains("s.lock"), refused.getMessage());
    }
    assertFalse(Files.exists(target), "the writer created " + target + ", where an attacker's link pointed");
  }

  @Test
  void lockFile_thatIsALinkToAnotherFile_isNotOpenedForWriting() throws Exception {
    Path store = Files.write(dir.resolve("s"), new byte[] {1});
    Path other = Files.writeString(dir.resolve("someone-elses"), "data");
    Files.createSymbolicLink(dir.resolve("s.lock"), other);
    AtomicFile f = AtomicFile.of(store, "the key store");
    KeyringException e = assertThrows(KeyringException.class, () -> {
      try (AtomicFile.Lock l = f.lock()) {
        // the lock would be taken on the link's target
      }
    });
    assertTrue(e.getMessage().contains("s.lock"), e.getMessage());
    assertEquals("data", Files.readString(other));
  }
}
