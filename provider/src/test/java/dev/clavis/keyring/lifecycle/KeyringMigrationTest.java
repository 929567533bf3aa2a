package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyringMigration}: a whole keyring copied into a new one over another backend (file to file here). */
class KeyringMigrationTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private Keyring open(String name) {
    return Keyrings.open(KeyringOptions.file(dir.resolve(name)).password("pw".toCharArray())
        .kdfForNew(TestStores.FAST_KDF));
  }

  /** Every key and version as the API shows them: what a migration must keep. */
  private static String describe(Keyring k) {
    return k.listAll().stream().map(KeyringMigrationTest::describe).collect(Collectors.joining("\n"));
  }

  private static String describe(KeyInfo i) {
    StringBuilder b = new StringBuilder(i.name() + " " + i.algorithm() + " " + i.policy() + " " + i.metadata()
        + " primary=" + i.primary().map(v -> v.version()).orElse(0));
    for (KeyVersionInfo v : i.versions()) {
      b.append("\n  ").append(v).append(" created=").append(v.created()).append(" reason=").append(v.reason());
    }
    return b.toString();
  }

  private static List<String> actions(Keyring k) {
    return k.auditLog().events().stream().map(AuditEvent::action).collect(Collectors.toList());
  }

  /** A source with rotated, suspended, destroyed, exportable and non-exportable keys, policies and metadata. */
  private static byte[][] populate(Keyring src) {
    src.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults(),
        KeyMetadata.builder().purpose("card data").tag("team", "pay").build());
    byte[] old = src.encrypt("payments", "before rotation".getBytes(StandardCharsets.UTF_8), AAD);
    src.rotate("payments", "yearly");
    byte[] current = src.encrypt("payments", "after rotation".getBytes(StandardCharsets.UTF_8), AAD);
    src.create("export", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().exportable(true).build());
    src.create("paused", KeyAlgorithm.AES_128, KeyPolicy.defaults());
    src.suspend(KeyRef.of("paused", 1), "incident 7");
    src.create("gone", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    src.rotate("gone", null);
    src.destroyNow(KeyRef.of("gone", 1), true);
    return new byte[][] {old, current};
  }

  @Test
  void migrate_copiesEveryKeyVersionStatePolicyAndMetadata_andLeavesTheSourceUntouched() {
    try (Keyring src = open("src.clavis")) {
      populate(src);
    } // closed: its usage reservations settled (another process's open ones would count as used in the copy)
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      String before = describe(src);
      KeyringMigration.Summary s = KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertEquals(before, describe(src), "the source's keys are untouched");
      assertEquals(before, describe(dst));
      assertEquals(4, s.keys());
      assertEquals(6, s.versions());
      assertEquals(5, s.materials(), "the destroyed version travels without material");
      assertEquals(KeyState.DESTROYED, dst.find("gone").orElseThrow().versions().get(0).state());
      assertTrue(actions(src).contains("migrate-out"));
      assertEquals("migrate-in", actions(dst).get(actions(dst).size() - 1));
      src.auditLog().verify();
      dst.auditLog().verify();
    }
  }

  @Test
  void migratedKeyring_opensTheSourcesEnvelopes_withNonExportableMaterial() {
    byte[][] envelopes;
    byte[] exported;
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      envelopes = populate(src);
      exported = src.exportKey(KeyRef.of("export"));
      KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
    }
    try (Keyring dst = open("dst.clavis")) { // reopened: the former id is in its metadata
      assertEquals("before rotation", new String(dst.decrypt(envelopes[0], AAD), StandardCharsets.UTF_8));
      assertEquals("after rotation", new String(dst.decrypt(envelopes[1], AAD), StandardCharsets.UTF_8));
      assertArrayEquals(exported, dst.exportKey(KeyRef.of("export")));
      assertThrows(KeyringException.class, () -> dst.exportKey(KeyRef.of("payments")),
          "a non-exportable key stays so");
    }
  }

  @Test
  void migratedKeyring_stillRefusesEnvelopesOfAThirdKeyring() {
    byte[] foreign;
    try (Keyring other = open("other.clavis")) {
      other.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      foreign = other.encrypt("payments", "x".getBytes(StandardCharsets.UTF_8), AAD);
    }
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      populate(src);
      KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      KeyringException e = assertThrows(KeyringException.class, () -> dst.decrypt(foreign, AAD));
      assertTrue(e.getMessage().contains("made by another keyring"), e.getMessage());
    }
  }

  @Test
  void migrate_intoANonEmptyKeyring_isRefused_andNothingIsWrittenToEither() throws Exception {
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      populate(src);
      dst.create("mine", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] srcBytes = Files.readAllBytes(dir.resolve("src.clavis"));
      byte[] dstBytes = Files.readAllBytes(dir.resolve("dst.clavis"));
      KeyringException e = assertThrows(KeyringException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertTrue(e.getMessage().startsWith("refusing to migrate into") && e.getMessage().contains("holds 1 key;"),
          e.getMessage());
      assertArrayEquals(srcBytes, Files.readAllBytes(dir.resolve("src.clavis")));
      assertArrayEquals(dstBytes, Files.readAllBytes(dir.resolve("dst.clavis")));
      assertEquals(List.of("mine"), dst.list().stream().map(KeyInfo::name).collect(Collectors.toList()));
    }
  }

  @Test
  void migrate_intoItself_isRefused() {
    try (Keyring src = open("src.clavis")) {
      populate(src);
      assertThrows(KeyringException.class, () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) src));
    }
  }

  @Test
  void storeSettings_keepTheMigrationsSettings_deletionWindowIncluded() {
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.setMinimumDeletionWindow(Duration.ofDays(30), false);
      KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertEquals(Duration.ofDays(30), dst.minimumDeletionWindow());
    }
  }

  @Test
  void formerIds_roundTripThroughTheMetadataDocument_asANonDroppableStoreTag() {
    StoreSettings s = StoreSettings.DEFAULT.withFormerIds(List.of("0123456789abcdef", "fedcba9876543210"));
    MetadataCodec.Document d = MetadataCodec.decode(MetadataCodec.encode(Map.of(), s, 3, new byte[32]));
    assertEquals(s.formerIds(), d.settings().formerIds());
    assertEquals(0, Extensions.STORE_FORMER_IDS & Extensions.IGNORABLE);
    assertFalse(StoreSettings.DEFAULT.withFormerIds(List.of()).formerIds().iterator().hasNext());
    assertThrows(IllegalArgumentException.class, () -> StoreSettings.DEFAULT.withFormerIds(List.of("xyz")));
  }
  @Test
  void migrate_ofAStoreWithAQuorum_needsItsApproval_andTheTargetTakesTheQuorum() {
    dev.clavis.keyring.CustodianKey c1 = dev.clavis.keyring.CustodianKey.generate();
    dev.clavis.keyring.CustodianKey c2 = dev.clavis.keyring.CustodianKey.generate();
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      src.setQuorum(dev.clavis.keyring.CustodianQuorum.of(2, List.of(c1.publicKey(), c2.publicKey())));
      int before = src.auditLog().events().size();
      dev.clavis.keyring.QuorumRequiredException e = assertThrows(dev.clavis.keyring.QuorumRequiredException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertEquals("migrate", e.request().operation());
      assertEquals(before, src.auditLog().events().size(), "nothing recorded for the refused migration");
      assertTrue(dst.list().isEmpty(), "nothing copied");
      List<dev.clavis.keyring.Approval> ok = List.of(dev.clavis.keyring.Approval.sign(e.request(), c1),
          dev.clavis.keyring.Approval.sign(e.request(), c2));
      dev.clavis.keyring.Approvals.with(ok, () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertEquals(1, dst.list().size());
      assertEquals(src.quorum(), dst.quorum(), "the copy keeps its dual control");
    }
  }

  @Test
  void migrate_intoAnEmptyTargetWithAQuorum_needsTheTargetsQuorum_askedBeforeTheSourceIsTouched() {
    dev.clavis.keyring.CustodianKey t1 = dev.clavis.keyring.CustodianKey.generate();
    dev.clavis.keyring.CustodianKey t2 = dev.clavis.keyring.CustodianKey.generate();
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      dst.setQuorum(dev.clavis.keyring.CustodianQuorum.of(2, List.of(t1.publicKey(), t2.publicKey())));
      int srcEvents = src.auditLog().events().size();
      dev.clavis.keyring.QuorumRequiredException e = assertThrows(dev.clavis.keyring.QuorumRequiredException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertEquals("migrate-in", e.request().operation());
      assertEquals(((KeyringEngine) dst).keyringIdHex(), e.request().store());
      assertEquals(((KeyringEngine) src).keyringIdHex(), e.request().params().get("fromId"));
      assertEquals(srcEvents, src.auditLog().events().size(), "the source is not touched before the target agrees");
      assertTrue(dst.list().isEmpty());
      assertTrue(dst.quorum().isPresent(), "the target keeps its quorum");
      List<dev.clavis.keyring.Approval> ok = List.of(dev.clavis.keyring.Approval.sign(e.request(), t1),
          dev.clavis.keyring.Approval.sign(e.request(), t2));
      dev.clavis.keyring.Approvals.with(ok, () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertEquals(1, dst.list().size());
      assertTrue(actions(dst).contains("quorum-approval"), actions(dst).toString());
    }
  }

  @Test
  void migrate_betweenTwoKeyringsWithQuorums_takesBothQuorumsApprovalsInOneList() {
    List<dev.clavis.keyring.CustodianKey> s = List.of(dev.clavis.keyring.CustodianKey.generate(),
        dev.clavis.keyring.CustodianKey.generate());
    List<dev.clavis.keyring.CustodianKey> t = List.of(dev.clavis.keyring.CustodianKey.generate(),
        dev.clavis.keyring.CustodianKey.generate());
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      src.setQuorum(dev.clavis.keyring.CustodianQuorum.of(2, List.of(s.get(0).publicKey(), s.get(1).publicKey())));
      dst.setQuorum(dev.clavis.keyring.CustodianQuorum.of(2, List.of(t.get(0).publicKey(), t.get(1).publicKey())));
      dev.clavis.keyring.QuorumRequiredException forTarget = assertThrows(
          dev.clavis.keyring.QuorumRequiredException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      List<dev.clavis.keyring.Approval> target = List.of(dev.clavis.keyring.Approval.sign(forTarget.request(), t.get(0)),
          dev.clavis.keyring.Approval.sign(forTarget.request(), t.get(1)));
      dev.clavis.keyring.QuorumRequiredException forSource = assertThrows(
          dev.clavis.keyring.QuorumRequiredException.class, () -> dev.clavis.keyring.Approvals.with(target,
              () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst)));
      assertEquals("migrate", forSource.request().operation());
      List<dev.clavis.keyring.Approval> both = new java.util.ArrayList<>(target);
      both.add(dev.clavis.keyring.Approval.sign(forSource.request(), s.get(0)));
      both.add(dev.clavis.keyring.Approval.sign(forSource.request(), s.get(1)));
      dev.clavis.keyring.Approvals.with(both, () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertEquals(1, dst.list().size());
      assertEquals(src.quorum(), dst.quorum(), "the copy takes the source's dual control");
    }
  }

  @Test
  void migrate_intoAnEmptyTargetWithSettingsOfItsOwnAndNoQuorum_isRefused_andNothingIsWritten() throws Exception {
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      dst.setMinimumDeletionWindow(Duration.ofDays(30), false);
      byte[] srcBytes = Files.readAllBytes(dir.resolve("src.clavis"));
      byte[] dstBytes = Files.readAllBytes(dir.resolve("dst.clavis"));
      KeyringException e = assertThrows(KeyringException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertTrue(e.getMessage().contains("has settings of its own (minimum deletion window PT720H)"), e.getMessage());
      assertArrayEquals(srcBytes, Files.readAllBytes(dir.resolve("src.clavis")));
      assertArrayEquals(dstBytes, Files.readAllBytes(dir.resolve("dst.clavis")));
      assertEquals(Duration.ofDays(30), dst.minimumDeletionWindow());
    }
  }

  /** A file store's backend that records which material is read, and may run something at a read. */
  private static final class Watched extends dev.clavis.keyring.spi.ForwardingKeyBackend {
    final List<KeyRef> read = new java.util.ArrayList<>();
    Runnable atSecondRead;

    Watched(dev.clavis.keyring.spi.KeyBackend inner) {
      super(inner);
    }

    @Override
    public java.util.Optional<dev.clavis.keyring.spi.KeyMaterial> material(KeyRef version) {
      if (read.contains(version) && atSecondRead != null) {
        Runnable r = atSecondRead;
        atSecondRead = null;
        r.run();
      }
      read.add(version);
      return inner.material(version);
    }
  }

  private Watched watched(String name) {
    return new Watched(dev.clavis.keyring.file.FileKeyBackend.open(dir.resolve(name), "pw".toCharArray(),
        TestStores.FAST_KDF));
  }

  @Test
  void migrate_neverReadsTheMaterialOfADestroyedVersion() {
    try (Keyring src = open("src.clavis")) {
      populate(src);
    }
    Watched b = watched("src.clavis");
    try (Keyring src = Keyrings.open(b); Keyring dst = open("dst.clavis")) {
      KeyringMigration.Summary s = KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertEquals(5, s.materials());
      assertFalse(b.read.contains(KeyRef.of("gone", 1)), "read the material of a destroyed version: " + b.read);
      assertTrue(b.read.contains(KeyRef.of("gone", 2)), b.read.toString());
      assertEquals(KeyState.DESTROYED, dst.find("gone").orElseThrow().versions().get(0).state());
    }
  }

  @Test
  void migrate_whenTheSourceCommitsDuringTheCopy_isRefusedAsChanged_andTheTargetStaysEmpty_thenARetryWorks() {
    try (Keyring src = open("src.clavis")) {
      populate(src);
    }
    Watched b = watched("src.clavis");
    try (Keyring src = Keyrings.open(b); Keyring dst = open("dst.clavis")) {
      // another process rotates while the material is read for the copy (the second read of a version)
      b.atSecondRead = () -> {
        try (Keyring other = open("src.clavis")) {
          other.rotate("payments", "during the migration");
        }
      };
      KeyringException e = assertThrows(KeyringException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertTrue(e.getMessage().startsWith("source changed during migration, retry"), e.getMessage());
      assertTrue(dst.list().isEmpty(), "nothing was written to the target");
      assertFalse(actions(dst).contains("migrate-in"));
      KeyringMigration.Summary s = KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertEquals(3, dst.find("payments").orElseThrow().versions().size(), "the retry copies the newer state");
      assertEquals(4, s.keys());
    }
  }
}
