package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.Postgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clavis --db JDBC_URL ...} against a real PostgreSQL cluster ({@link Postgres}), each
 * command a real child process as an operator runs it: the database credentials from
 * {@code PGUSER}/{@code PGPASSWORD}, the keyring password from {@code CLAVIS_PASSWORD}.
 */
class DatabaseCommandsTest {

  private static final String RING_PASSWORD = "ring pw 4";
  private static final String WEAK = "argon2id:t=1,m=64,p=1";

  @TempDir Path dir;
  private Postgres pg;
  private String db;
  private String url;
  private Map<String, String> env;

  @BeforeEach
  void database() {
    pg = Postgres.require();
    db = pg.createDatabase();
    url = pg.jdbcUrlWithoutCredentials(db);
    env = new HashMap<>();
    env.put("PGUSER", Postgres.USER);
    env.put("PGPASSWORD", Postgres.PASSWORD);
    env.put("CLAVIS_PASSWORD", RING_PASSWORD);
  }

  /** The global options of a database keyring, its commit mark in the test's directory. */
  private String[] on(String keyring, String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "--db";
    all[1] = url;
    all[2] = "--keyring";
    all[3] = keyring;
    all[4] = "--db-property";
    all[5] = "clavis.commitMark=" + dir.resolve(keyring + ".mark");
    System.arraycopy(args, 0, all, 6, args.length);
    return all;
  }

  private CliProcess.Result ok(CliProcess.Result r) {
    assertEquals(0, r.exit, r.toString());
    return r;
  }

  private CliProcess.Result fails(CliProcess.Result r, int exit, String expected) {
    assertEquals(exit, r.exit, r.toString());
    assertTrue(r.stderr.contains(expected), () -> "wanted '" + expected + "' in\n" + r);
    assertFalse(r.stderr.contains("Exception"), r.stderr);
    assertFalse(r.stderr.contains(Postgres.PASSWORD) || r.stderr.contains(RING_PASSWORD), r.stderr);
    return r;
  }

