package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringsTest {

  static final KdfParameters FAST = TestStores.FAST_KDF;

  @TempDir Path dir;

  @Test
  void openFile_createsStore_andReopensWithKeysAndData() {
    Path f = dir.resolve("k.clavis");
    byte[] env;
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST)) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("payments", "hello".getBytes(StandardCharsets.UTF_8), null);
    }
    assertTrue(Files.exists(f));
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray())) {
      assertEquals(1, k.list().size());
      assertEquals("hello", new String(k.decrypt(env, null), StandardCharsets.UTF_8));
      assertEquals(1, k.find("payments").orElseThrow().latest().usageCount());
    }
  }

  @Test
  void openFile_wrongPassword_throwsWrongPassword_andLeavesFileUntouched() throws Exception {
    Path f = dir.resolve("k.clavis");
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST)) {
      k.create("a", KeyAlgorithm.AES_128, KeyPolicy.defaults());
    }
    byte[] before = Files.readAllBytes(f);
    assertThrows(WrongPasswordException.class, () -> Keyrings.openFile(f, "nope".toCharArray()));
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void openFile_newStoreBelowOwaspMinimum_isRefused_andCreatesNothing() throws Exception {
    Path f = dir.resolve("weak.clavis");
    WeakKdfException e = assertThrows(WeakKdfException.class,
        () -> Keyrings.openFile(f, "pw".toCharArray(), KdfParameters.argon2id(1, 64, 1)));
    assertTrue(e.getMessage().contains("OWASP") && e.getMessage().contains("allowingWeak"), e.getMessage());
    assertTrue(!Files.exists(f), "nothing created");
    assertThrows(WeakKdfException.class, () -> Keyrings.openFile(f, "pw".toCharArray(), KdfParameters.pbkdf2(1000)));
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "nothing created, not even a lock file");
    }
  }

  @Test
  void migrateKdf_toWeakSettings_isRefused_andLeavesFileUntouched() throws Exception {
    Path f = dir.resolve("k.clavis");
    Keyrings.openFile(f, "pw".toCharArray(), FAST).close();
    byte[] before = Files.readAllBytes(f);
    assertThrows(WeakKdfException.class, () -> Keyrings.migrateKdf(f, "pw".toCharArray(), KdfParameters.pbkdf2(1000)));
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void migrateKdfAndChangePassword_areAudited_inTheSameWrite() {
    Path f = dir.resolve("k.clavis");
    Keyrings.openFile(f, "pw".toCharArray(), FAST).close();
    KdfParameters to = KdfParameters.argon2id(2, 64, 1).allowingWeak();
    Keyrings.migrateKdf(f, "pw".toCharArray(), to);
    Keyrings.changePassword(f, "pw".toCharArray(), "new pw".toCharArray());
    try (Keyring k = Keyrings.openFile(f, "new pw".toCharArray())) {
      java.util.List<AuditEvent> events = k.auditLog().events();
      AuditEvent m = events.get(events.size() - 2);
      assertEquals("migrate-kdf", m.action());
      assertEquals(FAST.toString(), m.details().get("from"));
      assertEquals(to.toString(), m.details().get("to"));
      AuditEvent p = events.get(events.size() - 1);
      assertEquals("passwd", p.action());
      assertEquals(to.toString(), p.details().get("kdf"));
      assertEquals(events.size(), k.auditLog().verify());
      assertTrue(events.stream().noneMatch(e -> e.toString().contains("new pw")), "no password in the log");
    }
  }
}
