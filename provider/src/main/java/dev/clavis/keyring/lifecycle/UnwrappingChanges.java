package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;

/**
 * The changes of a bring-your-own-key import: the import's one material call becomes the
 * backend's {@link KeyBackend.Changes#unwrapMaterial unwrap} of the wrapped key under the KEK,
 * and everything else goes to the backend as staged. The wrapped bytes travel with the
 * transaction that uses them, so a retried transaction (a token commit that lost the race for its
 * head) unwraps again, and no other thread or transaction can pick them up.
 */
final class UnwrappingChanges implements KeyBackend.Changes {

  private final KeyBackend.Changes target;
  private final KeyMaterial kek;
  private final byte[] wrapped;

  /**
   * @param target the backend's changes of this transaction
   * @param kek the wrapping version's material
   * @param wrapped the RFC 5649 output (not copied: the caller keeps it for the transaction)
   */
  UnwrappingChanges(KeyBackend.Changes target, KeyMaterial kek, byte[] wrapped) {
    this.target = target;
    this.kek = kek;
    this.wrapped = wrapped;
  }

  /** @throws IllegalStateException always: an import generates nothing */
  @Override
  public void generate(KeyRef version, KeyAlgorithm algorithm, boolean exportable) {
    throw new IllegalStateException("a wrapped import generates no material (" + version + ")");
  }

  /** Unwraps the wrapped key as {@code version}; the placeholder {@code material} is ignored. */
  @Override
  public void importMaterial(KeyRef version, KeyAlgorithm algorithm, byte[] material, boolean exportable) {
    target.unwrapMaterial(version, algorithm, kek, wrapped);
  }

  @Override
  public void unwrapMaterial(KeyRef version, KeyAlgorithm algorithm, KeyMaterial kek, byte[] wrapped) {
    target.unwrapMaterial(version, algorithm, kek, wrapped);
  }

  @Override
  public void erase(KeyRef version) {
    target.erase(version);
  }

  @Override
  public void setMetadata(byte[] metadata) {
    target.setMetadata(metadata);
  }

  @Override
  public void beforePublish(Runnable durableStep) {
    target.beforePublish(durableStep);
  }
}
