package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The smaller lifecycle faults: notes, times and advice after transitions, and audited exports. */
class LifecycleNotesTest {

  static final KdfParameters FAST = KdfParameters.argon2id(1, 64, 1).allowingWeak();

  MutableClock clock;
  KeyringEngine ring;

  @BeforeEach
  void open() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ring = new KeyringEngine(FileKeyBackend.inMemory(FAST), clock, Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private KeyVersionInfo v(String name, int version) {
    return ring.find(name).orElseThrow().version(version).orElseThrow();
  }

  @Test
  void cancelDestruction_restoresActiveWithoutDeactivatedTime_andKeepsEachVersionsNote() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate("k", "yearly rotation");
    ring.scheduleDestruction(KeyRef.of("k"), Duration.ofDays(7));
    ring.cancelDestruction("k");
    KeyVersionInfo v2 = v("k", 2);
    assertEquals(KeyState.ACTIVE, v2.state());
    assertTrue(v2.deactivated().isEmpty(), "an ACTIVE version is not deactivated: " + v2.deactivated());
    assertTrue(v2.destroyAt().isEmpty());
    assertEquals(KeyState.DEPRECATED, v("k", 1).state());
    assertEquals("rotated to #2", v("k", 1).reason().orElse(null), "version 1 keeps its own note");
    assertTrue(v("k", 1).deactivated().isPresent(), "a DEPRECATED version stays deactivated");
    // the audit log still tells the whole story
    assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("cancel-destroy")));
  }

  @Test
  void resume_replacesTheSuspensionNote_andClearsDeactivated() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.suspend(KeyRef.of("k"), "incident 42");
    assertEquals("incident 42", v("k", 1).reason().orElse(null));
    ring.resume(KeyRef.of("k"));
    assertEquals(KeyState.ACTIVE, v("k", 1).state());
    assertFalse(v("k", 1).reason().orElse("").contains("incident 42"), "the note no longer says suspended");
    assertTrue(v("k", 1).deactivated().isEmpty());
  }

  @Test
  void beginRotation_recordsTheGivenReason() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.beginRotation("k", "key ceremony 7");
    assertEquals("key ceremony 7", v("k", 1).reason().orElse(null));
    assertEquals("key ceremony 7", v("k", 2).reason().orElse(null));
    assertTrue(ring.auditLog().events().stream()
        .anyMatch(e -> e.action().equals("rotate-begin") && "key ceremony 7".equals(e.details().get("reason"))));
  }

  @Test
  void cancelDestruction_ofAVersionThatIsNoLongerPrimary_returnsDeprecated() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.scheduleDestruction(KeyRef.of("k", 1), Duration.ofDays(7));
    ring.rotate("k", null);
    ring.cancelDestruction("k");
    assertEquals(KeyState.DEPRECATED, v("k", 1).state(), "only the primary encrypts");
    assertEquals(KeyState.ACTIVE, v("k", 2).state());
  }

  @Test
  void exportKey_isAudited_withoutTheMaterial() {
    ring.create("x", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    byte[] raw = ring.exportKey(KeyRef.of("x"));
    List<AuditEvent> ex = ring.auditLog().events().stream().filter(e -> e.action().equals("export")).toList();
    assertEquals(1, ex.size(), "one export, one record");
    assertEquals("x#1", ex.get(0).key());
    String hex = HexFormat.of().formatHex(raw);
    assertFalse(ex.get(0).toString().toLowerCase().contains(hex), "no material in the record");
    assertFalse(ex.get(0).details().values().stream().anyMatch(d -> d.toLowerCase().contains(hex)));
  }

  @Test
  void destroyedName_adviceIsNotCircular_andNamesWhatWorks() {
    ring.create("gone", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.destroyNow(KeyRef.of("gone"), true);
    String create = assertThrows(KeyringException.class,
        () -> ring.create("gone", KeyAlgorithm.AES_256, KeyPolicy.defaults())).getMessage();
    String rotate = assertThrows(IllegalStateException.class, () -> ring.rotate("gone", null)).getMessage();
    String cancel = assertThrows(IllegalStateException.class, () -> ring.cancelDestruction("gone")).getMessage();
    for (String m : List.of(create, rotate, cancel)) {
      assertTrue(m.contains("destroyed") && m.contains("do not reuse a destroyed name") && m.contains("another name"), m);
      assertFalse(m.contains("rotate it") || m.contains("cancel the destruction"), "no circular advice: " + m);
    }
    assertThrows(IllegalStateException.class, () -> ring.beginRotation("gone", null));
    // and the one path the advice names does work: an import adds a version under the name
    ring.importKey("gone", KeyAlgorithm.AES_256, new byte[32], KeyPolicy.defaults());
    assertEquals(KeyState.ACTIVE, v("gone", 2).state());
  }

  @Test
  void pendingName_createAdvisesCancelDestroy() {
    ring.create("doomed", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.scheduleDestruction(KeyRef.of("doomed"), Duration.ofDays(7));
    String create = assertThrows(KeyringException.class,
        () -> ring.create("doomed", KeyAlgorithm.AES_256, KeyPolicy.defaults())).getMessage();
    assertTrue(create.contains("cancel-destroy doomed"), create);
    ring.cancelDestruction("doomed"); // and that advice works
    assertEquals(KeyState.ACTIVE, v("doomed", 1).state());
  }
}
