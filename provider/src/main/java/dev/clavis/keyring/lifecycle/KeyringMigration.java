package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.Approvals;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies a whole keyring into a new, empty one over another backend (a file store into a
 * database keyring, or back): every key with every version, its state, times, usage counts,
 * policy and metadata, the store's settings (deletion window, quorum), and the material of every
 * version that has some, exportable or not: it goes from one backend's memory into the other's
 * inside Clavis, never out of the process. Envelopes and wrapped keys made by the source keep
 * opening in the target: the target keeps the source's keyring id among its former ids (store
 * extension 5). Destroyed versions travel as records without material (what a backend may still
 * hold for one is never read). The source's generation is read after its {@code migrate-out} and
 * again once every row has been read: a commit in between refuses the copy ("source changed during
 * migration, retry"), so the target gets one state of the source.
 *
 * <p>Audited on both sides: {@code migrate-out} in the source (written first, under the source's
 * quorum if it has one, since the material leaves it; the keys themselves are untouched) and
 * {@code migrate-in} in the target, committed with the copy in one transaction, so the target
 * has all of it or nothing. A target that holds any key is refused; an empty one (a new keyring,
 * or one left by a failed attempt) is filled, and its settings replaced by the source's: a target
 * with a quorum of its own needs that quorum's approval ({@code migrate-in}), one with settings of
 * its own and no quorum is refused ({@link MigrationTarget}). The approvals given are split by the
 * store they were issued for, so one list can carry the source's and the target's. Material that cannot leave
 * its backend (a PKCS#11 token's) cannot be migrated and is refused naming the version, before
 * anything is written to the target.
 */
public final class KeyringMigration {

  /**
   * What a migration copied.
   *
   * @param keys keys copied (deleted ones included)
   * @param versions versions copied
   * @param materials versions whose material was copied (the others are destroyed)
   * @param sourceId the source's keyring id, now a former id of the target
   */
  public record Summary(int keys, int versions, int materials, String sourceId) {}

  /** Where a migration step puts what it decided (the engine's draft). */
  interface Sink {
    void put(KeyRecord k);

    void settings(StoreSettings s);

    void approve(String operation, Map<String, String> params);

    void event(String action, Map<String, String> details);
  }

  /** One write of a migration, run inside the engine's transaction. */
  @FunctionalInterface
  interface Step<T> {
    T run(Map<String, KeyRecord> base, StoreSettings settings, KeyBackend.Changes changes, Sink sink);
  }

  private KeyringMigration() {}

  /**
   * Copies {@code source} into {@code target}.
   *
   * @param source the keyring to copy; its keys are untouched, its audit log gets {@code migrate-out}
   * @param target a new, empty keyring over another backend
   * @return what was copied
   * @throws KeyringException if the target holds keys or has settings of its own and no quorum, both
   *     are the same keyring, a version's material cannot leave its backend, the source changed
   *     during the copy, or a write fails (the target is then unchanged)
   * @throws dev.clavis.keyring.QuorumRequiredException if the source's quorum has not approved
   *     {@code migrate} with parameter {@code to} = the target's description, or the target's
   *     quorum {@code migrate-in} with {@code from} and {@code fromId} = the source's description and id
   */
  public static Summary copy(KeyringEngine source, KeyringEngine target) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    String sourceId = source.keyringIdHex();
    String targetId = target.keyringIdHex();
    if (source == target || sourceId.equals(targetId)) {
      throw new KeyringException("refusing to migrate " + source.backend().describe() + " into itself");
    }
    if (!target.committedKeys().isEmpty()) {
      throw refusedNonEmpty(target, target.committedKeys().size());
    }
    // the target's own settings are replaced: its quorum approves that, asked before the source is touched
    StoreSettings targetBefore = target.committedSettings();
    MigrationTarget.requireFillable(target.backend().describe(), targetBefore);
    Map<String, String> inParams = MigrationTarget.approvalParams(source.backend().describe(), sourceId);
    List<Approval> given = Approvals.current();
    List<Approval> forTarget = MigrationTarget.forStore(given, targetId);
    if (targetBefore.quorum() != null && forTarget.isEmpty()) {
      // the request is issued (by the target's clock) and the write aborted before the source is touched
      target.migrationWrite((base, s, changes, sink) -> {
        sink.approve(MigrationTarget.OPERATION, inParams);
        return null;
      });
    }
    source.flushUsage(); // the uses this process counted go with the keys
    Map<String, KeyRecord> keys = source.committedKeys();
    requireMovable(source, keys);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("to", target.backend().describe());
    out.put("toId", targetId);
    out.put("keys", Integer.toString(keys.size()));
    Approvals.with(MigrationTarget.notForStore(given, targetId), () -> source.migrationWrite((base, settings, changes,
        sink) -> {
      // approved for its destination only: the target's id is new with each attempt
      sink.approve("migrate", Map.of("to", target.backend().describe()));
      sink.event("migrate-out", out);
      return null;
    }));
    // read again after the source's write: it may have run due destructions. The material is read
    // later, row by row: the source's generation must not move until then, or the copy mixes two states
    long sourceGeneration = source.backend().read().generation();
    Map<String, KeyRecord> copied = source.committedKeys();
    StoreSettings settings = source.committedSettings();
    return Approvals.with(forTarget, () -> target.migrationWrite((base, targetSettings, changes, sink) -> {
      if (!base.isEmpty()) {
        throw refusedNonEmpty(target, base.size());
      }
      MigrationTarget.requireFillable(target.backend().describe(), targetSettings);
      if (targetSettings.quorum() != null) {
        sink.approve(MigrationTarget.OPERATION, inParams);
      }
      int versions = 0;
      int materials = 0;
      for (KeyRecord k : copied.values()) {
        KeyRecord copy = k;
        for (VersionRecord v : k.versions()) {
          versions++;
          if (v.state() == KeyState.DESTROYED) {
            continue; // travels as a record: whatever a backend still holds for it is not read
          }
          KeyRef ref = KeyRef.of(k.name(), v.version());
          Optional<KeyMaterial> m = source.backend().material(ref);
          if (m.isPresent()) {
            byte[] raw = raw(m.get());
            try {
              changes.importMaterial(ref, m.get().algorithm(), raw, v.exportable());
              // the facts read again from the chain the copy holds (an older Clavis recorded none; a
              // recorded one could disagree with its chain: the chain is what signs)
              try {
                dev.clavis.keyring.CertificateInfo c = KeyPairs.certificateInfo(ref, k.algorithm(), raw);
                copy = c == null ? copy : copy.withVersion(v.withCertificate(c));
              } catch (IllegalArgumentException e) {
                // a chain that no longer parses: the version travels with the facts it had
              }
            } finally {
              Arrays.fill(raw, (byte) 0);
            }
            materials++;
          }
        }
        sink.put(copy);
      }
      requireUnmoved(source, sourceGeneration);
      sink.settings(settings.withFormerIds(List.of(sourceId)));
      Map<String, String> in = new LinkedHashMap<>();
      in.put("from", source.backend().describe());
      in.put("fromId", sourceId);
      in.put("keys", Integer.toString(copied.size()));
      in.put("versions", Integer.toString(versions));
      in.put("materials", Integer.toString(materials));
      sink.event("migrate-in", in);
      return new Summary(copied.size(), versions, materials, sourceId);
    }));
  }

  private static KeyringException refusedNonEmpty(KeyringEngine target, int n) {
    return new KeyringException("refusing to migrate into " + target.backend().describe() + ": it holds " + n
        + " key" + (n == 1 ? "" : "s") + "; migrate into a new, empty keyring");
  }

  /**
   * Refuses the copy (its transaction then writes nothing) when the source committed while its
   * material was read: the records copied and the rows read may belong to two states.
   */
  private static void requireUnmoved(KeyringEngine source, long generation) {
    long now = source.backend().read().generation();
    if (now != generation) {
      throw new KeyringException("source changed during migration, retry: " + source.backend().describe()
          + " moved from generation " + generation + " to " + now + " while its keys were copied (another process"
          + " committed a change); nothing was written to the target; stop the writers of the source or run the"
          + " migration again");
    }
  }

  /** Refuses, before anything is written, a version whose material cannot leave its backend. */
  private static void requireMovable(KeyringEngine source, Map<String, KeyRecord> keys) {
    for (KeyRecord k : keys.values()) {
      for (VersionRecord v : k.versions()) {
        if (v.state() == KeyState.DESTROYED) {
          continue;
        }
        KeyRef ref = KeyRef.of(k.name(), v.version());
        Optional<KeyMaterial> m = source.backend().material(ref);
        if (m.isPresent()) {
          Arrays.fill(raw(m.get()), (byte) 0);
        }
      }
    }
  }

  private static byte[] raw(KeyMaterial m) {
    try {
      return m.rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      throw new KeyringException("cannot migrate " + m.ref() + ": its material cannot leave its backend (a PKCS#11"
          + " token's keys stay on the token); migrate works between file stores and database keyrings", e);
    }
  }
}
