package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keep-versions N}: of the versions that can decrypt, the newest N are kept and the older
 * ones are scheduled for destruction with the key's deletion window (cancellable until then, as
 * any scheduled destruction). Versions that may encrypt, the primary and a staged version are
 * always kept. The engine runs this on every key a transaction changed, so it follows rotations,
 * automatic ones included, without a scheduled job.
 */
final class RetentionPolicy {

  private RetentionPolicy() {}

  /**
   * @param store the store's settings: a key window below the store's minimum (kept by a store
   *     older than the minimum) is raised to it, as for any destruction that is not forced
   * @return the schedules {@code keep-versions} asks for, or null when it asks for none
   */
  static Lifecycle.Result enforce(KeyRecord k, StoreSettings store, Instant now) {
    int keep = k.policy().keepVersions();
    if (keep == 0 || k.deleted()) {
      return null;
    }
    List<Integer> beyond = new ArrayList<>();
    int kept = 0;
    for (int i = k.versions().size() - 1; i >= 0; i--) {
      VersionRecord v = k.versions().get(i);
      if (!v.state().allowsUnprotect()) {
        continue;
      }
      boolean pinned = v.state().allowsProtect() || v.state() == KeyState.PRE_ACTIVE || v.version() == k.primary();
      if (kept < keep || pinned) {
        kept++;
      } else if (KeyTransitions.allowed(Op.SCHEDULE_DESTRUCTION, v.state())) {
        beyond.add(v.version());
      }
    }
    if (beyond.isEmpty()) {
      return null;
    }
    Duration window = k.policy().deletionWindow().compareTo(store.minimumDeletionWindow()) < 0
        ? store.minimumDeletionWindow() : k.policy().deletionWindow();
    KeyRecord rec = k;
    List<Lifecycle.Event> events = new ArrayList<>();
    for (int v : beyond) {
      Lifecycle.Result r = Lifecycle.scheduleDestruction(rec, KeyRef.of(k.name(), v), window, now);
      rec = r.record();
      events.addAll(r.events());
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("keepVersions", Integer.toString(keep));
    details.put("scheduled", beyond.stream().map(v -> "#" + v).reduce((a, b) -> a + "," + b).orElse(""));
    details.put("destroyAt", now.plus(window).toString());
    events.add(new Lifecycle.Event("retention", k.name(), details));
    return new Lifecycle.Result(rec, events, List.of());
  }
}
