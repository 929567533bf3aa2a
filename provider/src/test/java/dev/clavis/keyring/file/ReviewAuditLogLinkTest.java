package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review (issue 9 item 8): the audit log {@code S.audit} is appended with {@code O_CREAT} through
 * a symbolic link. Whoever may write the store's directory can replace it by a link (after
 * deleting it, which they may anyway) to any path: the next write then creates that file, as the
 * writer's user, and appends the records there.
 */
class ReviewAuditLogLinkTest {

  static final char[] PW = "review-password".toCharArray();
  static final KdfParameters FAST = KdfParameters.argon2id(1, 64, 1).allowingWeak();

  @TempDir Path dir;

  @Test
  void auditLog_replacedByADanglingLink_createsNothingWhereItPoints() throws Exception {
    Path store = dir.resolve("s");
    try (Keyring k = Keyrings.openFile(store, PW, FAST)) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    Path audit = dir.resolve("s.audit");
    assertTrue(Files.exists(audit));
    Path target = Files.createDirectory(dir.resolve("victim")).resolve("created-by-clavis");
    Files.delete(audit);
    Files.createSymbolicLink(audit, target);
    try (Keyring k = Keyrings.openFile(store, PW, FAST)) {
      k.create("b", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    } catch (KeyringException refused) {
      // refusing is fine (the log is gone, or is a link); following the link is not
    }
    assertFalse(Files.exists(target), "the writer created " + target + " through a link in the store's directory");
  }
}
