package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 2's head: a commit to a large keyring writes a few chunks of its documents, not the
 * documents; no chunk is left behind that the head does not name; and another host follows.
 */
class PostgresHeadChunksTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private static final int KEYS = 3000;
  private static final String MAIN = "(SELECT id FROM clavis_keyring WHERE name = 'main')";

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void largeKeyring() {
    pgk = new PgKeyrings(marks);
    Map<String, byte[]> keys = dev.clavis.testkit.RandomKeys.aes256(KEYS);
    try (Keyring k = pgk.keyring("main")) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
  }

  /** @return every chunk row of main as "id xmin": a row written again gets a new xmin */
  private Set<String> chunkRows() {
    return new HashSet<>(Arrays.asList(pgk.psql("SELECT encode(id, 'hex') || ' ' || xmin FROM clavis_head_chunk"
        + " WHERE keyring_id = " + MAIN).strip().split("\n")));
  }

  private int listed() {
    // each list entry is 36 bytes after a 5-byte header
    return Integer.parseInt(pgk.psql("SELECT (length(metadata) - 5) / 36 + (length(manifest) - 5) / 36"
        + " FROM clavis_keyring WHERE name = 'main'").strip());
  }

  @Test
  void aRotationInALargeKeyringWritesAFewChunks_andLeavesNoneBehind() {
    Set<String> before = chunkRows();
    int documents = Integer.parseInt(pgk.psql("SELECT sum(length(body)) FROM clavis_head_chunk WHERE keyring_id = "
        + MAIN).strip());
    assertTrue(documents > 300_000, "the documents of " + KEYS + " keys are " + documents + " bytes");
    assertTrue(before.size() > 20, before.size() + " chunks");
    assertEquals(before.size(), listed(), "every chunk row is named by the head, and no other");
    try (Keyring k = pgk.keyring("main")) {
      k.rotate("k1500", "test");
    }
    Set<String> after = chunkRows();
    Set<String> written = new HashSet<>(after);
    written.removeAll(before);
    // the metadata's first chunk (the audit head), the key's chunk, the manifest's first (its count)
    // and the key's: 4, or a few more where a cut moved
    assertTrue(written.size() <= 8, written.size() + " of " + after.size() + " chunks were written by one rotation");
    assertEquals(after.size(), listed(), "the chunks the rotation stopped naming were deleted");
    int head = Integer.parseInt(pgk.psql("SELECT length(metadata) + length(manifest) FROM clavis_keyring"
        + " WHERE name = 'main'").strip());
    assertTrue(head < documents / 50, "the head row holds " + head + " bytes of lists");
  }

  @Test
  void anotherHostFollowsARotation_readingOnlyTheChunksThatChanged() throws Exception {
    PostgresKeyBackend bBackend = pgk.backend("main");
    try (Keyring a = pgk.keyring("main"); Keyring b = dev.clavis.keyring.Keyrings.open(bBackend)) {
      byte[] env1 = b.encrypt("k7", new byte[] {7}, AAD);
      long opened = bBackend.chunksFetched();
      assertTrue(opened > 20, "the open read every chunk: " + opened);
      a.rotate("k7", "test");
      PostgresKeyBackendTest.awaitVersions(b, "k7", 2);
      long followed = bBackend.chunksFetched() - opened;
      assertTrue(followed >= 1 && followed <= 8, "following one rotation read " + followed + " chunks of " + opened);
      byte[] env2 = b.encrypt("k7", new byte[] {8}, AAD);
      assertArrayEquals(new byte[] {8}, a.decrypt(env2, AAD));
      assertArrayEquals(new byte[] {7}, a.decrypt(env1, AAD));
      assertEquals(KEYS, b.list().size());
      a.create("fresh", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (b.find("fresh").isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the new key was not seen");
        Thread.sleep(10);
      }
      assertEquals(KEYS + 1, b.list().size());
    }
    try (Keyring k = pgk.keyring("main")) {
      assertEquals(KEYS + 1, k.list().size(), "the chunks as written open again");
      assertEquals(2, k.find("k7").orElseThrow().versions().size());
    }
  }

  @Test
  void aKeptChunkDeletedUnderARunningKeyring_isFoundByItsNextCommit() {
    try (Keyring k = pgk.keyring("main")) {
      k.rotate("k1", "before");
      pgk.psql("DELETE FROM clavis_head_chunk WHERE keyring_id = " + MAIN);
      dev.clavis.keyring.StoreDamagedException e = org.junit.jupiter.api.Assertions.assertThrows(
          dev.clavis.keyring.StoreDamagedException.class, () -> k.rotate("k2", "after"));
      assertEquals(dev.clavis.keyring.StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("are missing from clavis_head_chunk: the rows were deleted (found by a"
          + " commit"), e.getMessage());
    }
  }

  @Test
  void aChunkRowNoHeadNames_isDeletedByTheNextCommit() {
    pgk.psql("SET session_replication_role = replica; INSERT INTO clavis_head_chunk VALUES (" + MAIN
        + ", decode(repeat('ab', 32), 'hex'), '\\x00')");
    assertEquals(listed() + 1, chunkRows().size());
    try (Keyring k = pgk.keyring("main")) {
      k.rotate("k3", "test");
    }
    assertEquals(listed(), chunkRows().size(), "the stray row went with the chunks the commit dropped");
  }

  @Test
  void anOversizedChunkBody_isRefusedAsTampered() {
    pgk.psql("UPDATE clavis_head_chunk SET body = decode(repeat('00', 200000), 'hex') WHERE keyring_id = " + MAIN);
    dev.clavis.keyring.StoreDamagedException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.clavis.keyring.StoreDamagedException.class, () -> pgk.keyring("main").close());
    assertTrue(e.getMessage().contains("fails its authentication tag"), e.getMessage());
  }
}
