package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonotonicAnchorTest {

  @TempDir Path dir;
  final byte[] key = new byte[32];
  final byte[] otherKey = new byte[32];

  {
    Arrays.fill(key, (byte) 1);
    Arrays.fill(otherKey, (byte) 2);
  }

  private MonotonicAnchor anchor(byte[] k) {
    return new MonotonicAnchor(dir.resolve("a.anchor"), k, "store S", false);
  }

  @Test
  void raise_neverLowersTheMark_andCheckRefusesAnOlderState() {
    MonotonicAnchor a = anchor(key);
    a.raise(7, 41);
    a.raise(5, 30); // a late writer
    assertEquals(new MonotonicAnchor.Mark(7, 41), a.read().orElseThrow());
    a.check(7, 41);
    a.check(8, 45);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> a.check(6, 41));
    assertEquals(Kind.ROLLED_BACK, e.kind());
    assertTrue(e.getMessage().contains("generation 6") && e.getMessage().contains("generation 7"), e.getMessage());
    assertThrows(StoreDamagedException.class, () -> a.check(7, 40));
  }

  @Test
  void anchorOfAnotherStore_isRefused_andLeftAsItWas() throws Exception {
    anchor(otherKey).raise(3, 3);
    byte[] before = Files.readAllBytes(dir.resolve("a.anchor"));
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> anchor(key).check(9, 9));
    assertTrue(e.getMessage().contains("another key store"), e.getMessage());
    assertThrows(StoreDamagedException.class, () -> anchor(key).raise(9, 9));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("a.anchor")));
  }

  @Test
  void editedAnchor_failsItsMac() throws Exception {
    anchor(key).raise(9, 12);
    Path f = dir.resolve("a.anchor");
    String s = Files.readString(f).replace(" 9 12 ", " 2 12 ");
    Files.writeString(f, s);
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> anchor(key).check(2, 12));
    assertEquals(Kind.TAMPERED, e.kind());
  }

  @Test
  void anchorFile_isOwnerOnly_andHoldsNoKey() throws Exception {
    anchor(key).raise(1, 1);
    Path f = dir.resolve("a.anchor");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    String text = Files.readString(f, StandardCharsets.US_ASCII);
    assertFalse(text.contains("0101010101"), text);
  }

  @Test
  void commitMarkCutByACrash_isTakenAsAbsent() throws Exception {
    MonotonicAnchor m = MonotonicAnchor.besideLog(dir.resolve("s.audit"), key, "store S");
    m.raise(4, 4);
    Files.write(dir.resolve("s.audit.head"), new byte[0]);
    assertTrue(m.read().isEmpty());
    m.check(1, 1);
  }
}
