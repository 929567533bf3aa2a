package dev.clavis.keyring.engine;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import java.time.Instant;

/**
 * The engine's persisted metadata of one version. Immutable; {@code with...} methods copy.
 *
 * @param usageReserved uses reserved durably ("reserved up to"): the true count never exceeds it
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
    String reason) {

  VersionRecord withState(KeyState s, String why) {
    return new VersionRecord(version, s, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, why == null ? reason : why);
  }

  VersionRecord withRemembered(KeyState r) {
    return new VersionRecord(version, state, r, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, reason);
  }

  VersionRecord withRememberedBeforeDestroy(KeyState r) {
    return new VersionRecord(version, state, remembered, r, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, usageReserved, usageLimit, reason);
  }

  VersionRecord withTimes(Instant act, Instant deact, Instant exp, Instant destroy) {
    return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        act, deact, exp, destroy, usageReserved, usageLimit, reason);
  }

  VersionRecord withUsageReserved(long r) {
    return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable, created,
        activated, deactivated, expires, destroyAt, r, usageLimit, reason);
  }

  KeyVersionInfo toInfo(String name, long usageNow) {
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
        .usageCount(usageNow)
        .usageLimit(usageLimit)
        .reason(reason)
        .build();
  }
}
