package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-wide hold on a store's lock (keytool's session); that another process cannot commit
 * while it is held is shown with real processes in {@code KeytoolRaceAttackTest}.
 */
class ProcessLockTest {

  private static final char[] PW = "process-lock-test".toCharArray();
  @TempDir Path dir;

  @Test
  void whileHeld_thisProcessesTransactionsStillCommit_andTheHoldStays() {
    Path f = dir.resolve("s.clavis");
    try (FileKeyBackend b = FileKeyBackend.open(f, PW, KdfParameters.pbkdf2(600_000))) {
      ProcessLock.hold(b);
      try {
        assertTrue(ProcessLock.isHeld(b));
        long before = b.generation();
        b.transact((latest, changes) -> {
          changes.setMetadata(latest.metadata());
          return null;
        });
        assertEquals(before + 1, b.generation());
        assertTrue(ProcessLock.isHeld(b), "a transaction of this process dropped the hold");
      } finally {
        ProcessLock.release(b);
      }
      assertFalse(ProcessLock.isHeld(b));
    }
  }
}
