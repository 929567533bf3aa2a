package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.file.ProcessLock;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The live store of a keytool session, seen through one rule: a change commits only onto the
 * generation keytool loaded (or this session's own last commit), checked under the store's lock.
 * keytool decided what to do on the state it loaded; if another process committed since, applying
 * the change on top could undo that process's work (delete a key it just rotated, say), so the
 * change is refused and nothing is written.
 *
 * <p>The first transaction takes the store's lock for the rest of the process
 * ({@link ProcessLock#hold}): from then on no other process commits, so keytool's later rewrite of
 * the file (after {@code store(OutputStream)} returns) cannot undo a third writer's commit either.
 * Everything else is the live backend's: reads show the latest state, the audit log is the store's
 * own.
 */
final class GenerationGuard implements KeyBackend {

  private final FileKeyBackend live;
  private volatile long expected;

  /**
   * @param live the store file, opened live
   * @param loaded the generation of the bytes keytool read
   */
  GenerationGuard(FileKeyBackend live, long loaded) {
    this.live = live;
    this.expected = loaded;
  }

  /** @return the generation a change may commit onto */
  long expected() {
    return expected;
  }

  /** @return the live store under this guard */
  FileKeyBackend live() {
    return live;
  }

  /**
   * Takes the store's lock for the rest of the process and checks that nobody committed since
   * keytool loaded it.
   *
   * @throws KeyringException if the store changed since; the lock is then let go again
   */
  void holdUnchanged() {
    ProcessLock.hold(live);
    long now = live.generation();
    if (now != expected) {
      ProcessLock.release(live);
      throw changed(now);
    }
  }

  /** Records a commit this session made itself (under the held lock), such as a password change. */
  void committed() {
    expected = live.generation();
  }

  private KeyringException changed(long now) {
    return new KeyringException("the key store " + live.describe() + " changed since keytool loaded it (generation "
        + expected + " -> " + now + "); nothing was written; run the command again");
  }

  @Override
  public <T> T transact(Transaction<T> tx) {
    holdUnchanged();
    T result = live.transact((latest, changes) -> {
      if (latest.generation() != expected) {
        throw changed(latest.generation());
      }
      return tx.run(latest, changes);
    });
    // the lock is held: nobody but this session moved the generation
    expected = live.generation();
    return result;
  }

  @Override
  public Snapshot read() {
    return live.read();
  }

  @Override
  public long generation() {
    return live.generation();
  }

  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    return live.material(version);
  }

  @Override
  public byte[] auditKey() {
    return live.auditKey();
  }

  @Override
  public Optional<Path> auditFile() {
    return live.auditFile();
  }

  @Override
  public String describe() {
    return live.describe();
  }

  @Override
  public void close() {
    live.close();
  }
}
