package dev.clavis.keyring.engine;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import java.time.Instant;

/**
 * The engine's persisted metadata of one version. Immutable; {@code with...} methods copy.
 *
 * @param usageReserved the uses counted against the limit: exact uses plus the reservations still
 *     outstanding (held by live processes or left by crashed ones); the true count never exceeds it
 * @param usesSettled the part of {@code usageReserved} known exactly: uses that processes made and
 *     accounted for when they gave their unused reservations back ({@code 0 <= usesSettled <= usageReserved})
 * @param remembered the state to return to on resume or cancel-destroy, or null
 */
record VersionRecord(
    int version,
    KeyState state,
    KeyState remembered,
    KeyState rememberedBeforeDestroy,
    KeyAlgorithm algorithm,
    KeyVersionInfo.Origin origin,
    boolean exportable,
    Instant created,
    Instant activated,
    Instant deactivated,
    Instant expires,
    Instant destroyAt,
    long usageReserved,
    long usageLimit,
    String reason,
    long usesSettled) {

  VersionRecord {
    if (usesSettled < 0 || usesSettled > usageReserved) {
      throw new IllegalArgumentException("version " + version + ": " + usesSettled + " settled uses outside 0.."
          + usageReserved + " counted");
    }
  }

  VersionRecord withState(KeyState s, String why) {
    return new VersionRecord(version, s, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, why == null ? reason : why,
        usesSettled);
  }

  VersionRecord withRemembered(KeyState r) {
    return new VersionRecord(version, state, r, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, reason, usesSettled);
  }

  VersionRecord withRememberedBeforeDestroy(KeyState r) {
    return new VersionRecord(version, state, remembered, r, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, reason, usesSettled);
  }

  VersionRecord withTimes(Instant act, Instant deact, Instant exp, Instant destroy) {
    return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        act, deact, exp, destroy, usageReserved, usageLimit, reason, usesSettled);
  }

  VersionRecord withReason(String why) {
    return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, why, usesSettled);
  }

  /** @return a copy counting {@code counted} uses against the limit, {@code settled} of them exactly */
  VersionRecord withUsage(long counted, long settled) {
    return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, counted, usageLimit, reason, settled);
  }

  /** @return the reservations not known to be used: {@code usageReserved - usesSettled} */
  long outstanding() {
    return usageReserved - usesSettled;
  }

  KeyVersionInfo toInfo(String name, UsageLedger.View usage) {
    return KeyVersionInfo.builder()
        .keyName(name)
        .version(version)
        .state(state)
        .algorithm(algorithm)
        .origin(origin)
        .exportable(exportable)
        .created(created)
        .activated(activated)
        .deactivated(deactivated)
        .expires(expires)
        .destroyAt(destroyAt)
        .usageCount(usage.uses() + usage.reserved())
        .uses(usage.uses())
        .reserved(usage.reserved())
        .usageLimit(usageLimit)
        .reason(reason)
        .build();
  }
}
