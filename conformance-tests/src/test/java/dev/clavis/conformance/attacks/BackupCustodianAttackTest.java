package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.backup.BackupException;
import dev.clavis.keyring.backup.KeyringBackup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malicious custodian knows their own passphrase, so they can open their share and re-seal
 * anything into a share file that passes its checksum, its verifier and its GCM tag (written
 * here from docs/backup.md alone). Whatever they put in (another share value, another share
 * number), the restore must notice that the shares do not open the backup, and write nothing.
 */
class BackupCustodianAttackTest {

  static final KdfParameters KDF = KdfParameters.argon2id(1, 64, 1).allowingWeak();
  @TempDir Path dir;
  Path bk;

  @BeforeEach
  void backup() {
    Path store = dir.resolve("s.store");
    try (Keyring k = Keyrings.open(KeyringOptions.file(store).password(TestStores.PASSWORD.toCharArray())
        .kdfForNew(TestStores.LIGHTEST_KDF))) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      bk = dir.resolve("bk");
      KeyringBackup.create(k, store, bk, 3, 2, List.of(pw(1), pw(2), pw(3)), KDF);
    }
  }

  static char[] pw(int i) {
    return ("custodian " + i + " passphrase").toCharArray();
  }

  /** Opens a share with its passphrase, as its custodian can (docs/backup.md, share file format 1). */
  static byte[] openShare(byte[] f, char[] pw) throws Exception {
    byte[] t = tag(f, pw);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(t, 0, 32, "AES"), new GCMParameterSpec(128, Arrays.copyOfRange(f, 86, 98)));
    c.updateAAD(f, 0, 98);
    return c.doFinal(f, 98, 48);
  }

  /** Re-seals {@code y} (and a header edited by the caller) into a share that passes every check of its own. */
  static byte[] reseal(byte[] f, byte[] y, char[] pw) throws Exception {
    byte[] out = f.clone();
    byte[] t = tag(out, pw);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(t, 0, 32, "AES"), new GCMParameterSpec(128, Arrays.copyOfRange(out, 86, 98)));
    c.updateAAD(out, 0, 98);
    byte[] sealed = c.doFinal(y);
    System.arraycopy(sealed, 0, out, 98, 48);
    System.arraycopy(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out, 146)), 0, out, 146, 32);
    return out;
  }

  static byte[] tag(byte[] f, char[] pw) {
    ByteBuffer b = ByteBuffer.wrap(f);
    return Argon2.hash(Argon2Type.ARGON2ID, new String(pw).getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(f, 38, 54),
        null, null, b.getInt(29), b.getInt(33), f[37] & 0xFF, 64);
  }

  private void restoreFails(Path mine, BackupException.Kind kind) {
    Path target = dir.resolve("restored.store");
    BackupException e = assertThrows(BackupException.class, () -> KeyringBackup.restore(bk.resolve("backup.clbk"),
        List.of(mine, bk.resolve("share-1-of-3.clshare")), s -> pw(s.number() == 1 ? 1 : 2), target, null, false));
    assertEquals(kind, e.kind(), e.getMessage());
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(dir.resolve("restored.store.audit")));
  }

  @Test
  void custodianResealsAnotherShareValue_restoreRefusesAndWritesNothing() throws Exception {
    byte[] f = Files.readAllBytes(bk.resolve("share-2-of-3.clshare"));
    byte[] y = openShare(f, pw(2));
    y[0] ^= 0x5A;
    Path mine = dir.resolve("mine.clshare");
    Files.write(mine, reseal(f, y, pw(2)));
    assertEquals(2, KeyringBackup.readShare(mine).number(), "the forged share passes its own checks");
    restoreFails(mine, BackupException.Kind.TAMPERED_BACKUP);
  }

  @Test
  void custodianClaimsAnotherShareNumber_restoreRefusesAndWritesNothing() throws Exception {
    byte[] f = Files.readAllBytes(bk.resolve("share-2-of-3.clshare"));
    byte[] y = openShare(f, pw(2));
    f[27] = 3; // x: the header is the AAD, so re-seal after editing it
    Path mine = dir.resolve("mine.clshare");
    Files.write(mine, reseal(f, y, pw(2)));
    restoreFails(mine, BackupException.Kind.TAMPERED_BACKUP);
  }

  @Test
  void custodianLowersTheThresholdInTheirShare_isRefusedAsAltered() throws Exception {
    byte[] f = Files.readAllBytes(bk.resolve("share-2-of-3.clshare"));
    byte[] y = openShare(f, pw(2));
    f[25] = 2;
    f[26] = 2; // claims 2 of 2
    Path mine = dir.resolve("mine.clshare");
    Files.write(mine, reseal(f, y, pw(2)));
    restoreFails(mine, BackupException.Kind.TAMPERED_SHARE);
  }
}
