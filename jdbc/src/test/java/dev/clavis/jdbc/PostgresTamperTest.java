package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.StoreDamagedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows edited behind Clavis's back with psql, as someone with write access to the database would:
 * each is refused with a specific {@link StoreDamagedException} naming the keyring, key and version.
 */
class PostgresTamperTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "tamper".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path marks;
  PgKeyrings pgk;
  byte[] env1;
  byte[] env2;

  @BeforeEach
  void twoVersions() {
    pgk = new PgKeyrings(marks);
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env1 = k.encrypt("orders", PLAIN, AAD);
      k.rotate("orders", "test");
      env2 = k.encrypt("orders", PLAIN, AAD);
    }
  }

  private StoreDamagedException refusedAtOpen() {
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> pgk.keyring("main").close());
    assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("keyring 'main'"), e.getMessage());
    return e;
  }

  @Test
  void editedStateIsDetected() {
    pgk.psql("UPDATE clavis_key_version SET state = 'ACTIVE' WHERE name = 'orders' AND version = 1");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("key orders version 1 fails its MAC: its state column was edited from"
        + " DEPRECATED to ACTIVE"), e.getMessage());
  }

  @Test
  void swappedWrappedKeysAreDetectedWhenUsed() {
    try (Keyring k = pgk.keyring("main")) {
      pgk.psql("UPDATE clavis_key_version a SET wrapped = b.wrapped FROM clavis_key_version b"
          + " WHERE a.keyring_id = b.keyring_id AND a.name = b.name AND a.version <> b.version");
      StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> k.decrypt(env1, AAD));
      assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind());
      assertTrue(e.getMessage().contains("key orders version 1 fails its MAC: its wrapped key was swapped with the"
          + " one of orders version 2"), e.getMessage());
    }
  }

  @Test
  void rowCopiedFromAnotherKeyringIsDetected() {
    try (Keyring other = pgk.keyring("other")) {
      other.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    String other = "(SELECT id FROM clavis_keyring WHERE name = 'other')";
    String main = "(SELECT id FROM clavis_keyring WHERE name = 'main')";
    pgk.psql("INSERT INTO clavis_key_version SELECT " + main + ", 'copied', version, state, algorithm, exportable,"
        + " generation, wrapped, row_mac FROM clavis_key_version WHERE keyring_id = " + other);
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("the row of key copied version 1 is not recorded in the head"), e.getMessage());
    assertTrue(e.getMessage().contains("copied from another keyring"), e.getMessage());
  }

  @Test
  void rowReplacedByAnotherKeyringsRowIsDetected() {
    try (Keyring other = pgk.keyring("other")) {
      other.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      other.rotate("orders", "same states as main's");
    }
    pgk.psql("UPDATE clavis_key_version m SET wrapped = o.wrapped, row_mac = o.row_mac, generation = o.generation"
        + " FROM clavis_key_version o, clavis_keyring km, clavis_keyring ko"
        + " WHERE m.keyring_id = km.id AND km.name = 'main' AND o.keyring_id = ko.id AND ko.name = 'other'"
        + " AND m.name = o.name AND m.version = 1 AND o.version = 1");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("key orders version 1 fails its MAC under this keyring's key"), e.getMessage());
    assertTrue(e.getMessage().contains("copied from another keyring"), e.getMessage());
  }

  @Test
  void deletedNewestVersionIsDetected() {
    pgk.psql("DELETE FROM clavis_key_version WHERE name = 'orders' AND version = 2");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("key orders version 2 is recorded in the head"), e.getMessage());
    assertTrue(e.getMessage().contains("its row is missing: the row was deleted"), e.getMessage());
  }

  @Test
  void deletedVersionIsDetectedWhenUsedByAnOpenKeyring() {
    try (Keyring k = pgk.keyring("main")) {
      pgk.psql("DELETE FROM clavis_key_version WHERE name = 'orders' AND version = 2");
      StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> k.decrypt(env2, AAD));
      assertTrue(e.getMessage().contains("key orders version 2 is recorded in the head"), e.getMessage());
    }
  }

  @Test
  void destroyedVersionBroughtBackIsDetected() {
    pgk.psql("CREATE TABLE saved AS SELECT * FROM clavis_key_version WHERE name = 'orders' AND version = 1");
    try (Keyring k = pgk.keyring("main")) {
      assertArrayEquals(PLAIN, k.decrypt(env1, AAD));
      k.destroyNow(KeyRef.of("orders", 1), true);
    }
    assertEquals("DESTROYED|t", pgk.psql("SELECT state, wrapped IS NULL FROM clavis_key_version WHERE version = 1"));
    pgk.psql("UPDATE clavis_key_version v SET state = s.state, wrapped = s.wrapped, generation = s.generation,"
        + " row_mac = s.row_mac FROM saved s WHERE v.name = s.name AND v.version = s.version");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("the row of key orders version 1 (state DEPRECATED"), e.getMessage());
    assertTrue(e.getMessage().contains("an older copy of the row was put back (replayed: a destroyed version brought"
        + " back)"), e.getMessage());
  }

  @Test
  void editedHeadIsDetected() {
    pgk.psql("UPDATE clavis_keyring SET manifest = (SELECT manifest FROM clavis_keyring WHERE name = 'main')"
        + " || '\\x00'::bytea WHERE name = 'main'");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("its head row (generation"), e.getMessage());
    assertTrue(e.getMessage().contains("fails its MAC"), e.getMessage());
  }

  private static final String MAIN = "(SELECT id FROM clavis_keyring WHERE name = 'main')";

  @Test
  void editedHeadChunkIsDetected() {
    assertEquals("2", pgk.psql("SELECT count(*) FROM clavis_head_chunk WHERE keyring_id = " + MAIN).strip(),
        "the metadata and the manifest, one chunk each");
    pgk.psql("UPDATE clavis_head_chunk SET body = set_byte(body, 20, get_byte(body, 20) # 1)"
        + " WHERE keyring_id = " + MAIN + " AND id = (SELECT id FROM clavis_head_chunk WHERE keyring_id = "
        + MAIN + " ORDER BY id LIMIT 1)");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("chunk its head (generation"), e.getMessage());
    assertTrue(e.getMessage().contains("fails its authentication tag: the chunk row was edited or copied from"
        + " another keyring"), e.getMessage());
  }

  @Test
  void deletedHeadChunkIsDetected() {
    pgk.psql("DELETE FROM clavis_head_chunk WHERE keyring_id = " + MAIN + " AND id = (SELECT id FROM"
        + " clavis_head_chunk WHERE keyring_id = " + MAIN + " ORDER BY id LIMIT 1)");
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("chunk(s) its head (generation"), e.getMessage());
    assertTrue(e.getMessage().contains("are missing from clavis_head_chunk: the rows were deleted"), e.getMessage());
  }

  @Test
  void headChunkCopiedFromAnotherKeyringIsDetected() {
    try (Keyring k = pgk.keyring("other")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    // every chunk of main gets the body of one of other's (same password, same key names)
    pgk.psql("UPDATE clavis_head_chunk SET body = (SELECT body FROM clavis_head_chunk WHERE keyring_id ="
        + " (SELECT id FROM clavis_keyring WHERE name = 'other') LIMIT 1) WHERE keyring_id = " + MAIN);
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("fails its authentication tag: the chunk row was edited or copied from"
        + " another keyring"), e.getMessage());
  }

  @Test
  void deletedHeadRowIsReportedAsDeleted_byARunningKeyring_notAsAnUnreachableDatabase() throws Exception {
    java.util.Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.MAX_STALENESS, "PT1S");
    try (Keyring k = dev.clavis.keyring.Keyrings.open(pgk.backend("main", p, dev.clavis.keyring.TestStores.PASSWORD,
        false))) {
      assertArrayEquals(PLAIN, k.decrypt(env2, AAD));
      pgk.psql("SET session_replication_role = replica; DELETE FROM clavis_keyring WHERE name = 'main'");
      long deadline = System.nanoTime() + 5_000_000_000L;
      RuntimeException e = null;
      while (e == null && System.nanoTime() < deadline) {
        try {
          k.find("orders"); // a read: no write (an encryption's usage reservation would meet the lock query)
          Thread.sleep(20);
        } catch (RuntimeException x) {
          e = x;
        }
      }
      assertTrue(e != null, "the running keyring kept serving a keyring whose head row was deleted");
      assertTrue(e instanceof StoreDamagedException, e.toString());
      assertEquals(StoreDamagedException.Kind.TAMPERED, ((StoreDamagedException) e).kind(), e.getMessage());
      assertTrue(e.getMessage().contains("its head row (id ") && e.getMessage().contains("is gone"), e.getMessage());
    }
  }
}
