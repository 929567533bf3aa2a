package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.AuditRecords;
import dev.clavis.keyring.spi.ForwardingKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that keeps the audit records itself ({@link KeyBackend#auditRecords()}, as the database
 * does): the engine's chain goes there, staged in the transaction and kept only when it commits, and
 * the same checks as for a log file hold (a cut or edited record is refused); the commit mark goes
 * where {@link KeyBackend#commitMarkFile()} says.
 */
class BackendAuditRecordsTest {

  @TempDir
  Path dir;

  /** An in-memory store whose audit records are a list, staged per transaction; survives close(). */
  static final class RecordsBackend extends ForwardingKeyBackend {
    final List<String> committed = new ArrayList<>();
    final ThreadLocal<List<String>> staged = new ThreadLocal<>();
    final Path mark;

    final AuditRecords records = new AuditRecords() {
      @Override
      public void append(long firstSeq, List<String> lines) {
        List<String> s = staged.get();
        if (s == null) {
          throw new IllegalStateException("outside a transaction");
        }
        assertEquals(committed.size() + s.size() + 1, firstSeq, "appended after the last record");
        s.addAll(lines);
      }

      @Override
      public List<String> read(long fromSeq) {
        List<String> all = new ArrayList<>(committed);
        if (staged.get() != null) {
          all.addAll(staged.get());
        }
        return new ArrayList<>(all.subList((int) Math.min(all.size(), Math.max(0, fromSeq - 1)), all.size()));
      }

      @Override
      public String describe() {
        return "the test's audit records";
      }
    };

    RecordsBackend(Path mark) {
      super(FileKeyBackend.inMemory(TestStores.FAST_KDF));
      this.mark = mark;
    }

    @Override
    public <T> T transact(Transaction<T> tx) {
      staged.set(new ArrayList<>());
      try {
        T r = inner.transact(tx);
        committed.addAll(staged.get());
        return r;
      } finally {
        staged.remove();
      }
    }

    @Override
    public Optional<Path> auditFile() {
      return Optional.empty();
    }

    @Override
    public Optional<AuditRecords> auditRecords() {
      return Optional.of(records);
    }

    @Override
    public Optional<Path> commitMarkFile() {
      return Optional.ofNullable(mark);
    }

    @Override
    public String describe() {
      return "records test store";
    }

    @Override
    public void close() {
      // kept for the next open
    }
  }

  private static void changes(Keyring k) {
    k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    k.rotate("a", "r1");
    k.suspend(KeyRef.of("a", 2), "s");
  }

  @Test
  void recordsGoToTheBackendAndVerify() {
    RecordsBackend b = new RecordsBackend(dir.resolve("marks/host.mark"));
    try (Keyring k = Keyrings.open(b)) {
      changes(k);
      assertEquals(b.committed.size(), k.auditLog().verify());
      assertTrue(b.committed.size() >= 3);
      assertTrue(b.committed.get(0).contains("\"action\":\"create\""), b.committed.get(0));
    }
    try (Keyring k = Keyrings.open(b)) {
      assertEquals(b.committed.size(), k.auditLog().verify());
    }
  }

  @Test
  void aTransactionThatFailsLeavesNoRecord() {
    RecordsBackend b = new RecordsBackend(null);
    try (Keyring k = Keyrings.open(b)) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      int n = b.committed.size();
      assertThrows(KeyringException.class, () -> k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults()));
      assertEquals(n, b.committed.size());
      assertEquals(n, k.auditLog().verify());
    }
  }

  @Test
  void aCutRecordListIsRefusedAtOpen() {
    RecordsBackend b = new RecordsBackend(null);
    try (Keyring k = Keyrings.open(b)) {
      changes(k);
    }
    b.committed.remove(b.committed.size() - 1);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Keyrings.open(b));
    assertEquals(StoreDamagedException.Kind.ROLLED_BACK, e.kind());
    assertTrue(e.getMessage().contains("the test's audit records"), e.getMessage());
  }

  @Test
  void anEditedRecordFailsVerification() {
    RecordsBackend b = new RecordsBackend(null);
    try (Keyring k = Keyrings.open(b)) {
      changes(k);
    }
    b.committed.set(0, b.committed.get(0).replace("\"action\":\"create\"", "\"action\":\"import\""));
    try (Keyring k = Keyrings.open(b)) {
      KeyringException e = assertThrows(KeyringException.class, () -> k.auditLog().verify());
      assertTrue(e.getMessage().contains("fails its MAC"), e.getMessage());
    }
  }

  @Test
  void theCommitMarkIsKeptWhereTheBackendSays() {
    Path mark = dir.resolve("host.mark");
    RecordsBackend b = new RecordsBackend(mark);
    try (Keyring k = Keyrings.open(b)) {
      changes(k);
    }
    assertTrue(Files.exists(mark), "no commit mark at " + mark);
  }
}
