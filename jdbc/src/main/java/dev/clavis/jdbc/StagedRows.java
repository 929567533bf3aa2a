package dev.clavis.jdbc;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.file.MemoryMaterial;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes of one database transaction, staged until the rows are written: new material (wrapped
 * for its row, and held for the cache), erased versions, the committed state of each version the
 * engine reported, this process's usage reservations, the new metadata, a new master-key protector
 * and the steps to run before COMMIT.
 */
final class StagedRows implements KeyBackend.Changes {

  /** New material of a version: its row columns and the in-memory material for the cache. */
  record Added(KeyAlgorithm algorithm, boolean exportable, byte[] wrapped, KeyMaterial material) {}

  final Map<KeyRef, Added> added = new LinkedHashMap<>();
  final Set<KeyRef> erased = new LinkedHashSet<>();
  final Map<KeyRef, KeyState> states = new LinkedHashMap<>();
  /** What this process holds reserved of each version once this commits (0: given back). */
  final Map<KeyRef, Long> reservations = new LinkedHashMap<>();
  final List<Runnable> beforePublish = new ArrayList<>();
  byte[] metadata;
  /** A new master-key protector from the verified current one (a password change), or null. */
  java.util.function.UnaryOperator<byte[]> reprotect;
  private final DbKeys keys;
  private final java.util.UUID keyring;

  StagedRows(DbKeys keys, java.util.UUID keyring) {
    this.keys = keys;
    this.keyring = keyring;
  }

  @Override
  public void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable) {
    byte[] k = MemoryMaterial.fresh(algorithm);
    try {
      importMaterial(version, algorithm, k, exportable);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code version} has no version number or the length does
   *     not fit {@code algorithm}
   */
  @Override
  public void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable) {
    KeyMaterial m = MemoryMaterial.of(version, algorithm, exportable, material);
    int v = version.version().getAsInt();
    byte[] wrapped = Bytes.seal(keys.materialKey(), material,
        VersionRow.materialAad(keyring, version.name(), v, algorithm, exportable));
    Added old = added.put(version, new Added(algorithm, exportable, wrapped, m));
    if (old != null) {
      MemoryMaterial.wipe(old.material());
    }
    erased.remove(version);
  }

  @Override
  public void erase(KeyRef version) {
    if (version.version().isEmpty()) {
      throw new IllegalArgumentException("material is addressed by version (name#N), got " + version);
    }
    Added old = added.remove(version);
    if (old != null) {
      MemoryMaterial.wipe(old.material());
    }
    erased.add(version);
  }

  @Override
  public void versionState(KeyRef version, KeyState state) {
    states.put(version, state);
  }

  @Override
  public void reservation(KeyRef version, long held) {
    reservations.put(version, held);
  }

  @Override
  public void setMetadata(byte[] metadata) {
    this.metadata = metadata.clone();
  }

  @Override
  public void beforePublish(Runnable durableStep) {
    beforePublish.add(durableStep);
  }

  boolean any() {
    return metadata != null || reprotect != null || !added.isEmpty() || !erased.isEmpty();
  }

  /** Wipes the material of a transaction that did not commit. */
  void discard() {
    added.values().forEach(a -> MemoryMaterial.wipe(a.material()));
  }
}
