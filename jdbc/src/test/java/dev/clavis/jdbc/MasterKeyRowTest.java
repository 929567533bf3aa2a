package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.file.PasswordProtector;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The head row's protector column: the password's check value, its binding to the keyring, its limits. */
class MasterKeyRowTest {

  private static final UUID ID = UUID.randomUUID();

  private static byte[] column(byte[] master) {
    return MasterKeyRow.create(ID, new PasswordProtector("pw".toCharArray(), TestStores.FAST_KDF), "test", master);
  }

  @Test
  void theRightPasswordUnwrapsTheMasterKey() {
    byte[] master = new byte[32];
    byte[] col = column(master);
    assertArrayEquals(master, MasterKeyRow.unwrap(ID, col, new PasswordProtector("pw".toCharArray(), null), "t"));
  }

  @Test
  void aWrongPasswordOrAnotherKeyringsColumnIsAWrongPassword() {
    byte[] col = column(new byte[32]);
    assertThrows(WrongPasswordException.class,
        () -> MasterKeyRow.unwrap(ID, col, new PasswordProtector("other".toCharArray(), null), "t"));
    assertThrows(WrongPasswordException.class,
        () -> MasterKeyRow.unwrap(UUID.randomUUID(), col, new PasswordProtector("pw".toCharArray(), null), "t"));
  }

  @Test
  void aForgedKdfCostIsRefusedBeforeAnyWork() {
    byte[] col = column(new byte[32]);
    // t (offset 2) = 16, m (offset 6) = 1 GiB: within Argon2's range, beyond the cost cap
    col[2] = 0; col[3] = 0; col[4] = 0; col[5] = 16;
    col[6] = 0; col[7] = 0x10; col[8] = 0; col[9] = 0;
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MasterKeyRow.unwrap(ID, col, new PasswordProtector("pw".toCharArray(), null), "t"));
    assertEquals(StoreDamagedException.Kind.KDF_LIMITS, e.kind(), e.getMessage());
  }

  @Test
  void aNewerFormatIsRefused() {
    byte[] col = column(new byte[32]);
    col[0] = 2;
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> MasterKeyRow.unwrap(ID, col, new PasswordProtector("pw".toCharArray(), null), "t"));
    assertEquals(StoreDamagedException.Kind.UNSUPPORTED_VERSION, e.kind());
  }

  @Test
  void aCutColumnIsDamaged() {
    byte[] col = column(new byte[32]);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> MasterKeyRow.unwrap(ID,
        java.util.Arrays.copyOf(col, col.length - 5), new PasswordProtector("pw".toCharArray(), null), "t"));
    assertEquals(StoreDamagedException.Kind.DAMAGED, e.kind());
  }
}
