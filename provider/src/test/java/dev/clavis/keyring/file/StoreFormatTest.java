package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.file.MasterKeyProtector.Kind;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk protector codes stay those stores written before the protector split carry. */
class StoreFormatTest {

  private static final byte[] ID = new byte[16];

  static {
    Arrays.fill(ID, (byte) 0x5A);
  }

  @Test
  void protectorPrefix_keepsTheOnDiskCodes_argon2id1_pbkdf2_2_tokenRoot3() {
    byte[] argon = StoreFormat.protectorPrefix(ProtectorParameters.password(KdfParameters.argon2id(3, 65536, 4), ID));
    byte[] pbkdf2 = StoreFormat.protectorPrefix(ProtectorParameters.password(KdfParameters.pbkdf2(600_000), ID));
    byte[] token = StoreFormat.protectorPrefix(ProtectorParameters.tokenRoot(ID));
    assertEquals(1, argon[10]);
    assertEquals(2, pbkdf2[10]);
    assertEquals(3, token[10]);
    ByteBuffer t = ByteBuffer.wrap(token);
    assertEquals(0, t.getInt(11));
    assertEquals(0, t.getInt(15));
    assertEquals(0, t.getInt(19));
    assertEquals(16, token[23]);
    assertArrayEquals(ID, Arrays.copyOfRange(token, 24, 40));
    assertArrayEquals(StoreFormat.MAGIC, Arrays.copyOf(token, 8));
  }

  @Test
  void tokenRootHeader_withNonZeroKdfFields_isDamaged_beforeAnyWork() {
    byte[] prefix = StoreFormat.protectorPrefix(ProtectorParameters.tokenRoot(ID));
    ByteBuffer.wrap(prefix).putInt(11, 1);
    byte[] file = Arrays.copyOf(prefix, prefix.length + 200);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> StoreFormat.parseHeader(file, "f"));
    assertEquals(StoreDamagedException.Kind.DAMAGED, e.kind());
  }

  @Test
  void startsTokenRooted_readsTheProtectorByte(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("t");
    Files.write(token, StoreFormat.protectorPrefix(ProtectorParameters.tokenRoot(ID)));
    Path pw = dir.resolve("p");
    Files.write(pw, StoreFormat.protectorPrefix(ProtectorParameters.password(KdfParameters.pbkdf2(600_000), ID)));
    assertTrue(StoreFormat.startsTokenRooted(token));
    assertFalse(StoreFormat.startsTokenRooted(pw));
    assertEquals(Kind.TOKEN_ROOT, ProtectorParameters.tokenRoot(ID).kind());
  }
}