  @Test
  void basicCommands_runAgainstTheDatabase_asRealProcesses() throws Exception {
    CliProcess cli = new CliProcess(dir, env);
    ok(cli.run(on("payments", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    ok(cli.run(on("payments", "create", "cards")));
    byte[] envelope = ok(cli.run("card 4111".getBytes(StandardCharsets.UTF_8), on("payments", "encrypt", "cards")))
        .stdout;
    ok(cli.run(on("payments", "rotate", "cards")));
    String list = ok(cli.run(on("payments", "--json", "list"))).out();
    assertTrue(list.contains("\"cards\"") && list.contains("\"version\":2"), list);
    String show = ok(cli.run(on("payments", "show", "cards"))).out();
    assertTrue(show.contains("DEPRECATED") && show.contains("ACTIVE"), show);
    assertEquals("card 4111", ok(cli.run(envelope, on("payments", "decrypt"))).out());
    String audit = ok(cli.run(on("payments", "audit", "--verify"))).out();
    assertTrue(audit.startsWith("audit log verified"), audit);

    // it is in the database: one row per version, nothing written to a file store
    assertEquals("2", pg.psql(db, "SELECT count(*) FROM clavis_key_version WHERE name = 'cards'").strip());
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".store")), "no file store");
    }
  }

  @Test
  void keyringsOfOneDatabase_areSeparate_andAKeyringIsNeverCreatedByAccident() {
    InProcess cli = new InProcess(env);
    ok(cli.run(on("a", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    ok(cli.run(on("a", "create", "only-in-a")));
    fails(cli.run(on("a", "init", "--kdf", WEAK, "--allow-weak-kdf")), 1, "keyring 'a' in " + url + " exists already");
    fails(cli.run(on("b", "list")), 1, "no keyring 'b' in " + url + ": create it with 'clavis init --db URL --keyring b'");
    ok(cli.run(on("b", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    assertFalse(ok(cli.run(on("b", "list"))).out().contains("only-in-a"));
  }

  @Test
  void wrongKeyringPassword_isOneClearError() {
    InProcess cli = new InProcess(env);
    ok(cli.run(on("p", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put("CLAVIS_PASSWORD", "not it");
    CliProcess.Result r = new InProcess(wrong).run(on("p", "list"));
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.stderr.toLowerCase().contains("password"), r.stderr);
  }

  @Test
  void aDatabasePasswordOnTheCommandLine_isRefused_withoutEchoingIt() {
    InProcess cli = new InProcess(env);
    fails(cli.run("--db", pg.jdbcUrl(db), "list"), 2, "a database password is never taken on the command line");
    fails(cli.run("list", "--db=jdbc:postgresql://u:s3cr3t@h/db"), 2, "never taken on the command line");
    fails(cli.run("--db", url, "--db-property", "password=" + Postgres.PASSWORD, "list"), 2,
        "never taken on the command line");
    fails(cli.run("migrate", "--from", "x.store", "--to-db", pg.jdbcUrl(db)), 2, "never taken on the command line");
    fails(cli.run("migrate", "--from-db=" + pg.jdbcUrl(db), "--to", "y.store"), 2, "never taken on the command line");
    fails(cli.run("--db", url, "--store", "x.store", "list"), 2, "give --db or --store/--hsm, not both");
  }

  @Test
  void theDatabasePassword_mayComeWithTheUrlFromClavisDb() {
    Map<String, String> e = new HashMap<>();
    e.put("CLAVIS_PASSWORD", RING_PASSWORD);
    e.put("CLAVIS_DB", pg.jdbcUrl(db)); // with user and password: the environment is the owner's only
    InProcess cli = new InProcess(e);
    ok(cli.run("--keyring", "env", "--db-property", "clavis.commitMark=" + dir.resolve("env.mark"),
        "init", "--kdf", WEAK, "--allow-weak-kdf"));
    String out = ok(cli.run("--keyring", "env", "--db-property", "clavis.commitMark=" + dir.resolve("env.mark"),
        "--json", "list")).out();
    assertEquals("[]", out.strip());
  }

  @Test
  void migrate_fileToDatabaseAndBack_movesNonExportableKeys_andOldEnvelopesStillDecrypt() throws Exception {
    CliProcess cli = new CliProcess(dir, env);
    String file = dir.resolve("old.store").toString();
    ok(cli.run("--store", file, "init", "--kdf", WEAK, "--allow-weak-kdf"));
    ok(cli.run("--store", file, "create", "cards"));
    byte[] before = ok(cli.run("from the file".getBytes(StandardCharsets.UTF_8), "--store", file, "encrypt", "cards"))
        .stdout;
    ok(cli.run("--store", file, "rotate", "cards"));
    ok(cli.run("--store", file, "create", "signer", "--algorithm", "EC-P256", "--subject", "CN=signer"));

    Map<String, String> withNew = new HashMap<>(env);
    withNew.put("CLAVIS_NEW_PASSWORD", "db ring pw");
    CliProcess mig = new CliProcess(dir, withNew);
    String out = ok(mig.run("migrate", "--from", file, "--to-db", url, "--keyring", "moved", "--db-property",
        "clavis.commitMark=" + dir.resolve("moved.mark"), "--kdf", WEAK, "--allow-weak-kdf")).out();
    assertTrue(out.startsWith("migrated 2 keys (3 versions, 3 with key material)"), out);
    fails(new InProcess(withNew).run("migrate", "--from", file, "--to-db", url, "--keyring", "moved",
        "--db-property", "clavis.commitMark=" + dir.resolve("moved.mark")), 1, "holds 2 keys; migrate into a new, empty keyring");

    Map<String, String> dbEnv = new HashMap<>(env);
    dbEnv.put("CLAVIS_PASSWORD", "db ring pw");
    CliProcess onDb = new CliProcess(dir, dbEnv);
    assertEquals("from the file", ok(onDb.run(before, on("moved", "decrypt"))).out());
    ok(onDb.run(on("moved", "rotate", "cards")));
    byte[] inDb = ok(onDb.run("in the database".getBytes(StandardCharsets.UTF_8), on("moved", "encrypt", "cards")))
        .stdout;
    ok(onDb.run(on("moved", "audit", "--verify")));
    // the key pair moved too: signed with the database's copy, verified by the file store's
    byte[] doc = "signed in the database".getBytes(StandardCharsets.UTF_8);
    Path sig = dir.resolve("doc.sig");
    Files.write(sig, ok(onDb.run(doc, on("moved", "sign", "signer"))).stdout);
    assertTrue(ok(cli.run(doc, "--store", file, "verify", "signer", "--signature", sig.toString())).out()
        .contains("valid"));

    Map<String, String> back = new HashMap<>(dbEnv);
    back.put("CLAVIS_NEW_PASSWORD", "file pw again");
    String file2 = dir.resolve("back.store").toString();
    ok(new CliProcess(dir, back).run("migrate", "--from-db", url, "--keyring", "moved", "--db-property",
        "clavis.commitMark=" + dir.resolve("moved.mark"), "--to", file2, "--kdf", WEAK, "--allow-weak-kdf"));
    CliProcess onFile2 = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "file pw again"));
    assertEquals("from the file", ok(onFile2.run(before, "--store", file2, "decrypt")).out());
    assertEquals("in the database", ok(onFile2.run(inDb, "--store", file2, "decrypt")).out());
    String show = ok(onFile2.run("--store", file2, "show", "cards")).out();
    assertTrue(show.contains("#3"), show);
    ok(onFile2.run("--store", file2, "audit", "--verify"));

    // the source keeps its keys; its log records the migration
    String srcAudit = ok(cli.run("--store", file, "audit")).out();
    assertTrue(srcAudit.contains("migrate-out"), srcAudit);
    assertNotEquals(-1, ok(cli.run("--store", file, "show", "cards")).out().indexOf("#2"));
  }
  @Test
  void fileOnlyCommands_refuseADatabaseKeyring_sayingWhatToDo() {
    InProcess cli = new InProcess(env);
    ok(cli.run(on("f", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    fails(cli.run(on("f", "backup", "--shares", "3", "--threshold", "2", "--out", dir.resolve("bk").toString())), 1,
        "clavis migrate --from-db URL --to FILE");
    fails(cli.run("migrate", "--from", "x.store", "--to", "y.store"), 2, "migrate takes --from FILE --to-db JDBC_URL");
  }

  @Test
  void passwdAndMigrateKdf_onADatabaseKeyring_asRealProcesses() throws Exception {
    CliProcess cli = new CliProcess(dir, env);
    ok(cli.run(on("pw", "init", "--kdf", WEAK, "--allow-weak-kdf")));
    ok(cli.run(on("pw", "create", "cards")));
    byte[] envelope = ok(cli.run("card 5500".getBytes(StandardCharsets.UTF_8), on("pw", "encrypt", "cards"))).stdout;

    Map<String, String> change = new HashMap<>(env);
    change.put("CLAVIS_NEW_PASSWORD", "ring pw 5");
    String out = ok(new CliProcess(dir, change).run(on("pw", "passwd"))).out();
    assertTrue(out.contains("changed the password of keyring 'pw' in " + url), out);
    fails(new InProcess(env).run(on("pw", "list")), 1, "password");
    Map<String, String> fresh = new HashMap<>(env);
    fresh.put("CLAVIS_PASSWORD", "ring pw 5");
    CliProcess now = new CliProcess(dir, fresh);
    assertEquals("card 5500", ok(now.run(envelope, on("pw", "decrypt"))).out());

    String migrated = ok(now.run(on("pw", "--json", "migrate-kdf", "--kdf", "argon2id:t=2,m=64,p=1",
        "--allow-weak-kdf"))).out();
    assertTrue(migrated.contains("\"keyring\":\"pw\"") && migrated.contains("t=2"), migrated);
    assertEquals("card 5500", ok(now.run(envelope, on("pw", "decrypt"))).out());
    String audit = ok(now.run(on("pw", "audit"))).out();
    assertTrue(audit.contains("passwd") && audit.contains("migrate-kdf"), audit);
    ok(now.run(on("pw", "audit", "--verify")));
    fails(new InProcess(change).run(on("pw", "passwd")), 1, "password");
  }
}
