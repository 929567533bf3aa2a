package dev.clavis.keyring.backup;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * M-of-N backup and restore of a file store with hundreds of keys: any M shares rebuild a store
 * that opens, verifies its audit chain and decrypts data made before the backup; every bad input
 * is refused with its own kind and leaves nothing behind.
 */
class KeyringBackupTest {

  static final KdfParameters SHARE_KDF = KdfParameters.argon2id(1, 64, 1).allowingWeak();
  static final int KEYS = 300;

  @TempDir static Path shared;
  static Path store;
  static Path backupDir;
  static Map<String, byte[]> envelopes = new HashMap<>();
  static long recordsAtBackup;

  static List<char[]> passphrases(int n) {
    List<char[]> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(("custodian-" + i + "-passphrase").toCharArray());
    }
    return out;
  }

  static KeyringOptions opts(Path file) {
    return KeyringOptions.file(file).password(TestStores.PASSWORD.toCharArray()).kdfForNew(TestStores.LIGHTEST_KDF);
  }

  @BeforeAll
  static void backUpAStoreWithHundredsOfKeys() {
    store = shared.resolve("big.store");
    backupDir = shared.resolve("backup");
    try (Keyring k = Keyrings.open(opts(store))) {
      Map<String, byte[]> mats = new HashMap<>();
      for (int i = 0; i < KEYS; i++) {
        mats.put("k" + i, new byte[32]);
        mats.get("k" + i)[0] = (byte) i;
        mats.get("k" + i)[1] = (byte) (i >> 8);
      }
      k.importKeys(mats, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      for (int i = 0; i < KEYS; i += 37) {
        envelopes.put("k" + i, k.encrypt("k" + i, ("data of k" + i).getBytes(StandardCharsets.UTF_8), null));
      }
      k.rotate("k0", "rotated before the backup");
      KeyringBackup.Summary s = KeyringBackup.create(k, store, backupDir, 5, 3, passphrases(5), SHARE_KDF);
      assertEquals(5, s.shareFiles().size());
      recordsAtBackup = k.auditLog().verify();
      // a change after the backup, which the restored store does not have
      k.create("after-the-backup", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
  }

  private static Path share(int x) {
    return backupDir.resolve(KeyringBackup.shareFileName(x, 5));
  }

  private static KeyringBackup.Passphrases right() {
    return s -> ("custodian-" + s.number() + "-passphrase").toCharArray();
  }

  private static BackupException.Kind refused(Path target, List<Path> shares, KeyringBackup.Passphrases pw) {
    BackupException e = assertThrows(BackupException.class, () -> KeyringBackup.restore(
        backupDir.resolve(KeyringBackup.BACKUP_FILE), shares, pw, target, null, false));
    assertFalse(Files.exists(target), "nothing restored: " + e.getMessage());
    assertFalse(Files.exists(target.resolveSibling(target.getFileName() + ".audit")));
    return e.kind();
  }

  @Test
  void anyThreeOfFiveShares_restoreAStoreThatOpensVerifiesAndDecryptsOldData(@TempDir Path dir) throws Exception {
    for (int[] pick : new int[][] {{1, 2, 3}, {5, 3, 1}, {2, 4, 5}}) {
      Path target = dir.resolve("r" + pick[0] + pick[1] + pick[2]).resolve("restored.store");
      KeyringBackup.Restored r = KeyringBackup.restore(backupDir.resolve(KeyringBackup.BACKUP_FILE),
          List.of(share(pick[0]), share(pick[1]), share(pick[2])), right(), target, null, false);
      assertTrue(r.files().contains(target));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
      try (Keyring k = Keyrings.open(opts(target).createIfMissing(false))) {
        long n = k.auditLog().verify();
        assertTrue(n >= recordsAtBackup - 1 && n <= recordsAtBackup, n + " vs " + recordsAtBackup);
        assertEquals(KEYS, k.list().size(), "every key, and not the one created after the backup");
        assertTrue(k.find("after-the-backup").isEmpty());
        for (Map.Entry<String, byte[]> e : envelopes.entrySet()) {
          assertEquals("data of " + e.getKey(), new String(k.decrypt(e.getValue(), null), StandardCharsets.UTF_8));
        }
        assertTrue(k.auditLog().events().stream().anyMatch(ev -> ev.action().equals("backup")
            && ev.details().get("threshold").equals("3")), "the backup is in the log it saved");
      }
    }
  }

  @Test
  void fewerThanThreshold_isRefused(@TempDir Path dir) {
    assertEquals(BackupException.Kind.TOO_FEW_SHARES, refused(dir.resolve("s"), List.of(share(1), share(4)), right()));
  }

  @Test
  void theSameShareTwice_isRefused(@TempDir Path dir) {
    assertEquals(BackupException.Kind.DUPLICATE_SHARE,
        refused(dir.resolve("s"), List.of(share(1), share(2), share(1)), right()));
  }

  @Test
  void wrongCustodianPassphrase_isRefused_namingTheShare(@TempDir Path dir) {
    KeyringBackup.Passphrases pw = s -> s.number() == 2 ? "not the passphrase".toCharArray()
        : ("custodian-" + s.number() + "-passphrase").toCharArray();
    BackupException e = assertThrows(BackupException.class, () -> KeyringBackup.restore(
        backupDir.resolve(KeyringBackup.BACKUP_FILE), List.of(share(1), share(2), share(3)), pw, dir.resolve("s"), null,
        false));
    assertEquals(BackupException.Kind.WRONG_PASSPHRASE, e.kind());
    assertTrue(e.getMessage().contains("share 2"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("s")));
  }

  @Test
  void aTamperedShare_isRefused_whetherItsChecksumWasFixedOrNot(@TempDir Path dir) throws Exception {
    byte[] b = Files.readAllBytes(share(3));
    b[110] ^= 1; // in the sealed share
    Path bad = dir.resolve("bad.clshare");
    Files.write(bad, b);
    assertEquals(BackupException.Kind.TAMPERED_SHARE, refused(dir.resolve("s"), List.of(share(1), share(2), bad), right()));
    // the checksum recomputed, as an attacker would: the GCM tag still catches it
    System.arraycopy(Aead.sha256(java.util.Arrays.copyOf(b, 146)), 0, b, 146, 32);
    Files.write(bad, b);
    assertEquals(BackupException.Kind.TAMPERED_SHARE, refused(dir.resolve("s"), List.of(bad, share(1), share(2)), right()));
  }

  @Test
  void aShareOfAnotherBackup_isRefused(@TempDir Path dir) {
    Path other = dir.resolve("other");
    try (Keyring k = Keyrings.open(opts(dir.resolve("o.store")))) {
      k.create("x", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      KeyringBackup.create(k, dir.resolve("o.store"), other, 3, 2, passphrases(3), SHARE_KDF);
    }
    assertEquals(BackupException.Kind.FOREIGN_SHARE, refused(dir.resolve("s"),
        List.of(share(1), other.resolve(KeyringBackup.shareFileName(2, 3)), share(3)), right()));
  }

  @Test
  void aTamperedBackupFile_isRefused(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("b");
    Files.createDirectories(copy);
    byte[] b = Files.readAllBytes(backupDir.resolve(KeyringBackup.BACKUP_FILE));
    b[b.length - 40] ^= 1;
    Files.write(copy.resolve(KeyringBackup.BACKUP_FILE), b);
    BackupException e = assertThrows(BackupException.class, () -> KeyringBackup.restore(
        copy.resolve(KeyringBackup.BACKUP_FILE), List.of(share(1), share(2), share(3)), right(), dir.resolve("s"), null,
        false));
    assertEquals(BackupException.Kind.TAMPERED_BACKUP, e.kind());
    assertFalse(Files.exists(dir.resolve("s")));
  }

  @Test
  void anExistingStore_isNotReplaced_withoutForce(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("s");
    Files.writeString(target, "keep me");
    assertThrows(BackupException.class, () -> KeyringBackup.restore(backupDir.resolve(KeyringBackup.BACKUP_FILE),
        List.of(share(1), share(2), share(3)), right(), target, null, false));
    assertEquals("keep me", Files.readString(target));
    KeyringBackup.restore(backupDir.resolve(KeyringBackup.BACKUP_FILE), List.of(share(1), share(2), share(3)), right(),
        target, null, true);
    try (Keyring k = Keyrings.open(opts(target).createIfMissing(false))) {
      assertEquals(KEYS, k.list().size());
    }
  }

  @Test
  void badQuorumsAndPassphrases_areRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
    Path s = dir.resolve("q.store");
    try (Keyring k = Keyrings.open(opts(s))) {
      k.create("x", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      Path out = dir.resolve("out");
      assertEquals(BackupException.Kind.BAD_QUORUM, assertThrows(BackupException.class,
          () -> KeyringBackup.create(k, s, out, 3, 4, passphrases(3), SHARE_KDF)).kind());
      assertEquals(BackupException.Kind.BAD_QUORUM, assertThrows(BackupException.class,
          () -> KeyringBackup.create(k, s, out, 3, 1, passphrases(3), SHARE_KDF)).kind());
      List<char[]> same = passphrases(3);
      same.set(2, same.get(0).clone());
      assertEquals(BackupException.Kind.BAD_PASSPHRASE, assertThrows(BackupException.class,
          () -> KeyringBackup.create(k, s, out, 3, 2, same, SHARE_KDF)).kind());
      List<char[]> shortOne = passphrases(3);
      shortOne.set(1, "short".toCharArray());
      assertEquals(BackupException.Kind.BAD_PASSPHRASE, assertThrows(BackupException.class,
          () -> KeyringBackup.create(k, s, out, 3, 2, shortOne, SHARE_KDF)).kind());
      assertThrows(IllegalArgumentException.class,
          () -> KeyringBackup.create(k, s, out, 3, 2, passphrases(3), KdfParameters.argon2id(1, 64, 1)));
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void aForcedRestore_keepsTheStoreAndLogItReplaces_andTheReplacedStoreStillOpens(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("over.store");
    KeyringBackup.restore(backupDir.resolve(KeyringBackup.BACKUP_FILE), List.of(share(1), share(2), share(3)), right(),
        target, null, false);
    try (Keyring k = Keyrings.open(opts(target).createIfMissing(false))) {
      k.create("only-in-the-replaced-store", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    byte[] oldStore = Files.readAllBytes(target);
    byte[] oldLog = Files.readAllBytes(dir.resolve("over.store.audit"));
    KeyringBackup.Restored r = KeyringBackup.restore(backupDir.resolve(KeyringBackup.BACKUP_FILE),
        List.of(share(1), share(2), share(3)), right(), target, null, true);
    assertEquals(3, r.keptAside().size(), "store, log and mark kept: " + r.keptAside());
    Path keptStore = r.keptAside().get(0);
    assertTrue(keptStore.getFileName().toString().startsWith("over.store.replaced-"), keptStore.toString());
    assertArrayEquals(oldStore, Files.readAllBytes(keptStore));
    assertArrayEquals(oldLog, Files.readAllBytes(r.keptAside().get(1)));
    try (Keyring k = Keyrings.open(opts(target).createIfMissing(false))) {
      assertTrue(k.find("only-in-the-replaced-store").isEmpty(), "the restored store is the backup's");
    }
    // putting the kept files back gives the replaced keyring back, with its log and mark
    Path back = dir.resolve("back").resolve("over.store");
    Files.createDirectories(back.getParent());
    for (Path kept : r.keptAside()) {
      String name = kept.getFileName().toString();
      Files.move(kept, back.resolveSibling(name.substring(0, name.indexOf(".replaced-"))));
    }
    try (Keyring k = Keyrings.open(opts(back).createIfMissing(false))) {
      assertTrue(k.find("only-in-the-replaced-store").isPresent());
      assertTrue(k.auditLog().verify() > 0);
    }
  }
}
