package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle core ({@link Lifecycle}, {@link Permissions}) without any backend, clock or file:
 * each case builds an immutable key record, applies one operation at a given instant and checks
 * the new record, its audit events and the material changes it asks for.
 */
class LifecycleTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final KeyRef NAME = KeyRef.of("k");
  static final KeyRef V1 = KeyRef.of("k", 1);
  static final KeyRef V2 = KeyRef.of("k", 2);

  static KeyRecord created(KeyPolicy policy) {
    return Lifecycle.create(null, "k", KeyAlgorithm.AES_256, policy, T0).record();
  }

  static KeyRecord created() {
    return created(KeyPolicy.defaults());
  }

  static Instant at(Duration d) {
    return T0.plus(d);
  }

  static long count(KeyRecord k, KeyState s) {
    return k.versions().stream().filter(v -> v.state() == s).count();
  }

  // ---------------------------------------------------------------- create and rotate

  @Test
  void create_makesOneActivePrimary_asksToGenerateIt_andLogsCreate() {
    Lifecycle.Result r = Lifecycle.create(null, "k", KeyAlgorithm.AES_256, KeyPolicy.defaults(), T0);
    KeyRecord k = r.record();
    assertEquals(1, k.primary());
    assertEquals(KeyState.ACTIVE, k.version(1).state());
    assertEquals(T0, k.version(1).activated());
    assertEquals(List.of(new Lifecycle.Generate(V1, KeyAlgorithm.AES_256, false)), r.material());
    assertEquals(1, r.events().size());
    assertEquals("create", r.events().get(0).action());
    assertEquals("k#1", r.events().get(0).key());
    assertEquals("GENERATED", r.events().get(0).details().get("origin"));
  }

  @Test
  void create_refusesATakenName_andSecretIsNeverGenerated() {
    KeyRecord k = created();
    assertThrows(KeyringException.class, () -> Lifecycle.create(k, "k", KeyAlgorithm.AES_256, KeyPolicy.defaults(), T0));
    assertThrows(IllegalArgumentException.class,
        () -> Lifecycle.create(null, "s", KeyAlgorithm.SECRET, KeyPolicy.defaults(), T0));
  }

  @Test
  void create_withALifetime_setsTheExpiryFromActivation() {
    KeyRecord k = created(KeyPolicy.builder().versionLifetime(Duration.ofDays(30)).build());
    assertEquals(at(Duration.ofDays(30)), k.version(1).expires());
  }

  @Test
  void rotate_addsAnActivePrimary_deprecatesTheOld_andLeavesTheInputRecordAsItWas() {
    KeyRecord k = created();
    Lifecycle.Result r = Lifecycle.rotate(k, null, "yearly", "rotate", at(Duration.ofDays(1)));
    KeyRecord after = r.record();
    assertEquals(2, after.primary());
    assertEquals(KeyState.DEPRECATED, after.version(1).state());
    assertEquals(at(Duration.ofDays(1)), after.version(1).deactivated());
    assertEquals(KeyState.ACTIVE, after.version(2).state());
    assertEquals(1, count(after, KeyState.ACTIVE));
    assertEquals(List.of("deprecate", "rotate"), r.events().stream().map(Lifecycle.Event::action).toList());
    assertEquals("#1", r.events().get(1).details().get("from"));
    assertEquals("yearly", r.events().get(1).details().get("reason"));
    // pure: the record given in is immutable and unchanged
    assertEquals(1, k.versions().size());
    assertEquals(KeyState.ACTIVE, k.version(1).state());
  }

  @Test
  void rotate_ofAKeyScheduledForDestruction_isRefused_butAnImportRevivesIt() {
    KeyRecord doomed = Lifecycle.scheduleDestruction(created(), NAME, null, T0).record();
    assertThrows(IllegalStateException.class, () -> Lifecycle.rotate(doomed, null, null, "rotate", T0));
    Lifecycle.Result r = Lifecycle.importVersion(doomed, "k", KeyAlgorithm.AES_256, new byte[32],
        KeyPolicy.defaults(), T0);
    assertFalse(r.record().deleted());
    assertEquals(2, r.record().primary());
    assertTrue(r.material().get(0) instanceof Lifecycle.Import);
  }

  @Test
  void importVersion_ofAnotherAlgorithm_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Lifecycle.importVersion(created(), "k", KeyAlgorithm.AES_128,
        new byte[16], KeyPolicy.defaults(), T0));
  }

  // ---------------------------------------------------------------- two-phase rotation

  @Test
  void twoPhase_beginStages_completeActivates_andOnlyOneVersionEncrypts() {
    KeyRecord begun = Lifecycle.beginRotation(created(), null, T0).record();
    assertEquals(KeyState.ROTATING, begun.version(1).state());
    assertEquals(KeyState.PRE_ACTIVE, begun.version(2).state());
    assertEquals(1, begun.primary());
    assertNull(begun.version(2).activated());
    assertThrows(IllegalStateException.class, () -> Lifecycle.beginRotation(begun, null, T0));
    assertThrows(IllegalStateException.class, () -> Lifecycle.rotate(begun, null, null, "rotate", T0));

    KeyRecord done = Lifecycle.completeRotation(begun, at(Duration.ofHours(1))).record();
    assertEquals(2, done.primary());
    assertEquals(KeyState.ACTIVE, done.version(2).state());
    assertEquals(at(Duration.ofHours(1)), done.version(2).activated());
    assertEquals(KeyState.DEPRECATED, done.version(1).state());
    assertEquals(1, count(done, KeyState.ACTIVE));
  }

  @Test
  void twoPhase_abort_destroysTheStagedVersion_erasesIt_andReturnsThePrimaryToActive() {
    KeyRecord begun = Lifecycle.beginRotation(created(), "try", T0).record();
    Lifecycle.Result r = Lifecycle.abortRotation(begun, T0);
    assertEquals(KeyState.ACTIVE, r.record().version(1).state());
    assertEquals(KeyState.DESTROYED, r.record().version(2).state());
    assertEquals(List.of(new Lifecycle.Erase(V2)), r.material());
    assertThrows(IllegalStateException.class, () -> Lifecycle.abortRotation(r.record(), T0));
    assertThrows(IllegalStateException.class, () -> Lifecycle.completeRotation(r.record(), T0));
  }

  // ---------------------------------------------------------------- suspend and resume

  @Test
  void resume_returnsToTheRememberedState_activeDeprecatedOrRotating() {
    KeyRecord k = created();
    KeyRecord suspended = Lifecycle.apply(k, V1, Op.SUSPEND, "audit", "suspend", T0).record();
    assertEquals(KeyState.SUSPENDED, suspended.version(1).state());
    assertEquals(KeyState.ACTIVE, suspended.version(1).remembered());
    KeyRecord resumed = Lifecycle.apply(suspended, V1, Op.RESUME, null, "resume", T0).record();
    assertEquals(KeyState.ACTIVE, resumed.version(1).state());
    assertNull(resumed.version(1).remembered());
    assertNull(resumed.version(1).deactivated());
    assertEquals("resumed", resumed.version(1).reason());

    KeyRecord rotated = Lifecycle.rotate(k, null, null, "rotate", T0).record();
    KeyRecord back = Lifecycle.apply(Lifecycle.apply(rotated, V1, Op.SUSPEND, null, "suspend", T0).record(), V1,
        Op.RESUME, null, "resume", T0).record();
    assertEquals(KeyState.DEPRECATED, back.version(1).state());

    KeyRecord rotating = Lifecycle.beginRotation(k, null, T0).record();
    KeyRecord backRotating = Lifecycle.apply(Lifecycle.apply(rotating, V1, Op.SUSPEND, null, "suspend", T0).record(),
        V1, Op.RESUME, null, "resume", T0).record();
    assertEquals(KeyState.ROTATING, backRotating.version(1).state());
  }

  @Test
  void resume_ofAFormerPrimarySuspendedWhileActive_returnsDeprecated_soTwoVersionsNeverEncrypt() {
    KeyRecord suspended = Lifecycle.apply(created(), V1, Op.SUSPEND, null, "suspend", T0).record();
    // rotating while #1 is away: #2 becomes the primary, #1 stays SUSPENDED (deprecate does not apply)
    KeyRecord rotated = Lifecycle.rotate(suspended, null, null, "rotate", T0).record();
    assertEquals(KeyState.SUSPENDED, rotated.version(1).state());
    KeyRecord resumed = Lifecycle.apply(rotated, V1, Op.RESUME, null, "resume", T0).record();
    assertEquals(KeyState.DEPRECATED, resumed.version(1).state());
    assertEquals(1, count(resumed, KeyState.ACTIVE));
  }

  @Test
  void apply_byName_touchesEveryAllowedVersion_andRefusesWhenNoneIs() {
    KeyRecord rotated = Lifecycle.rotate(created(), null, null, "rotate", T0).record();
    Lifecycle.Result r = Lifecycle.apply(rotated, NAME, Op.SUSPEND, "incident", "suspend", T0);
    assertEquals(2, count(r.record(), KeyState.SUSPENDED));
    assertEquals(2, r.events().size());
    assertEquals("incident", r.events().get(0).details().get("reason"));
    assertThrows(IllegalStateException.class, () -> Lifecycle.apply(r.record(), NAME, Op.SUSPEND, null, "suspend", T0));
    assertThrows(UnknownKeyException.class,
        () -> Lifecycle.apply(rotated, KeyRef.of("k", 9), Op.SUSPEND, null, "suspend", T0));
  }

  @Test
  void revokeAndCompromise_areFinalForEncryption_andCompromisedDecryptsOnlyWithAnAuditedOverride() {
    KeyRecord revoked = Lifecycle.apply(created(), V1, Op.REVOKE, "rotated out", "revoke", T0).record();
    assertEquals(KeyState.REVOKED, revoked.version(1).state());
    assertThrows(IllegalStateException.class, () -> Lifecycle.apply(revoked, V1, Op.RESUME, null, "resume", T0));
    assertThrows(KeyUsageException.class, () -> Permissions.protect(revoked, NAME, T0));

    KeyRecord compromised = Lifecycle.apply(created(), V1, Op.COMPROMISE, "leak", "compromise", T0).record();
    assertThrows(KeyUsageException.class, () -> Permissions.unprotect(compromised, V1, false, T0));
    Permissions.UnprotectCheck c = Permissions.unprotect(compromised, V1, true, T0);
    assertNotNull(c.audit());
    assertEquals("decrypt-compromised", c.audit().action());
    assertNull(Permissions.unprotect(created(), V1, false, T0).audit());
  }

  // ---------------------------------------------------------------- destruction

  @Test
  void cancelDestroy_ofAFormerPrimary_doesNotResurrectASecondActive() {
    KeyRecord k = created();
    // #1 (the primary, ACTIVE) is scheduled for destruction on its own, then the key is rotated
    KeyRecord doomed = Lifecycle.scheduleDestruction(k, V1, Duration.ofDays(7), T0).record();
    assertEquals(KeyState.PENDING_DESTRUCTION, doomed.version(1).state());
    assertEquals(KeyState.ACTIVE, doomed.version(1).rememberedBeforeDestroy());
    KeyRecord rotated = Lifecycle.rotate(doomed, null, null, "rotate", T0).record();
    assertEquals(2, rotated.primary());

    KeyRecord cancelled = Lifecycle.cancelDestruction(rotated, at(Duration.ofDays(1))).record();
    assertEquals(KeyState.DEPRECATED, cancelled.version(1).state());
    assertNull(cancelled.version(1).destroyAt());
    assertNull(cancelled.version(1).rememberedBeforeDestroy());
    assertEquals(1, count(cancelled, KeyState.ACTIVE));
    assertEquals(KeyState.ACTIVE, cancelled.version(2).state());
  }

  @Test
  void cancelDestroy_ofTheWholeKey_restoresEachVersion_andTheListing() {
    KeyRecord rotated = Lifecycle.rotate(created(), null, null, "rotate", T0).record();
    KeyRecord doomed = Lifecycle.scheduleDestruction(rotated, NAME, null, T0).record();
    assertTrue(doomed.deleted());
    assertEquals(at(KeyPolicy.DEFAULT_DELETION_WINDOW), doomed.version(2).destroyAt());
    KeyRecord back = Lifecycle.cancelDestruction(doomed, T0).record();
    assertFalse(back.deleted());
    assertEquals(KeyState.DEPRECATED, back.version(1).state());
    assertEquals(KeyState.ACTIVE, back.version(2).state());
    assertThrows(IllegalStateException.class, () -> Lifecycle.cancelDestruction(back, T0));
  }

  @Test
  void dueDestructions_fallDueAtTheirTime_destroyAndEraseTheMaterial() {
    KeyRecord doomed = Lifecycle.scheduleDestruction(created(), NAME, Duration.ofHours(1), T0).record();
    assertFalse(Lifecycle.destructionDue(doomed, at(Duration.ofMinutes(59))));
    assertFalse(Lifecycle.anyDestructionDue(List.of(doomed, created()), at(Duration.ofMinutes(59))));
    assertTrue(Lifecycle.destructionDue(doomed, at(Duration.ofHours(1))));
    assertTrue(Lifecycle.anyDestructionDue(List.of(created(), doomed), at(Duration.ofHours(1))));

    Lifecycle.Result r = Lifecycle.executeDueDestructions(doomed, at(Duration.ofHours(1)));
    assertEquals(KeyState.DESTROYED, r.record().version(1).state());
    assertEquals(List.of(new Lifecycle.Erase(V1)), r.material());
    assertEquals("destroy", r.events().get(0).action());
    assertEquals("scheduled destruction fell due", r.events().get(0).details().get("reason"));
    assertTrue(LifecycleNotes.destroyed(r.record()));

    Lifecycle.Result early = Lifecycle.executeDueDestructions(doomed, at(Duration.ofMinutes(59)));
    assertSame(doomed, early.record());
    assertTrue(early.events().isEmpty());
  }

  @Test
  void destroy_ofTheKey_destroysEveryVersion_andLeavesATombstoneThatCreateRefuses() {
    KeyRecord rotated = Lifecycle.rotate(created(), null, null, "rotate", T0).record();
    Lifecycle.Result r = Lifecycle.destroy(rotated, NAME, T0);
    assertEquals(2, count(r.record(), KeyState.DESTROYED));
    assertEquals(List.of(new Lifecycle.Erase(V1), new Lifecycle.Erase(V2)), r.material());
    KeyringException e = assertThrows(KeyringException.class,
        () -> Lifecycle.create(r.record(), "k", KeyAlgorithm.AES_256, KeyPolicy.defaults(), T0));
    assertTrue(e.getMessage().contains("was destroyed"), e.getMessage());
  }

  @Test
  void scheduleDestruction_refusesANegativeDelay() {
    assertThrows(IllegalArgumentException.class, () -> Lifecycle.requireDelay(Duration.ofSeconds(-1)));
    Lifecycle.requireDelay(null);
    Lifecycle.requireDelay(Duration.ZERO);
  }

  // ---------------------------------------------------------------- protect and automatic rotation

  @Test
  void protect_isDueByAge_onlyForTheName_andNotBeforeTheRotationPeriod() {
    KeyRecord k = created(KeyPolicy.builder().rotationPeriod(Duration.ofDays(90)).autoRotate(true).build());
    Permissions.ProtectCheck early = Permissions.protect(k, NAME, at(Duration.ofDays(89)));
    assertNull(early.due());
    assertEquals(V1, early.version());
    assertEquals(at(Duration.ofDays(90)).toEpochMilli(), early.notAfterMillis());

    Permissions.ProtectCheck late = Permissions.protect(k, NAME, at(Duration.ofDays(90)));
    assertNotNull(late.due());
    assertTrue(late.due().contains("rotation period"), late.due());
    assertTrue(Permissions.rotatesAutomatically(k, NAME, late.record()));
    // an exact version is not rotated by age: it names what the caller wants
    assertNull(Permissions.protect(k, V1, at(Duration.ofDays(90))).due());
    assertFalse(Permissions.rotatesAutomatically(k, V1, late.record()));
  }

  @Test
  void protect_isDueByExpiry_andWithoutAutoRotateIsRefusedNamingTheReason() {
    KeyRecord k = created(KeyPolicy.builder().versionLifetime(Duration.ofDays(30)).autoRotate(false).build());
    assertNull(Permissions.protect(k, NAME, at(Duration.ofDays(29))).due());
    Permissions.ProtectCheck c = Permissions.protect(k, NAME, at(Duration.ofDays(30)));
    assertTrue(c.due().startsWith("expired at"), c.due());
    assertFalse(Permissions.rotatesAutomatically(k, NAME, c.record()));
    KeyUsageException e = Permissions.dueRefusal(c.version(), c.record(), c.due());
    assertTrue(e.getMessage().contains("expired at") && e.getMessage().contains("rotate the key"), e.getMessage());
  }

  @Test
  void protect_isDueByUsage_atItsOwnLimit_orTheGcmLimit() {
    KeyRecord limited = created(KeyPolicy.builder().usageLimit(1000).build());
    assertEquals(1000, Permissions.effectiveLimit(limited.version(1)));
    assertEquals("reached its usage limit of 1000", Permissions.usageDue(limited.version(1)));
    VersionRecord unlimited = created().version(1);
    assertEquals(Permissions.GCM_INVOCATION_LIMIT, Permissions.effectiveLimit(unlimited));
    assertTrue(Permissions.usageDue(unlimited).contains("GCM limit"));
    // the GCM bound holds even when the policy allows more
    VersionRecord high = unlimited.toBuilder().usageLimit(1L << 40).build();
    assertEquals(Permissions.GCM_INVOCATION_LIMIT, Permissions.effectiveLimit(high));
  }

  @Test
  void autoRotate_rotatesTheDuePrimary_onceOnly() {
    KeyRecord k = created(KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).autoRotate(true).build());
    Lifecycle.Result r = Lifecycle.autoRotate(k, 1, "is older than its rotation period PT24H", at(Duration.ofDays(1)));
    assertEquals(2, r.record().primary());
    assertEquals("auto-rotate", r.events().get(r.events().size() - 1).action());
    assertEquals("primary #1 is older than its rotation period PT24H",
        r.events().get(r.events().size() - 1).details().get("reason"));
    // another thread or process rotated it first: nothing to do
    assertNull(Lifecycle.autoRotate(r.record(), 1, "due", at(Duration.ofDays(1))));
  }

  @Test
  void protect_refusesSuspendedVersions_sayingUntilResumed_andDoomedKeysByName() {
    KeyRecord suspended = Lifecycle.apply(created(), V1, Op.SUSPEND, null, "suspend", T0).record();
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> Permissions.protect(suspended, NAME, T0));
    assertTrue(e.getMessage().endsWith("until it is resumed"), e.getMessage());
    KeyRecord doomed = Lifecycle.scheduleDestruction(created(), NAME, null, T0).record();
    assertThrows(KeyUsageException.class, () -> Permissions.protect(doomed, NAME, T0));
    assertThrows(UnknownKeyException.class, () -> Permissions.protect(created(), KeyRef.of("k", 2), T0));
  }

  @Test
  void decryptable_listsVersionsThatMayDecrypt_newestFirst() {
    KeyRecord k = Lifecycle.rotate(created(), null, null, "rotate", T0).record();
    assertEquals(List.of(V2, V1), Permissions.decryptable(k, T0));
    KeyRecord revoked = Lifecycle.apply(k, NAME, Op.REVOKE, null, "revoke", T0).record();
    assertTrue(Permissions.decryptable(revoked, T0).isEmpty());
    assertEquals(V2, Permissions.noneDecrypts(revoked).ref());
  }

  @Test
  void export_requiresAnExportableVersionThatMayDecrypt() {
    assertThrows(KeyUsageException.class, () -> Permissions.export(created(), NAME));
    KeyRecord exp = created(KeyPolicy.builder().exportable(true).build());
    assertEquals(1, Permissions.export(exp, NAME).version());
    assertEquals("export", Permissions.exported(V1, exp.version(1)).action());
    KeyRecord compromised = Lifecycle.apply(exp, V1, Op.COMPROMISE, null, "compromise", T0).record();
    assertThrows(KeyUsageException.class, () -> Permissions.export(compromised, V1));
  }

  // ---------------------------------------------------------------- builders

  @Test
  void builders_copyEveryField() {
    VersionRecord v = created(KeyPolicy.builder().usageLimit(5).versionLifetime(Duration.ofDays(1)).build())
        .version(1).withUsage(3, 2).withReason("r").withRemembered(KeyState.ACTIVE);
    assertEquals(v, v.toBuilder().build());
    KeyRecord k = created();
    assertEquals(k, k.toBuilder().build());
    assertThrows(IllegalArgumentException.class, () -> v.toBuilder().usesSettled(4).build());
  }
}
