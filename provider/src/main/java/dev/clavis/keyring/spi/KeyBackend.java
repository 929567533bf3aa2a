package dev.clavis.keyring.spi;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a keyring's metadata and key material live. The lifecycle engine
 * ({@code dev.clavis.keyring.lifecycle.KeyringEngine}) implements every rule; a backend only stores
 * and computes. Two backends exist: the encrypted file store ({@code dev.clavis.keyring.file}) and
 * a PKCS#11 token ({@code dev.clavis.keyring.pkcs11}).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Metadata</b> is one opaque document produced by the engine (states, times, policies,
 *       usage reservations, the audit head). The backend stores it confidentially and with
 *       integrity, and gives it back unchanged with a <i>generation</i> number that increases by
 *       one on every commit. It never interprets it.
 *   <li><b>Material</b> is addressed by version ({@code name#N}, always with a version). The
 *       engine creates, imports and erases material only inside a {@link #transact transaction};
 *       it uses material through {@link #material(KeyRef)}, whose operations need no byte access,
 *       so material may stay on a token.
 *   <li><b>Transactions</b> are exclusive across threads and processes (the file store takes a
 *       file lock), see the latest committed state, and are atomic and durable: when
 *       {@link #transact} returns, the new metadata and every staged material change are on
 *       stable storage together; when it throws, nothing changed (staged material is discarded,
 *       e.g. token objects created in it are destroyed).
 *   <li><b>Freshness</b>: {@link #read()} returns the latest committed state, re-reading it when
 *       another process committed; {@link #generation()} is a cheap way to ask which one that is.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface KeyBackend extends AutoCloseable {

  /** The committed metadata document and its generation. */
  final class Snapshot {
    private final long generation;
    private final byte[] metadata;

    /**
     * @param generation 0 for a store that was never written, then 1, 2, ...
     * @param metadata the engine's document as last committed; empty for generation 0
     */
    public Snapshot(long generation, byte[] metadata) {
      this.generation = generation;
      this.metadata = metadata.clone();
    }

    /** @return the generation of this state */
    public long generation() {
      return generation;
    }

    /** @return a copy of the engine's metadata document */
    public byte[] metadata() {
      return metadata.clone();
    }
  }

  /** The changes a transaction stages; applied together at commit. */
  interface Changes {
    /**
     * Creates fresh random material for a version (on a token: {@code C_GenerateKey}).
     *
     * @param version the version, {@code name#N}
     * @param algorithm the algorithm and size of the material
     * @param exportable whether {@link KeyMaterial#exportRaw()} may hand it out later
     */
    void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable);

    /**
     * Stores caller-supplied material for a version (on a token: {@code C_UnwrapKey} or
     * {@code C_CreateObject}). The array is copied.
     *
     * @param version the version, {@code name#N}
     * @param algorithm the algorithm and size of the material
     * @param material the raw key bytes; copied
     * @param exportable whether {@link KeyMaterial#exportRaw()} may hand it out later
     */
    void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable);

    /**
     * Stores material that arrives wrapped with RFC 5649 under another version's material (bring
     * your own key), unwrapped inside the backend (on a token: {@code C_UnwrapKey}), so the key
     * is never in the clear outside it. The default refuses: a backend that holds its material in
     * memory has no reason to accept a key it would have to unwrap itself.
     *
     * @param version the version, {@code name#N}
     * @param algorithm the algorithm and size of the material
     * @param kek the material of the wrapping version, as {@link KeyBackend#material} gave it
     * @param wrapped the RFC 5649 output; copied if kept
     * @throws UnsupportedOperationException if this backend cannot unwrap on import
     * @throws dev.clavis.keyring.KeyringException if the integrity check fails or the backend refuses
     */
    default void unwrapMaterial(KeyRef version, KeyAlgorithm algorithm, KeyMaterial kek, byte[] wrapped) {
      throw new UnsupportedOperationException("this key store cannot import a wrapped key: import it unwrapped");
    }

    /**
     * Erases the material of a version for good (zeroised in memory, gone from storage).
     *
     * @param version the version, {@code name#N}
     */
    void erase(KeyRef version);

    /**
     * Tells the committed state of a version, for a backend that keeps states beside the material
     * (the PostgreSQL backend binds it into each row's MAC). The engine calls it, inside the
     * transaction and before {@link #setMetadata}, for every version of every key the transaction
     * changed. The default ignores it.
     *
     * @param version the version, {@code name#N}
     * @param state its state as this transaction commits it
     */
    default void versionState(KeyRef version, KeyState state) {
    }

    /**
     * Tells how many uses of a version this process holds reserved once the transaction commits
     * (a usage block, {@code 0} when it gave them back), for a backend that shows each process's
     * reservation (the PostgreSQL backend keeps a row per process and version). The authoritative
     * count stays in the metadata document; the default ignores it.
     *
     * @param version the version, {@code name#N}
     * @param held the uses this process holds reserved (used or not), or 0
     */
    default void reservation(KeyRef version, long held) {
    }

    /**
     * Replaces the metadata document; must be called once per transaction that changes anything.
     *
     * @param metadata the engine's serialized metadata; copied or stored before the commit
     */
    void setMetadata(byte[] metadata);

    /**
     * Registers work that must be durable before the commit becomes visible (the engine syncs its
     * audit log this way). A backend may run it concurrently with its own sync, and must not
     * publish the commit if it throws. The default runs it at once.
     *
     * @param durableStep the work to make durable first
     * @throws RuntimeException whatever {@code durableStep} throws; the commit is not published
     */
    default void beforePublish(Runnable durableStep) {
      durableStep.run();
    }
  }

  /** A read-modify-write step run under the backend's exclusive lock. */
  @FunctionalInterface
  interface Transaction<T> {
    /**
     * @param latest the latest committed state, read under the lock
     * @param changes where to stage this transaction's changes; staging nothing commits nothing
     * @return the caller's result
     */
    T run(Snapshot latest, Changes changes);
  }

  /**
   * @return the latest committed state (reloaded if another process committed since)
   * @throws dev.clavis.keyring.KeyringException if storage fails or is found damaged
   */
  Snapshot read();

  /**
   * @return the generation of the latest committed state; may be a cached value at most a few
   *     milliseconds old, so callers on hot paths can poll it
   */
  long generation();

  /**
   * Runs {@code tx} exclusively and commits what it staged atomically and durably.
   *
   * @param <T> the result type
   * @param tx the changes, run against the latest committed state
   * @return the transaction's result
   * @throws dev.clavis.keyring.KeyringException if storage fails; nothing was committed
   * @throws RuntimeException whatever {@code tx} throws; nothing was committed
   */
  <T> T transact(Transaction<T> tx);

  /**
   * @param version {@code name#N}
   * @return the material of that version, or empty if it has none (never created, or erased)
   */
  Optional<KeyMaterial> material(KeyRef version);

  /**
   * Derives a 32-byte key for MAC'ing the audit log, bound to this store's secret (the file
   * store derives it from its master key with HMAC-SHA256; a token may compute
   * {@code CKM_SHA256_HMAC} over a fixed label with a dedicated key).
   *
   * @return a fresh copy; the caller wipes it
   */
  byte[] auditKey();

  /** @return where the audit log lives (next to the store), or empty if the backend keeps none */
  Optional<Path> auditFile();

  /**
   * The audit log's storage for a backend that keeps the records itself (a database table); the
   * engine then writes no log file. The default: none ({@link #auditFile()} decides).
   *
   * @return the backend's audit records, or empty
   */
  default Optional<AuditRecords> auditRecords() {
    return Optional.empty();
  }

  /**
   * A local file where this host keeps the commit mark (the highest generation and audit head it
   * saw, MAC'ed), for a backend without an audit file beside which the mark would live: a store
   * whose state goes back below it (a database restored to an older snapshot) is refused. The
   * default: none.
   *
   * @return the commit mark file, or empty
   */
  default Optional<Path> commitMarkFile() {
    return Optional.empty();
  }

  /** @return a human description for messages, such as the file path or token label (no secrets) */
  String describe();

  /** The lifecycle state of each version as committed, for backends that enforce states themselves. */
  @FunctionalInterface
  interface VersionStates {
    /**
     * @param version {@code name#N}
     * @return its committed state, or empty if there is no such version
     */
    Optional<KeyState> of(KeyRef version);
  }

  /**
   * Told by the engine after each commit it made over this backend (every lifecycle change,
   * including the rotations and destructions the engine makes on its own), and once when it
   * opens. A backend that also enforces states itself, such as the token with its usage
   * attributes, brings them in line here; the default does nothing.
   *
   * @param states the committed states
   * @throws dev.clavis.keyring.KeyringException if the backend cannot bring itself in line; the
   *     commit stands
   */
  default void afterCommit(VersionStates states) {
  }

  /**
   * Runs the audited override use of a {@code COMPROMISED} version (decryption with
   * {@code allowCompromised}): a backend that forbids the use itself lifts that for the duration of
   * {@code use} only. The default runs {@code use}.
   *
   * @param <T> the result type
   * @param version the exact version used
   * @param use the audited use
   * @return what {@code use} returns
   * @throws RuntimeException whatever {@code use} throws, or the backend's failure to lift the ban
   */
  default <T> T overridingState(KeyRef version, Supplier<T> use) {
    return use.get();
  }

  /**
   * Runs the one signature a key-pair version may make whatever the backend's own ban says: its
   * certification request (PKCS#10 proof of possession, checked and audited by the engine before),
   * which a {@code PRE_ACTIVE} version makes before it signs anything else. A backend that forbids
   * signing itself (the token's {@code CKA_SIGN}) lifts that for {@code use} only. The default runs
   * {@code use}.
   *
   * @param <T> the result type
   * @param version the exact version
   * @param use the signature
   * @return what {@code use} returns
   * @throws RuntimeException whatever {@code use} throws, or the backend's failure to lift or restore the ban
   */
  default <T> T provingPossession(KeyRef version, Supplier<T> use) {
    return use.get();
  }

  /**
   * Whether this backend generates key pairs itself and takes a reference to one
   * ({@code "CKG"}, a PKCS#11 token) where other backends take the private key; the engine lets
   * such a reference past its own proof only then, and the backend checks the pair when it takes
   * it. The default: no.
   *
   * @return whether references to pairs this backend generated are taken
   */
  default boolean holdsGeneratedKeyPairs() {
    return false;
  }

  /**
   * Whether a key-pair version's chain is read here without its private key ({@link
   * KeyMaterial#certificates()} of a token reads public certificate objects). The engine then takes
   * a key pair's certificate due date from the chain, not from the facts its metadata recorded:
   * a token's chain objects can change apart from its metadata (another PKCS#11 client with the
   * PIN, a process killed between the two), and the chain is what signing checks. The default: no
   * (a file store's and a database's chains sit with the private key, and the facts are written
   * in the same commit as the chain).
   *
   * @return whether chains are public objects of their own
   */
  default boolean readsChainsWithoutKeys() {
    return false;
  }

  /** Releases locks, wipes material caches. */
  @Override
  void close();
}
