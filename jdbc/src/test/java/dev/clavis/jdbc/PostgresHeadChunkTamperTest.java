package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.Postgres;
import dev.clavis.testkit.TcpProxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk rows of the head ({@code clavis_head_chunk}) edited with psql: a body with a flipped byte,
 * a body moved from another chunk row, a body under another keyring's id and a body far larger
 * than any chunk are each refused as {@code TAMPERED} at open or at a running keyring's reload;
 * nothing is changed by the refusal (the keyring opens again once the row is put back), and an
 * oversized body is never downloaded.
 */
class PostgresHeadChunkTamperTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "chunk".getBytes(StandardCharsets.UTF_8);
  /** Over 64 KiB of metadata (about 116 bytes a key): two chunks at least, wherever the cuts fall. */
  private static final int KEYS = 800;
  private static final String MAIN = "(SELECT id FROM clavis_keyring WHERE name = 'main')";
  private static final String TAG = "fails its authentication tag: the chunk row was edited or copied from another"
      + " keyring";

  @TempDir
  Path marks;
  PgKeyrings pgk;
  byte[] envelope;

  @BeforeEach
  void keyringOfSeveralChunks() {
    pgk = new PgKeyrings(marks);
    try (Keyring k = pgk.keyring("main")) {
      k.importKeys(dev.clavis.testkit.RandomKeys.aes256(KEYS), KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      envelope = k.encrypt("orders", PLAIN, AAD);
    }
    assertTrue(metadataChunks() >= 2, "the metadata is " + metadataChunks() + " chunk(s)");
  }

  private int metadataChunks() {
    return Integer.parseInt(pgk.psql("SELECT (length(metadata) - 5) / 36 FROM clavis_keyring WHERE name = 'main'")
        .strip());
  }

  /** @return the id of the metadata's chunk {@code i}, as read from the head's list (5-byte header, 36 an entry) */
  private static String metadataChunk(int i) {
    return "(SELECT substring(metadata FROM " + (6 + 36 * i) + " FOR 32) FROM clavis_keyring WHERE name = 'main')";
  }

  /** Keeps a copy of every chunk row, to put back after the refusal. */
  private void save() {
    pgk.psql("CREATE TABLE saved AS SELECT * FROM clavis_head_chunk");
  }

  private void restore() {
    pgk.psql("UPDATE clavis_head_chunk c SET body = s.body FROM saved s WHERE c.keyring_id = s.keyring_id"
        + " AND c.id = s.id");
  }

  private StoreDamagedException refusedAtOpen() {
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> pgk.keyring("main").close());
    assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("keyring 'main'"), e.getMessage());
    return e;
  }

  private void opensAsBefore() {
    try (Keyring k = pgk.keyring("main")) {
      assertArrayEquals(PLAIN, k.decrypt(envelope, AAD));
      assertEquals(KEYS + 1, k.list().size());
    }
  }

  @Test
  void aFlippedByteInAChunksCiphertext_isRefusedAtOpen_andTheKeyringOpensOncePutBack() {
    save();
    // byte 100 of the ciphertext, past the 12-byte IV and far from the 16-byte tag at the end
    pgk.psql("UPDATE clavis_head_chunk SET body = set_byte(body, 112, get_byte(body, 112) # 1)"
        + " WHERE keyring_id = " + MAIN + " AND id = " + metadataChunk(0));
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains("a metadata chunk its head (generation"), e.getMessage());
    assertTrue(e.getMessage().contains(TAG), e.getMessage());
    restore();
    opensAsBefore();
  }

  @Test
  void aBodyCopiedFromAnotherChunkOfTheSameDocument_isRefusedAtOpen_andTheKeyringOpensOncePutBack() {
    save();
    // a genuine body, sealed by this keyring under its key for this document: only the id in its AAD tells
    pgk.psql("UPDATE clavis_head_chunk SET body = (SELECT body FROM clavis_head_chunk WHERE keyring_id = " + MAIN
        + " AND id = " + metadataChunk(1) + ") WHERE keyring_id = " + MAIN + " AND id = " + metadataChunk(0));
    StoreDamagedException e = refusedAtOpen();
    assertTrue(e.getMessage().contains(TAG), e.getMessage());
    restore();
    opensAsBefore();
  }

  @Test
  void aFlippedByteInAChunkOfANewHead_isRefusedByARunningKeyringsReload_andItReadsOnOncePutBack() throws Exception {
    try (Keyring a = pgk.keyring("main")) {
      assertArrayEquals(PLAIN, a.decrypt(envelope, AAD));
      Set<String> before = chunkIds();
      try (Keyring b = pgk.keyring("main")) {
        b.rotate("orders", "another host");
      }
      Set<String> written = chunkIds();
      written.removeAll(before);
      assertTrue(!written.isEmpty(), "the rotation wrote new chunks");
      save();
      String one = written.iterator().next();
      // the first byte of its ciphertext: a chunk at the end of a document may be short
      pgk.psql("UPDATE clavis_head_chunk SET body = set_byte(body, 12, get_byte(body, 12) # 1)"
          + " WHERE keyring_id = " + MAIN + " AND id = decode('" + one + "', 'hex')");
      StoreDamagedException e = awaitRefusal(a);
      assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(TAG), e.getMessage());
      restore();
      PostgresKeyRingAssertions.versions(a, "orders", 2);
      assertArrayEquals(PLAIN, a.decrypt(envelope, AAD));
    }
    opensAsBefore();
  }

  private Set<String> chunkIds() {
    return new HashSet<>(Arrays.asList(pgk.psql("SELECT encode(id, 'hex') FROM clavis_head_chunk WHERE keyring_id = "
        + MAIN).strip().split("\n")));
  }

  /** @return what the running keyring throws once it sees the new head (up to 5 s) */
  private static StoreDamagedException awaitRefusal(Keyring k) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        int versions = k.find("orders").orElseThrow().versions().size();
        assertEquals(1, versions, "the new head was read without its tampered chunk");
      } catch (StoreDamagedException e) {
        return e;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the running keyring did not read the new head");
  }

  /**
   * Two keyrings under one key set (which Clavis never makes: each has its own master key, so this
   * is the last of the bindings): the same content has the same chunk id in both, and a body moved
   * from one to the other opens only if the keyring's id is left out of its AAD.
   */
  @Test
  void aBodyUnderAnotherKeyringsId_isRefused_evenWhereBothKeyringsHadOneKey() throws Exception {
    pgk.keyring("x").close();
    pgk.keyring("y").close();
    UUID x = UUID.fromString(pgk.psql("SELECT id FROM clavis_keyring WHERE name = 'x'").strip());
    UUID y = UUID.fromString(pgk.psql("SELECT id FROM clavis_keyring WHERE name = 'y'").strip());
    byte[] master = Bytes.random(MasterKeyRow.MASTER_LENGTH);
    HeadChunks ofX = new HeadChunks(x, new DbKeys(master.clone()), "x");
    HeadChunks ofY = new HeadChunks(y, new DbKeys(master.clone()), "y");
    byte[] doc = Bytes.random(40_000);
    try (Connection c = DriverManager.getConnection(pgk.url)) {
      HeadChunks.Written w = ofX.write(c, Map.of(), 0, doc, new byte[0]);
      Map<ByteBuffer, byte[]> none = Map.of();
      assertArrayEquals(doc, ofX.assemble(c, HeadChunks.METADATA, w.metadataList(), 1, none, new HashMap<>()));
      pgk.psql("INSERT INTO clavis_head_chunk SELECT '" + y + "', id, body FROM clavis_head_chunk"
          + " WHERE keyring_id = '" + x + "'");
      StoreDamagedException e = assertThrows(StoreDamagedException.class,
          () -> ofY.assemble(c, HeadChunks.METADATA, w.metadataList(), 1, none, new HashMap<>()));
      assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(TAG), e.getMessage());
    } finally {
      ofX.wipe();
      ofY.wipe();
    }
  }

  /**
   * A body far longer than {@link HeadChunks#MAX_BODY} is read as NULL: refused, and never sent to
   * the reader (a hostile row cannot make every host download and allocate it at each open).
   */
  @Test
  void anOversizedBody_isRefusedAtOpen_withoutBeingDownloaded() throws Exception {
    int huge = 8 << 20;
    save();
    pgk.psql("UPDATE clavis_head_chunk SET body = decode(repeat('5a', " + huge + "), 'hex') WHERE keyring_id = "
        + MAIN + " AND id = " + metadataChunk(0));
    assertEquals(Integer.toString(huge), pgk.psql("SELECT max(length(body)) FROM clavis_head_chunk").strip());
    try (TcpProxy proxy = TcpProxy.to(pgk.pg.host(), pgk.pg.port())) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pgk.db + "?user=" + Postgres.USER
          + "&password=" + Postgres.PASSWORD;
      StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> new PostgresBackendFactory()
          .open(url, pgk.props("main"), TestStores.PASSWORD.toCharArray(), PgKeyrings.kdf(), false).close());
      assertEquals(StoreDamagedException.Kind.TAMPERED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(TAG), e.getMessage());
      long read = proxy.bytesToClients();
      assertTrue(read < huge / 8, "the open downloaded " + read + " bytes with a body of " + huge + " in a row");
    }
    restore();
    opensAsBefore();
  }
}
