package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.spi.AuditRecords;
import dev.clavis.keyring.spi.KeyBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a keyring's audit events go: the {@link HashChainedAuditLog} of its backend, and the
 * anchors that keep the store and the log from going back ({@link RollbackGuard}): the commit mark
 * beside the log and the operator's {@link MonotonicAnchor}, where they exist. The engine appends
 * each transaction's events here and raises the anchors after each commit.
 */
final class AuditTrail {

  private final HashChainedAuditLog log;
  private final List<MonotonicAnchor> anchors;

  /**
   * @param backend the store whose audit key and log file are used (the key is wiped here after copying)
   * @param latestHead the head of the store's latest committed state (read under the engine's lock)
   */
  AuditTrail(KeyBackend backend, Supplier<HashChainedAuditLog.Head> latestHead) {
    byte[] k = backend.auditKey();
    try {
      List<MonotonicAnchor> a = new ArrayList<>();
      backend.auditFile().ifPresent(f -> a.add(MonotonicAnchor.besideLog(f, k, backend.describe())));
      if (backend.auditFile().isEmpty()) {
        backend.commitMarkFile().ifPresent(f -> a.add(new MonotonicAnchor(f, k, backend.describe(), true)));
      }
      MonotonicAnchor.configured(k, backend.describe()).ifPresent(a::add);
      this.anchors = List.copyOf(a);
      Supplier<HashChainedAuditLog.Head> checked = () -> {
        HashChainedAuditLog.Head h = latestHead.get();
        anchors.forEach(m -> m.check(h.generation(), h.seq()));
        return h;
      };
      Optional<AuditRecords> records = backend.auditRecords();
      this.log = records.isPresent()
          ? new HashChainedAuditLog(records.get(), k, checked, backend.describe())
          : new HashChainedAuditLog(backend.auditFile().orElse(null), k, checked, backend.describe());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Runs reads of the store's head and of the log in one committed state where the backend keeps
   * the records itself ({@link AuditRecords#consistently}); else just runs them.
   */
  <T> T consistently(Supplier<T> reads) {
    return log.consistently(reads);
  }

  /** @return the log, as the keyring's {@link dev.clavis.keyring.AuditLog} */
  HashChainedAuditLog log() {
    return log;
  }

  /**
   * Checks a store state against the log and every anchor.
   *
   * @throws dev.clavis.keyring.StoreDamagedException if they do not belong together
   */
  void crossCheck(HashChainedAuditLog.Head store) {
    log.crossCheck(store);
    for (MonotonicAnchor a : anchors) {
      a.check(store.generation(), store.seq());
    }
  }

  /**
   * Appends a transaction's events after the store's head; with {@code sync} false, call {@link
   * #sync()} before the commit becomes visible.
   *
   * @return the new head
   * @throws dev.clavis.keyring.StoreDamagedException if the log and the store do not match
   */
  HashChainedAuditLog.Head append(List<HashChainedAuditLog.Pending> events, HashChainedAuditLog.Head store,
      long generation, boolean sync) {
    return log.append(events, store, generation, sync);
  }

  /** Makes the appended records durable. */
  void sync() {
    log.sync();
  }

  /**
   * Raises the commit mark and the anchor to a committed state; they never go down.
   *
   * @throws dev.clavis.keyring.KeyringException if an anchor cannot be written
   */
  void raise(long generation, long auditSeq) {
    for (MonotonicAnchor a : anchors) {
      a.raise(generation, auditSeq);
    }
  }

  /** Wipes the MAC keys held by the log and the anchors. */
  void wipe() {
    log.wipe();
    anchors.forEach(MonotonicAnchor::wipe);
  }
}
