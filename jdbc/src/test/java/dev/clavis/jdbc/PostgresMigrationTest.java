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
}
