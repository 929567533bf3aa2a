package dev.clavis.keyring.lifecycle;

import static dev.clavis.keyring.KeyState.ACTIVE;
import static dev.clavis.keyring.KeyState.COMPROMISED;
import static dev.clavis.keyring.KeyState.DEPRECATED;
import static dev.clavis.keyring.KeyState.DESTROYED;
import static dev.clavis.keyring.KeyState.PENDING_DESTRUCTION;
import static dev.clavis.keyring.KeyState.PRE_ACTIVE;
import static dev.clavis.keyring.KeyState.REVOKED;
import static dev.clavis.keyring.KeyState.ROTATING;
import static dev.clavis.keyring.KeyState.SUSPENDED;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The one state machine of key versions: for each lifecycle operation, the states it may start
 * from and the state it leads to. Every state change in the engine goes through {@link #apply}.
 * A target of {@code null} in the table means "the state remembered when the version was
 * suspended or scheduled for destruction" ({@code resume}, {@code cancel-destroy}).
 *
 * <pre>
 * operation          from                                              to
 * activate           PRE_ACTIVE                                        ACTIVE
 * begin-rotation     ACTIVE                                            ROTATING
 * abort-rotation     ROTATING                                          ACTIVE
 * deprecate          ACTIVE, ROTATING                                  DEPRECATED
 * discard-staged     PRE_ACTIVE                                        DESTROYED
 * suspend            PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED          SUSPENDED
 * resume             SUSPENDED                                         (remembered)
 * revoke             PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED, SUSPENDED   REVOKED
 * compromise         every state but COMPROMISED, DESTROYED            COMPROMISED
 * schedule-destroy   every state but PENDING_DESTRUCTION, DESTROYED    PENDING_DESTRUCTION
 * cancel-destroy     PENDING_DESTRUCTION                               (remembered)
 * destroy            every state but DESTROYED                         DESTROYED
 * </pre>
 *
 * <p>A version that returns ({@code resume}, {@code cancel-destroy}) to {@code ACTIVE} or {@code
 * ROTATING} while it is no longer the key's primary (the key was rotated meanwhile) returns as
 * {@code DEPRECATED}: only the primary encrypts, so two versions never encrypt at once.
 */
public final class KeyTransitions {

  /** The lifecycle operations that change a version's state. */
  public enum Op {
    ACTIVATE("activate"),
    BEGIN_ROTATION("begin-rotation"),
    ABORT_ROTATION("abort-rotation"),
    DEPRECATE("deprecate"),
    DISCARD_STAGED("discard-staged"),
    SUSPEND("suspend"),
    RESUME("resume"),
    REVOKE("revoke"),
    COMPROMISE("compromise"),
    SCHEDULE_DESTRUCTION("schedule-destroy"),
    CANCEL_DESTRUCTION("cancel-destroy"),
    DESTROY("destroy");

    private final String label;

    Op(String label) {
      this.label = label;
    }

    /** @return the operation's name as the audit log and messages write it */
    public String label() {
      return label;
    }
  }

  private static final KeyState REMEMBERED = null;
  private static final Map<Op, Map<KeyState, KeyState>> TABLE = new EnumMap<>(Op.class);

  static {
    row(Op.ACTIVATE, ACTIVE, PRE_ACTIVE);
    row(Op.BEGIN_ROTATION, ROTATING, ACTIVE);
    row(Op.ABORT_ROTATION, ACTIVE, ROTATING);
    row(Op.DEPRECATE, DEPRECATED, ACTIVE, ROTATING);
    row(Op.DISCARD_STAGED, DESTROYED, PRE_ACTIVE);
    row(Op.SUSPEND, SUSPENDED, PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED);
    row(Op.RESUME, REMEMBERED, SUSPENDED);
    row(Op.REVOKE, REVOKED, PRE_ACTIVE, ACTIVE, ROTATING, DEPRECATED, SUSPENDED);
    row(Op.COMPROMISE, COMPROMISED, allBut(COMPROMISED, DESTROYED));
    row(Op.SCHEDULE_DESTRUCTION, PENDING_DESTRUCTION, allBut(PENDING_DESTRUCTION, DESTROYED));
    row(Op.CANCEL_DESTRUCTION, REMEMBERED, PENDING_DESTRUCTION);
    row(Op.DESTROY, DESTROYED, allBut(DESTROYED));
  }

  private KeyTransitions() {}

  private static KeyState[] allBut(KeyState... excluded) {
    Set<KeyState> ex = Set.of(excluded);
    return java.util.Arrays.stream(KeyState.values()).filter(s -> !ex.contains(s)).toArray(KeyState[]::new);
  }

  private static void row(Op op, KeyState to, KeyState... from) {
    Map<KeyState, KeyState> m = new EnumMap<>(KeyState.class);
    for (KeyState f : from) {
      m.put(f, to);
    }
    TABLE.put(op, Collections.unmodifiableMap(m));
  }

  /**
   * Whether the table has a row for an operation from a state.
   *
   * @param op the operation
   * @param from the version's current state
   * @return whether {@code op} may start from {@code from}
   */
  public static boolean allowed(Op op, KeyState from) {
    return TABLE.get(op).containsKey(from);
  }

  /**
   * The states an operation may start from.
   *
   * @param op the operation
   * @return the states {@code op} may start from
   */
  public static Set<KeyState> sources(Op op) {
    return TABLE.get(op).keySet();
  }

  /**
   * Computes the state after {@code op}.
   *
   * @param op the operation
   * @param ref the version, for the message
   * @param from its current state
   * @param remembered the state remembered by suspend or schedule-destroy (used by resume and cancel-destroy)
   * @return the new state
   * @throws IllegalStateException naming key, from-state and to-state if the table has no such row
   */
  public static KeyState apply(Op op, KeyRef ref, KeyState from, KeyState remembered) {
    return apply(op, ref, from, remembered, true);
  }

  /**
   * Computes the state after {@code op}, knowing whether the version is its key's primary.
   *
   * @param op the operation
   * @param ref the version, for the message
   * @param from its current state
   * @param remembered the state remembered by suspend or schedule-destroy (used by resume and cancel-destroy)
   * @param primary whether the version is the key's primary now: a version that is not and would
   *     return to {@code ACTIVE} or {@code ROTATING} returns as {@code DEPRECATED}
   * @return the new state
   * @throws IllegalStateException naming key, from-state and to-state if the table has no such row
   */
  public static KeyState apply(Op op, KeyRef ref, KeyState from, KeyState remembered, boolean primary) {
    KeyState to = target(op, ref, from, remembered);
    if (TABLE.get(op).get(from) == REMEMBERED && !primary && (to == ACTIVE || to == ROTATING)) {
      // the key was rotated while this version was away: it comes back as a former primary
      return DEPRECATED;
    }
    return to;
  }

  private static KeyState target(Op op, KeyRef ref, KeyState from, KeyState remembered) {
    Map<KeyState, KeyState> row = TABLE.get(op);
    if (!row.containsKey(from)) {
      throw new IllegalStateException("cannot " + op.label() + " key " + ref + ": " + from + " -> " + target(op)
          + " is not an allowed transition (allowed from " + row.keySet() + ")");
    }
    KeyState to = row.get(from);
    if (to == REMEMBERED) {
      if (remembered == null) {
        throw new IllegalStateException("cannot " + op.label() + " key " + ref + ": " + from
            + " -> (earlier state): no earlier state was recorded");
      }
      return remembered;
    }
    return to;
  }

  private static String target(Op op) {
    for (KeyState t : TABLE.get(op).values()) {
      return t == REMEMBERED ? "(earlier state)" : t.name();
    }
    return "?";
  }
}
