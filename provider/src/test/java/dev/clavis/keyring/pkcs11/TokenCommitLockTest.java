package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.TokenInfo;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommitLockTest {

  @TempDir
  Path dir;

  private static TokenInfo info() throws Exception {
    try (Pkcs11Token t = SoftHsmTokens.open()) {
      return t.info();
    }
  }

  @Test
  void lockFile_isNamedAfterTheToken_inAnOwnerOnlyDirectory_andOwnerOnly() throws Exception {
    TokenInfo info = info();
    Path lockDir = dir.resolve("locks");
    TokenCommitLock a = TokenCommitLock.of(lockDir, SoftHsm.LIBRARY, info);
    TokenCommitLock b = TokenCommitLock.of(lockDir, SoftHsm.LIBRARY, info);
    assertEquals(a.file(), b.file(), "two opens of one token take one lock");
    assertEquals(lockDir, a.file().getParent());
    assertFalse(Files.exists(lockDir), "nothing is created until a writer needs the lock");
    try (TokenCommitLock.Held h = a.acquire()) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lockDir)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.file())));
    }
    System.setProperty(TokenCommitLock.LOCK_DIR_PROPERTY, dir.resolve("prop").toString());
    try {
      assertEquals(dir.resolve("prop"), TokenCommitLock.of(null, SoftHsm.LIBRARY, info).file().getParent());
    } finally {
      System.clearProperty(TokenCommitLock.LOCK_DIR_PROPERTY);
    }
  }

  @Test
  void lock_heldByOneBackend_makesAnotherBackendOfTheProcessWait_andIsReentrant() throws Exception {
    TokenInfo info = info();
    TokenCommitLock a = TokenCommitLock.of(dir, SoftHsm.LIBRARY, info);
    TokenCommitLock b = TokenCommitLock.of(dir, SoftHsm.LIBRARY, info);
    AtomicBoolean got = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread other;
    try (TokenCommitLock.Held h = a.acquire()) {
      try (TokenCommitLock.Held again = a.acquire()) {
        // the same thread re-enters (a transaction that reads the audit key, for one)
      }
      other = new Thread(() -> {
        try (TokenCommitLock.Held h2 = b.acquire()) {
          got.set(true);
        }
        done.countDown();
      });
      other.start();
      assertFalse(done.await(300, TimeUnit.MILLISECONDS), "the second backend waited");
      assertFalse(got.get());
    }
    assertTrue(done.await(10, TimeUnit.SECONDS), "and got the lock once it was released");
    assertTrue(got.get());
    other.join();
  }
}
