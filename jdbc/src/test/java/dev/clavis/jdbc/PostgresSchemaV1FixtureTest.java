package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.Postgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyring written by the schema-version-1 code (commit d230901, {@link SchemaV1FixtureMain}) and
 * dumped with {@code pg_dump} keeps opening: loaded into a fresh database, it opens with its
 * password, holds every key, version and state it was written with, decrypts, verifies and signs
 * as then, its audit log verifies, it takes new writes, and the schema is migrated to
 * {@link Schema#CURRENT}. The migration test "from every earlier version" for version 1.
 */
class PostgresSchemaV1FixtureTest {

  private static final String DUMP = "/schema-v1/keyring-v1.sql";
  private static final String RECORDS = "/schema-v1/keyring-v1.properties";

  @TempDir Path dir;
  Postgres pg;
  String db;
  Properties rec;

  @BeforeAll
  static void provider() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void load() throws IOException {
    pg = Postgres.require();
    db = pg.createDatabase();
    rec = new Properties();
    try (InputStream in = getClass().getResourceAsStream(RECORDS)) {
      rec.load(in);
    }
    loadDump(resource(DUMP));
  }

  @Test
  void theV1Dump_opensWithItsPassword_holdsEveryKeyVersionAndState_andIsMigratedToTheCurrentSchema() {
    try (Keyring k = open()) {
      assertFixture(k);
      assertEquals(Long.parseLong(rec.getProperty("audit.records")), k.auditLog().verify(),
          "the audit records written by version 1, all verified, none added by opening");
    }
    assertEquals(Integer.toString(Schema.CURRENT), pg.psql(db, "SELECT max(version) FROM clavis_schema"),
        "opening migrates the tables to the current schema");
  }

  @Test
  void theV1Dump_decryptsVerifiesAndSignsAsWhenItWasWritten() throws Exception {
    try (Keyring k = open()) {
      assertRecordsHold(k);
    }
  }

  @Test
  void theV1Dump_takesNewWrites_andEverythingHoldsAfterReopening() throws Exception {
    byte[] plain = "written after the migration".getBytes(StandardCharsets.UTF_8);
    byte[] env;
    long audit;
    try (Keyring k = open()) {
      assertEquals("0", pg.psql(db, "SELECT count(*) FROM clavis_head_chunk").strip(),
          "the migration made the table; the head is read in layout 1 until it is written");
      assertEquals(4, k.rotate("orders", "after the migration").version());
      // the first commit rewrote the head in layout 2: its columns are chunk lists, its chunks rows
      assertTrue(Integer.parseInt(pg.psql(db, "SELECT count(*) FROM clavis_head_chunk").strip()) >= 2);
      assertEquals("2|2", pg.psql(db, "SELECT get_byte(metadata, 0) || '|' || get_byte(manifest, 0)"
          + " FROM clavis_keyring").strip(), "the head's columns are lists of format 2");
      k.create("added", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("added", plain, SchemaV1FixtureMain.AAD);
      audit = k.auditLog().verify();
      assertTrue(audit > Long.parseLong(rec.getProperty("audit.records")), "the new writes are audited");
    }
    try (Keyring k = open()) {
      // close adds the usage summaries of the keys used: at least the records seen before it, all verified
      assertTrue(k.auditLog().verify() >= audit, "the records written after the migration verify after reopening");
      assertEquals(List.of("added", "mac", "old", "orders", "sig"), names(k));
      assertEquals(Map.of(1, KeyState.SUSPENDED, 2, KeyState.DEPRECATED, 3, KeyState.DEPRECATED, 4, KeyState.ACTIVE),
          states(k.find("orders").orElseThrow()));
      assertEquals(Map.of(1, KeyState.ACTIVE), states(k.find("added").orElseThrow()));
      assertArrayEquals(plain, k.decrypt(env, SchemaV1FixtureMain.AAD));
      assertRecordsHold(k);
      assertTrue(k.auditLog().verify() > audit);
    }
    assertEquals(Integer.toString(Schema.CURRENT), pg.psql(db, "SELECT max(version) FROM clavis_schema"));
  }

  @Test
  void theV1Dump_refusesAWrongPassword() {
    WrongPasswordException e = assertThrows(WrongPasswordException.class, () -> backend("not-the-fixture-password"));
    assertTrue(e.getMessage().contains("keyring '" + SchemaV1FixtureMain.KEYRING + "'"), e.getMessage());
  }

  @Test
  void theV1Dump_withOneByteOfItsHeadMacChanged_isRefusedAsDamaged() throws IOException {
    String other = pg.createDatabase();
    Path copy = dir.resolve("tampered.sql");
    Files.writeString(copy, withHeadMacByteFlipped(Files.readString(resource(DUMP))));
    String saved = db;
    db = other;
    loadDump(copy);
    try {
      StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> backend(SchemaV1FixtureMain.PASSWORD));
      assertTrue(e.getMessage().contains(SchemaV1FixtureMain.KEYRING), e.getMessage());
    } finally {
      db = saved;
    }
  }

  // ---------------------------------------------------------------- the fixture, as generated

  private static void assertFixture(Keyring k) {
    assertEquals(List.of("mac", "old", "orders", "sig"), names(k));
    KeyInfo orders = k.find("orders").orElseThrow();
    assertEquals(KeyAlgorithm.AES_256, orders.algorithm());
    assertEquals(Map.of(1, KeyState.SUSPENDED, 2, KeyState.DEPRECATED, 3, KeyState.ACTIVE), states(orders));
    assertEquals(3, orders.primary().orElseThrow().version());
    KeyInfo old = k.find("old").orElseThrow();
    assertEquals(KeyAlgorithm.AES_256, old.algorithm());
    assertEquals(Map.of(1, KeyState.DESTROYED, 2, KeyState.ACTIVE), states(old));
    KeyInfo mac = k.find("mac").orElseThrow();
    assertEquals(KeyAlgorithm.HMAC_SHA256, mac.algorithm());
    assertEquals(Map.of(1, KeyState.ACTIVE), states(mac));
    assertEquals(SchemaV1FixtureMain.MAC_LIMIT, mac.policy().usageLimit().orElseThrow());
    assertTrue(!mac.policy().autoRotate(), "the usage-limited key does not rotate itself");
    KeyInfo sig = k.find("sig").orElseThrow();
    assertEquals(KeyAlgorithm.EC_P256, sig.algorithm());
    assertEquals(Map.of(1, KeyState.ACTIVE), states(sig));
  }

  private void assertRecordsHold(Keyring k) throws Exception {
    byte[] aad = SchemaV1FixtureMain.AAD;
    for (int v = 2; v <= 3; v++) {
      assertArrayEquals(bytes("orders." + v + ".plain"), k.decrypt(bytes("orders." + v + ".envelope"), aad),
          "orders#" + v);
    }
    KeyUsageException suspended = assertThrows(KeyUsageException.class,
        () -> k.decrypt(bytes("orders.1.envelope"), aad));
    assertTrue(suspended.getMessage().contains("SUSPENDED"), suspended.getMessage());
    assertArrayEquals(bytes("old.2.plain"), k.decrypt(bytes("old.2.envelope"), aad));
    KeyUsageException destroyed = assertThrows(KeyUsageException.class, () -> k.decrypt(bytes("old.1.envelope"), aad));
    assertTrue(destroyed.getMessage().contains("DESTROYED"), destroyed.getMessage());
    assertArrayEquals(bytes("datakey.plain"), k.unwrapDataKey(bytes("datakey.wrapped")));

    long usedBefore = usage(k);
    assertTrue(usedBefore >= Long.parseLong(rec.getProperty("mac.usageCount")), "the uses counted in version 1 stay");
    for (int i = 1; i <= 3; i++) {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(k.handle(KeyRef.of("mac", 1)));
      assertArrayEquals(bytes("mac." + i + ".tag"), m.doFinal(bytes("mac." + i + ".message")), "MAC " + i);
    }
    assertTrue(usage(k) >= usedBefore + 3, "the usage limit still counts");

    byte[] publicKey = bytes("sig.publicKey");
    List<byte[]> chain = k.certificates(KeyRef.of("sig", 1));
    assertEquals(1, chain.size());
    assertArrayEquals(bytes("sig.certificate"), chain.get(0), "the version's certificate is kept");
    PublicKey pub = KeyFactory.getInstance("EC", "SunEC").generatePublic(new X509EncodedKeySpec(publicKey));
    Signature verify = Signature.getInstance("SHA256withECDSA", "SunEC");
    verify.initVerify(pub);
    verify.update(bytes("sig.message"));
    assertTrue(verify.verify(bytes("sig.signature")), "the version-1 signature verifies");
    Signature managed = Signature.getInstance("SHA256withECDSA");
    managed.initVerify(k.publicKeyHandle(KeyRef.of("sig", 1)));
    managed.update(bytes("sig.message"));
    assertTrue(managed.verify(bytes("sig.signature")), "and verifies through the keyring's public-key handle");
    Signature sign = Signature.getInstance("SHA256withECDSA");
    sign.initSign(k.privateKeyHandle(KeyRef.of("sig", 1)));
    sign.update(bytes("sig.message"));
    byte[] fresh = sign.sign();
    verify.initVerify(pub);
    verify.update(bytes("sig.message"));
    assertTrue(verify.verify(fresh), "the private key still signs for the same public key");
  }

  private static long usage(Keyring k) {
    return k.find("mac").orElseThrow().version(1).orElseThrow().usageCount();
  }

  private static List<String> names(Keyring k) {
    return k.list().stream().map(KeyInfo::name).sorted().collect(Collectors.toList());
  }

  private static Map<Integer, KeyState> states(KeyInfo key) {
    return key.versions().stream().collect(Collectors.toMap(KeyVersionInfo::version, KeyVersionInfo::state));
  }

  private byte[] bytes(String name) {
    String v = rec.getProperty(name);
    if (v == null) {
      throw new AssertionError("the fixture records no " + name);
    }
    return Base64.getDecoder().decode(v);
  }

  // ---------------------------------------------------------------- opening and loading

  private Keyring open() {
    return Keyrings.open(backend(SchemaV1FixtureMain.PASSWORD));
  }

  private PostgresKeyBackend backend(String password) {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, SchemaV1FixtureMain.KEYRING);
    // a mark of this test's own: no host mark of an earlier run can interfere
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve(db + ".mark").toString());
    return (PostgresKeyBackend) new PostgresBackendFactory().open(pg.jdbcUrl(db), p, password.toCharArray(),
        SchemaV1FixtureMain.KDF, false);
  }

  /** The dump's text with the last hex digit of the head row's head_mac (its last column) changed. */
  private static String withHeadMacByteFlipped(String dump) {
    List<String> lines = new ArrayList<>(List.of(dump.split("\n", -1)));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("COPY public.clavis_keyring ")) {
        String row = lines.get(i + 1);
        char last = row.charAt(row.length() - 1);
        lines.set(i + 1, row.substring(0, row.length() - 1) + (last == '0' ? '1' : '0'));
        return String.join("\n", lines);
      }
    }
    throw new AssertionError("the dump has no COPY of clavis_keyring");
  }

  private Path resource(String name) throws IOException {
    Path copy = dir.resolve(Path.of(name).getFileName());
    if (!Files.exists(copy)) {
      try (InputStream in = getClass().getResourceAsStream(name)) {
        if (in == null) {
          throw new AssertionError("missing test resource " + name);
        }
        // pg_dump 15.14+ brackets the dump in the psql meta-commands restrict and unrestrict, which older psql
        // clients do not know; the fixture is trusted, so the copy loaded drops them and any psql 15+ loads it
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(copy, Stream.of(text.split("\n", -1))
            .filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict "))
            .collect(Collectors.joining("\n")));
      }
    }
    return copy;
  }

  /** psql -f as a process (the dump has COPY ... FROM stdin, which one -c cannot carry), stopping at an error. */
  private void loadDump(Path sql) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(clientBinary("psql").toString(), "-X", "-q", "-h", pg.host(),
        "-p", Integer.toString(pg.port()), "-U", Postgres.USER, "-d", db, "-v", "ON_ERROR_STOP=1",
        "-f", sql.toString())).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", Postgres.PASSWORD);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("psql -f " + sql + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted loading " + sql, e);
    }
    assertEquals(0, p.exitValue(), "psql -f " + sql + ": " + out);
  }

  /**
   * A PostgreSQL client program, found as the test-kit cluster finds its server: {@code
   * -Dclavis.postgres.bin} or {@code CLAVIS_POSTGRES_BIN}, else the newest {@code
   * /usr/lib/postgresql/N/bin}.
   */
  static Path clientBinary(String tool) throws IOException {
    String override = System.getProperty("clavis.postgres.bin", System.getenv("CLAVIS_POSTGRES_BIN"));
    if (override != null) {
      return Path.of(override, tool);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.filter(v -> v.getFileName().toString().matches("[0-9]+"))
          .map(v -> v.resolve("bin").resolve(tool)).filter(Files::isExecutable)
          .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getParent().getFileName().toString())))
          .orElseThrow(() -> new AssertionError(tool + " not found under /usr/lib/postgresql/*/bin"));
    }
  }
}
