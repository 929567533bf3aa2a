package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyringException;
import java.time.Instant;

/**
 * {@code create --replace}: the one way to give a destroyed key's name to a new key. The
 * destroyed versions stay as tombstones and the new key's version numbers continue after them,
 * so an old envelope naming {@code name#1} still meets a DESTROYED version (a clear refusal), never
 * the new material.
 */
final class NameReuse {

  private NameReuse() {}

  /**
   * @param existing the record under the name, or null (then this is a plain create)
   * @throws KeyringException if the name belongs to a key that is not destroyed (saying so)
   */
  static Lifecycle.Result replace(KeyRecord existing, String name, KeyAlgorithm algorithm, KeyPolicy policy,
      KeyMetadata metadata, Instant now) {
    if (existing == null) {
      Lifecycle.Result r = Lifecycle.create(null, name, algorithm, policy, now);
      return new Lifecycle.Result(r.record().withMetadata(metadata), r.events(), r.material());
    }
    if (!LifecycleNotes.destroyed(existing)) {
      throw new KeyringException("key " + name + " exists and was not destroyed: --replace only reuses the name of a"
          + " destroyed key; rotate this one for a new version, or destroy it first");
    }
    KeyRecord base = existing.toBuilder().algorithm(algorithm).policy(policy).metadata(metadata).deleted(false)
        .primary(0).build();
    return Lifecycle.rotate(base, null, "the name of destroyed key " + name + " reused by create --replace",
        "create-replace", now);
  }
}
