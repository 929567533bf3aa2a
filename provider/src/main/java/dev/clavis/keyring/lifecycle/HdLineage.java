package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules between an HD seed and the keys derived from it (pure, no I/O): a derived key acts
 * only while the seed version it came from may act too (a suspended, revoked, compromised or
 * destroyed seed stops every child at its next operation), and revoking or compromising a seed
 * does the same to its children in the same write (audited per child), so {@code show} says so.
 */
final class HdLineage {

  private HdLineage() {}

  /**
   * Checks the seed of a derived key; nothing for other keys.
   *
   * @param keys the keyring's records now
   * @param k the key about to act
   * @param protect true to sign (the seed version must allow protect), false to verify or export
   * @throws KeyUsageException naming the key, its seed version and the seed's state
   */
  static void check(Map<String, KeyRecord> keys, KeyRecord k, boolean protect) {
    if (k.metadata().derivation().isEmpty()) {
      return;
    }
    HdDerivation d = k.metadata().derivation().get();
    KeyRecord seed = keys.get(d.seed());
    VersionRecord v = seed == null ? null : seed.version(d.seedVersion());
    KeyRef self = KeyRef.of(k.name());
    if (v == null || seed.algorithm() != KeyAlgorithm.HD_SEED) {
      // fail closed: a child whose seed is not there (or is no seed) never acts
      throw new KeyUsageException(self, KeyState.DESTROYED, "key " + k.name() + " is derived from " + d.seedRef()
          + ", which no longer exists as an HD seed: it may not be used");
    }
    KeyState st = v.state();
    if (protect ? !st.allowsProtect() : !st.allowsUnprotect()) {
      throw new KeyUsageException(self, st, "key " + k.name() + " is derived from " + d.seedRef() + ", which is " + st
          + ": it may not " + (protect ? "sign" : "verify or be exported")
          + (st == KeyState.SUSPENDED ? " until the seed is resumed" : ""));
    }
  }

  /**
   * The same operation on every live child of the seed versions {@code ref} names, after it was
   * applied to the seed: children already past it are left as they are.
   *
   * @return the children's results, to apply in the seed's write
   */
  static List<Lifecycle.Result> cascade(Map<String, KeyRecord> keys, KeyRecord seed, KeyRef ref, Op op, String reason,
      String action, Instant now) {
    List<Lifecycle.Result> out = new ArrayList<>();
    if (seed.algorithm() != KeyAlgorithm.HD_SEED) {
      return out;
    }
    for (KeyRecord child : keys.values()) {
      if (child.metadata().derivation().isEmpty()) {
        continue;
      }
      HdDerivation d = child.metadata().derivation().get();
      boolean named = d.seed().equals(seed.name())
          && (ref.version().isEmpty() || ref.version().getAsInt() == d.seedVersion());
      if (!named || child.versions().stream().noneMatch(v -> KeyTransitions.allowed(op, v.state()))) {
        continue;
      }
      String why = (reason == null ? "" : reason + "; ") + "its HD seed " + d.seedRef() + " was " + op.label() + "d";
      out.add(Lifecycle.apply(child, KeyRef.of(child.name()), op, why, action, now));
    }
    return out;
  }
}
