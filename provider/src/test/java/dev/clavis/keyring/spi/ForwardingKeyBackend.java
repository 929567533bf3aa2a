package dev.clavis.keyring.spi;

import dev.clavis.keyring.KeyRef;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A backend that hands every call to another, default methods included: tests extend it and
 * override the one call they watch or change (a read counted, a hook at the second material read,
 * a chain served from test vectors).
 */
public class ForwardingKeyBackend implements KeyBackend {

  /** The backend every call goes to. */
  protected final KeyBackend inner;

  /** @param inner the backend every call goes to (closed with this one) */
  public ForwardingKeyBackend(KeyBackend inner) {
    this.inner = inner;
  }

  @Override
  public Snapshot read() {
    return inner.read();
  }

  @Override
  public long generation() {
    return inner.generation();
  }

  @Override
  public <T> T transact(Transaction<T> tx) {
    return inner.transact(tx);
  }

  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    return inner.material(version);
  }

  @Override
  public byte[] auditKey() {
    return inner.auditKey();
  }

  @Override
  public Optional<Path> auditFile() {
    return inner.auditFile();
  }

  @Override
  public Optional<AuditRecords> auditRecords() {
    return inner.auditRecords();
  }

  @Override
  public Optional<Path> commitMarkFile() {
    return inner.commitMarkFile();
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public void afterCommit(VersionStates states) {
    inner.afterCommit(states);
  }

  @Override
  public <T> T overridingState(KeyRef version, Supplier<T> use) {
    return inner.overridingState(version, use);
  }

  @Override
  public <T> T provingPossession(KeyRef version, Supplier<T> use) {
    return inner.provingPossession(version, use);
  }

  @Override
  public boolean holdsGeneratedKeyPairs() {
    return inner.holdsGeneratedKeyPairs();
  }

  @Override
  public boolean readsChainsWithoutKeys() {
    return inner.readsChainsWithoutKeys();
  }

  @Override
  public void close() {
    inner.close();
  }
}
