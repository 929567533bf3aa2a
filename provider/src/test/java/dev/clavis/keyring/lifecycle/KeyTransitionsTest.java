package dev.clavis.keyring.lifecycle;

import static dev.clavis.keyring.KeyState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operation from every state: allowed ones lead where the table says, the others throw. */
class KeyTransitionsTest {

  private static final KeyRef REF = KeyRef.of("payments", 2);

  /** The expected table, written out independently of the production one. */
  private static final Map<Op, Set<KeyState>> SOURCES = Map.ofEntries(
      Map.entry(Op.ACTIVATE, EnumSet.of(PRE_ACTIVE)),
      Map.entry(Op.BEGIN_ROTATION, EnumSet.of(ACTIVE)),
      Map.entry(Op.ABORT_ROTATION, EnumSet.of(ROTATING)),
      Map.entry(Op.DEPRECATE, EnumSet.of(ACTIVE, ROTATING)),
      Map.entry(Op.DISCARD_STAGED, EnumSet.of(PRE_ACTIVE)),
      Map.entry(Op.SUSPEND, EnumSet.of(PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED)),
      Map.entry(Op.RESUME, EnumSet.of(SUSPENDED)),
      Map.entry(Op.REVOKE, EnumSet.of(PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED, SUSPENDED)),
      Map.entry(Op.COMPROMISE, EnumSet.complementOf(EnumSet.of(COMPROMISED, DESTROYED))),
      Map.entry(Op.SCHEDULE_DESTRUCTION, EnumSet.complementOf(EnumSet.of(PENDING_DESTRUCTION, DESTROYED))),
      Map.entry(Op.CANCEL_DESTRUCTION, EnumSet.of(PENDING_DESTRUCTION)),
      Map.entry(Op.DESTROY, EnumSet.complementOf(EnumSet.of(DESTROYED))));

  private static final Map<Op, KeyState> TARGETS = Map.of(
      Op.ACTIVATE, ACTIVE, Op.BEGIN_ROTATION, ROTATING, Op.ABORT_ROTATION, ACTIVE, Op.DEPRECATE, DEPRECATED,
      Op.DISCARD_STAGED, DESTROYED, Op.SUSPEND, SUSPENDED, Op.REVOKE, REVOKED, Op.COMPROMISE, COMPROMISED,
      Op.SCHEDULE_DESTRUCTION, PENDING_DESTRUCTION, Op.DESTROY, DESTROYED);

  static Stream<Arguments> everyOpAndState() {
    return Stream.of(Op.values()).flatMap(op -> Stream.of(KeyState.values()).map(s -> Arguments.of(op, s)));
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("everyOpAndState")
  void apply_followsTheTable_orThrowsNamingKeyAndStates(Op op, KeyState from) {
    boolean expected = SOURCES.get(op).contains(from);
    assertEquals(expected, KeyTransitions.allowed(op, from), op + " from " + from);
    if (expected) {
      KeyState to = KeyTransitions.apply(op, REF, from, DEPRECATED);
      KeyState want = TARGETS.getOrDefault(op, DEPRECATED); // resume/cancel return the remembered state
      assertEquals(want, to, op + " from " + from);
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> KeyTransitions.apply(op, REF, from, ACTIVE), op + " from " + from);
      assertTrue(e.getMessage().contains("payments#2"), e.getMessage());
      assertTrue(e.getMessage().contains(from.name()), e.getMessage());
      assertTrue(e.getMessage().contains(op.label()), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rememberingOps")
  void resumeOrCancel_withoutRememberedState_throws(Op op, KeyState from) {
    assertThrows(IllegalStateException.class, () -> KeyTransitions.apply(op, REF, from, null));
  }

  static Stream<Arguments> rememberingOps() {
    return Stream.of(Arguments.of(Op.RESUME, SUSPENDED), Arguments.of(Op.CANCEL_DESTRUCTION, PENDING_DESTRUCTION));
  }

  @Test
  void returningVersion_thatIsNoLongerPrimary_comesBackDeprecated() {
    KeyRef r = KeyRef.of("k", 1);
    for (KeyTransitions.Op op : new KeyTransitions.Op[] {KeyTransitions.Op.RESUME, KeyTransitions.Op.CANCEL_DESTRUCTION}) {
      KeyState from = op == KeyTransitions.Op.RESUME ? KeyState.SUSPENDED : KeyState.PENDING_DESTRUCTION;
      assertEquals(KeyState.DEPRECATED, KeyTransitions.apply(op, r, from, KeyState.ACTIVE, false), op.label());
      assertEquals(KeyState.DEPRECATED, KeyTransitions.apply(op, r, from, KeyState.ROTATING, false), op.label());
      assertEquals(KeyState.ACTIVE, KeyTransitions.apply(op, r, from, KeyState.ACTIVE, true), op.label());
      assertEquals(KeyState.REVOKED, KeyTransitions.apply(op, r, from, KeyState.REVOKED, false), op.label());
    }
    // a fixed target is not remembered: suspend of a non-primary is still SUSPENDED
    assertEquals(KeyState.SUSPENDED, KeyTransitions.apply(KeyTransitions.Op.SUSPEND, r, KeyState.DEPRECATED, null, false));
  }
}
