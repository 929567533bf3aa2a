package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the audit log (verify, events, export) while another thread writes must not deadlock: a
 * writer takes the engine's lock, then the log's monitor; a reader that took the monitor first and
 * then needed the engine's lock (to read the head) waited for the writer forever.
 */
public class AuditLogLockOrderTest {

  @TempDir
  Path dir;

  /**
   * Runs {@code writes} and {@code reads} in loops side by side for 3 s; fails if they do not end
   * within 30 s more (then the caller leaves its keyring open: closing it would hang).
   */
  public static void noDeadlock(Runnable writes, Runnable reads) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    CountDownLatch done = new CountDownLatch(2);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (Runnable r : new Runnable[] {writes, reads}) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < until) {
            r.run();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }, "lock-order");
      t.setDaemon(true); // a deadlocked pair is left behind, not joined
      t.start();
    }
    if (!done.await(30, TimeUnit.SECONDS)) {
      fail("a writer and an audit reader deadlocked (the caller must not close the keyring now)");
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @Test
  void verifyingAndReadingTheLogWhileAnotherThreadWrites_neverDeadlocks() throws Exception {
    // not try-with-resources: after a deadlock, close() would wait on the deadlocked locks for good
    Keyring k = Keyrings.openFile(dir.resolve("s.clavis"), TestStores.PASSWORD.toCharArray(), TestStores.FAST_KDF);
    k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    noDeadlock(() -> k.rotate("orders", "writer"), () -> {
      assertTrue(k.auditLog().verify() >= 1);
      assertTrue(!k.auditLog().events().isEmpty());
    });
    k.close();
  }
}
