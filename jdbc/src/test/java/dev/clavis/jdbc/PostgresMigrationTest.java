package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.QuorumRequiredException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.lifecycle.KeyringMigration;
import dev.clavis.testkit.Postgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyringMigration} between a file store and a keyring in a real PostgreSQL server. */
class PostgresMigrationTest {

  @TempDir Path dir;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(dir);
  }

  private Keyring file(String name) {
    return Keyrings.open(KeyringOptions.file(dir.resolve(name)).password("pw".toCharArray())
        .kdfForNew(TestStores.FAST_KDF));
  }

  @Test
  void theMigrateApproval_namesTheTargetsHostPortAndDatabase_neverItsPasswordOrProperties() {
    CustodianKey c1 = CustodianKey.generate();
    CustodianKey c2 = CustodianKey.generate();
    try (Keyring src = file("src.clavis"); Keyring dst = pgk.keyring("moved")) {
      src.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      src.setQuorum(CustodianQuorum.of(2, List.of(c1.publicKey(), c2.publicKey())));
      QuorumRequiredException e = assertThrows(QuorumRequiredException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      String to = e.request().params().get("to");
      assertTrue(to.contains(pgk.pg.host() + ":" + pgk.pg.port() + "/" + pgk.db), to);
      assertFalse(to.contains(Postgres.PASSWORD), to);
      assertFalse(to.contains("password") || to.contains("user=") || to.contains("?"), to);
    }
  }

  /** The source's backend, running {@code atSecondRead} when a version's material is read a second time. */
  private static final class Hooked extends dev.clavis.keyring.spi.ForwardingKeyBackend {
    final java.util.Set<dev.clavis.keyring.KeyRef> read = new java.util.HashSet<>();
    Runnable atSecondRead;

    Hooked(PostgresKeyBackend inner) {
      super(inner);
    }

    @Override
    public java.util.Optional<dev.clavis.keyring.spi.KeyMaterial> material(dev.clavis.keyring.KeyRef version) {
      if (!read.add(version) && atSecondRead != null) {
        Runnable r = atSecondRead;
        atSecondRead = null;
        r.run();
      }
      return inner.material(version);
    }
  }

  @Test
  void anotherHostRotatingTheSourceDuringTheCopy_refusesIt_theTargetStaysEmpty_andARetryCopiesTheNewerState(
      @TempDir Path hostB) {
    try (Keyring k = pgk.keyring("src")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.rotate("orders", "before the migration");
      k.create("users", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    java.util.Properties b = pgk.props("src");
    b.setProperty(PostgresBackendFactory.COMMIT_MARK, hostB.resolve("src.mark").toString());
    Hooked hooked = new Hooked(pgk.backend("src"));
    try (Keyring src = Keyrings.open(hooked); Keyring dst = pgk.keyring("dst")) {
      hooked.atSecondRead = () -> {
        try (Keyring other = Keyrings.open(pgk.backend("src", b, TestStores.PASSWORD, false))) {
          other.rotate("orders", "on host B, during the migration");
        }
      };
      dev.clavis.keyring.KeyringException e = assertThrows(dev.clavis.keyring.KeyringException.class,
          () -> KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst));
      assertTrue(e.getMessage().startsWith("source changed during migration, retry"), e.getMessage());
      assertTrue(dst.list().isEmpty(), "nothing was written to the target");
      assertEquals("0", pgk.psql("SELECT count(*) FROM clavis_key_version v JOIN clavis_keyring k"
          + " ON k.id = v.keyring_id WHERE k.name = 'dst'"));
      KeyringMigration.Summary s = KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertEquals(2, s.keys());
      assertEquals(3, dst.find("orders").orElseThrow().versions().size(), "the retry copies host B's rotation");
    }
  }
}
