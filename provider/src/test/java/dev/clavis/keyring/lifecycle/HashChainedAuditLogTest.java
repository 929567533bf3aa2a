package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashChainedAuditLogTest {

  static final char[] PW = "pw".toCharArray();
  @TempDir Path dir;
  Path store;
  Path log;

  @BeforeEach
  void fill() {
    store = dir.resolve("s.clavis");
    log = dir.resolve("s.clavis.audit");
    try (Keyring k = Keyrings.openFile(store, PW, TestStores.FAST_KDF)) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.rotate("a", "r1");
      k.suspend(KeyRef.of("a", 2), "s");
      k.resume(KeyRef.of("a", 2));
      k.revoke(KeyRef.of("a", 1), "why \"quoted\"\n");
    }
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
  }

  private String verifyFails(List<String> lines) throws Exception {
    Files.write(log, lines, StandardCharsets.UTF_8);
    Keyring k;
    try {
      k = Keyrings.openFile(store, PW);
    } catch (KeyringException e) {
      return e.getMessage(); // a log that does not match its store already fails at open
    }
    try (k) {
      return assertThrows(KeyringException.class, () -> k.auditLog().verify()).getMessage();
    }
  }

  @Test
  void verify_intactLog_countsEveryRecord() {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      long n = k.auditLog().verify();
      assertEquals(k.auditLog().events().size(), n);
      assertEquals(6, n);
      assertEquals("why \"quoted\"\n", k.auditLog().events().get(5).details().get("reason"));
    }
  }

  @Test
  void verify_editedRecord_namesIt() throws Exception {
    List<String> l = lines();
    l.set(2, l.get(2).replace("\"r1\"", "\"r2\""));
    String m = verifyFails(l);
    assertTrue(m.contains("line 3") && m.contains("edited"), m);
  }

  @Test
  void verify_deletedRecord_namesIt() throws Exception {
    List<String> l = lines();
    l.remove(1);
    String m = verifyFails(l);
    assertTrue(m.contains("record 2") && m.contains("deleted"), m);
  }

  @Test
  void verify_reorderedRecords_namesThem() throws Exception {
    List<String> l = lines();
    Collections.swap(l, 3, 4);
    String m = verifyFails(l);
    assertTrue(m.contains("reordered") || m.contains("deleted"), m);
    assertTrue(m.contains("4") || m.contains("5"), m);
  }

  @Test
  void verify_truncatedTail_isDetectedAgainstStoreHead() throws Exception {
    List<String> l = lines();
    String m = verifyFails(l.subList(0, 4));
    assertTrue(m.contains("truncated") && m.contains("record 6"), m);
  }

  @Test
  void verify_lineCutRightAfterMacMember_isDamaged_notStringIndexOutOfBounds() throws Exception {
    List<String> l = lines();
    String line = l.get(2);
    l.set(2, line.substring(0, line.lastIndexOf(",\"mac\":\"")) + ",\"mac\":\"}");
    String m = verifyFails(l);
    assertTrue(m.contains("line 3") && m.contains("damaged"), m);
  }

  @Test
  void events_damagedLine_throwsKeyringExceptionNamingIt() throws Exception {
    List<String> l = lines();
    l.set(1, "{\"seq\":\"two\",\"time\":42}");
    Files.write(log, l, StandardCharsets.UTF_8);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      String m = assertThrows(KeyringException.class, () -> k.auditLog().events()).getMessage();
      assertTrue(m.contains("line 2") && m.contains("damaged"), m);
    }
  }

  @Test
  void verify_forgedLineWithoutKey_failsMac() throws Exception {
    List<String> l = lines();
    l.add(l.get(5).replace("\"seq\":6", "\"seq\":7"));
    String m = verifyFails(l);
    assertTrue(m.contains("line 7") || m.contains("record 7"), m);
  }

  @Test
  void export_isJsonLines_withoutSecrets() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      StringWriter w = new StringWriter();
      k.auditLog().exportJsonLines(w);
      String[] out = w.toString().split("\n");
      assertEquals(6, out.length);
      for (String line : out) {
        Map<String, Object> o = Json.parseObject(line);
        assertTrue(o.containsKey("seq") && o.containsKey("action") && o.containsKey("mac"), line);
      }
    }
  }
}
