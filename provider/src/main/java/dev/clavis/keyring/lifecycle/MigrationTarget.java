package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.KeyringException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a keyring without keys may receive a migration, which replaces its settings with the
 * source's (quorum, deletion window, decryption audit). A never-initialised keyring (the settings
 * of a new one) has no one to ask and is filled. One with a quorum is filled only with that
 * quorum's approval ({@value #OPERATION}), asked before the source is touched, since the source's
 * approvals are used once. One with settings of its own and no quorum is refused: its
 * settings were chosen, and a migration must not undo them silently.
 */
final class MigrationTarget {

  /** The operation the target's quorum approves. */
  static final String OPERATION = "migrate-in";

  private MigrationTarget() {}

  /** @return the parameters of the target's approval: the source, by description and id */
  static Map<String, String> approvalParams(String sourceDescription, String sourceId) {
    return Map.of("from", sourceDescription, "fromId", sourceId);
  }

  /**
   * @throws KeyringException if {@code s} has settings of its own and no quorum that could approve replacing them
   */
  static void requireFillable(String target, StoreSettings s) {
    if (s.quorum() != null || isNew(s)) {
      return;
    }
    List<String> own = new ArrayList<>();
    if (!s.minimumDeletionWindow().equals(StoreSettings.DEFAULT.minimumDeletionWindow())) {
      own.add("minimum deletion window " + s.minimumDeletionWindow());
    }
    if (s.auditDecrypts()) {
      own.add("store-wide decryption audit on");
    }
    throw new KeyringException("refusing to migrate into " + target + ": it holds no keys but has settings of its own ("
        + String.join(", ", own) + "), which the migration would replace with the source's; migrate into a new"
        + " keyring, or reset them there first; nothing was changed");
  }

  /** @return the approvals given for the store {@code storeId} */
  static List<Approval> forStore(List<Approval> given, String storeId) {
    return given.stream().filter(a -> a.request().store().equals(storeId)).toList();
  }

  /** @return the approvals given for any other store */
  static List<Approval> notForStore(List<Approval> given, String storeId) {
    return given.stream().filter(a -> !a.request().store().equals(storeId)).toList();
  }

  private static boolean isNew(StoreSettings s) {
    return s.quorum() == null && !s.auditDecrypts()
        && s.minimumDeletionWindow().equals(StoreSettings.DEFAULT.minimumDeletionWindow());
  }
}
