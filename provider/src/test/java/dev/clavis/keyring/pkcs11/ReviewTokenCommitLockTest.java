package dev.clavis.keyring.pkcs11;

import dev.clavis.testkit.SoftHsm;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.TokenInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review (issue 9 item 5): the default lock directory {@code ${java.io.tmpdir}/clavis-locks-${user.name}}
 * has a name any local user can predict and create first in a shared {@code /tmp}. Whoever owns
 * (or may write) that directory can unlink the lock file while a writer holds it, so the next
 * writer locks a new file and two processes commit to the token at once (the race the lock
 * exists to prevent), or can simply keep every commit waiting. The lock must refuse a directory
 * that is not its user's alone rather than use it.
 */
class ReviewTokenCommitLockTest {

  @TempDir
  Path tmp;

  private String savedTmpdir;

  private static TokenInfo info() throws Exception {
    try (Pkcs11Token t = SoftHsmTokens.open()) {
      return t.info();
    }
  }

  private Path defaultLockDir() {
    savedTmpdir = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    return tmp.resolve("clavis-locks-" + System.getProperty("user.name", "user"));
  }

  @AfterEach
  void restore() {
    if (savedTmpdir != null) {
      System.setProperty("java.io.tmpdir", savedTmpdir);
    }
  }

  @Test
  void defaultLockDirectory_precreatedWorldWritable_isRefused_notUsed() throws Exception {
    TokenInfo info = info();
    Path dir = defaultLockDir();
    // what another local user does first: mkdir /tmp/clavis-locks-<victim>; chmod 777
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    TokenCommitLock lock = TokenCommitLock.of(null, SoftHsm.LIBRARY, info);
    assertEquals(dir, lock.file().getParent());
    KeyringException e = assertThrows(KeyringException.class, () -> {
      try (TokenCommitLock.Held h = lock.acquire()) {
        // taken in a directory others can write: the lock file can be swapped under the holder
      }
    }, "a lock in a directory other users can write serialises nothing");
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void defaultLockDirectory_precreatedAsASymlink_isRefused_notFollowed() throws Exception {
    TokenInfo info = info();
    Path dir = defaultLockDir();
    Path elsewhere = Files.createDirectory(tmp.resolve("attacker"));
    Files.createSymbolicLink(dir, elsewhere);
    TokenCommitLock lock = TokenCommitLock.of(null, SoftHsm.LIBRARY, info);
    assertThrows(KeyringException.class, () -> {
      try (TokenCommitLock.Held h = lock.acquire()) {
        // the lock would live in the link's target, a directory someone else chose
      }
    });
  }

  @Test
  void defaultLockDirectory_ownedByAnotherUser_isRefused() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give the directory away");
    TokenInfo info = info();
    Path dir = defaultLockDir();
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(dir, nobody);
    TokenCommitLock lock = TokenCommitLock.of(null, SoftHsm.LIBRARY, info);
    assertThrows(KeyringException.class, () -> {
      try (TokenCommitLock.Held h = lock.acquire()) {
        // root could write there anyway; another user owning it is the attack
      }
    });
  }
}
