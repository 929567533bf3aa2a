package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one file-store transaction, staged until commit: records encrypted as they are
 * added, their plaintext material for the cache, erased versions, new metadata and the durable
 * steps to run before the new file is published.
 */
final class StagedChanges implements KeyBackend.Changes {
  final Map<KeyRef, byte[]> added = new LinkedHashMap<>(); // encrypted records
  final Map<KeyRef, FileMaterial> addedMaterial = new HashMap<>();
  final List<KeyRef> erased = new ArrayList<>();
  final List<Runnable> beforePublish = new ArrayList<>();
  byte[] metadata;
  private final StoreKeys keys;

  StagedChanges(StoreKeys keys) {
    this.keys = keys;
  }

  @Override
  public void beforePublish(Runnable durableStep) {
    beforePublish.add(durableStep);
  }

  @Override
  public void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable) {
    byte[] k = StoreFormat.randomBytes(algorithm.bits() / 8);
    try {
      importMaterial(version, algorithm, k, exportable);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code version} has no version number or the material's
   *     length does not fit {@code algorithm}
   */
  @Override
  public void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable) {
    requireVersion(version);
    if (!algorithm.acceptsLength(material.length)) {
      throw new IllegalArgumentException(algorithm + " material cannot be " + material.length + " bytes");
    }
    added.put(version, StoreFormat.encryptRecord(keys.recordKey(), version, algorithm, exportable, material));
    addedMaterial.put(version, new FileMaterial(version, algorithm, exportable, material));
    erased.remove(version);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code version} has no version number
   */
  @Override
  public void erase(KeyRef version) {
    requireVersion(version);
    added.remove(version);
    FileMaterial m = addedMaterial.remove(version);
    if (m != null) {
      m.wipe();
    }
    erased.add(version);
  }

  @Override
  public void setMetadata(byte[] metadata) {
    this.metadata = metadata.clone();
  }

  boolean any() {
    return metadata != null || !added.isEmpty() || !erased.isEmpty();
  }

  /** Wipes the material of a transaction that failed. */
  void discard() {
    addedMaterial.values().forEach(FileMaterial::wipe);
  }

  private static void requireVersion(KeyRef r) {
    if (r.version().isEmpty()) {
      throw new IllegalArgumentException("material is addressed by version (name#N), got " + r);
    }
  }
}
