package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.ChildJvm;
import dev.clavis.testkit.Postgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trying to make the CLI print a database password: with {@code --debug} (every logger at ALL,
 * stack traces printed), the database password given in {@code $CLAVIS_DB}'s URL or in
 * {@code $PGPASSWORD}, and the keyring password, appear in no output of a successful run, of a
 * refused login, or of an unreachable database; the errors name the host and port instead.
 */
class DatabaseCredentialAttackTest {

  private static final String RING_PW = "ring-pw-5be1c0";

  @TempDir Path dir;
  private Postgres pg;
  private String db;

  @BeforeEach
  void database() {
    pg = Postgres.require();
    db = pg.createDatabase();
  }

  /** The exit code and everything printed, of the CLI run as a child JVM with --debug. */
  private record Run(int exit, String text) {}

  private Run cli(Map<String, String> env, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--debug");
    argv.add("--db-property");
    argv.add("clavis.commitMark=" + dir.resolve("ring.mark"));
    Process p = ChildJvm.builder(dev.clavis.cli.Main.class, env, argv.toArray(new String[0])).directory(dir.toFile())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
    return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  private static void assertNoSecret(Run r, String... secrets) {
    for (String s : secrets) {
      assertFalse(r.text().contains(s), "printed " + s + ":\n" + r.text());
    }
  }

  @Test
  void successfulRuns_atDebug_printNeitherTheDatabaseNorTheKeyringPassword() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CLAVIS_DB", pg.jdbcUrl(db)); // ?user=...&password=<the cluster's>
    env.put("CLAVIS_PASSWORD", RING_PW);
    Run init = cli(env, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    assertEquals(0, init.exit(), init.text());
    Run create = cli(env, "create", "k");
    assertEquals(0, create.exit(), create.text());
    Run list = cli(env, "list");
    assertEquals(0, list.exit(), list.text());
    assertTrue(list.text().contains("password=***"), "the URL is logged redacted:\n" + list.text());
    for (Run r : List.of(init, create, list)) {
      assertNoSecret(r, Postgres.PASSWORD, RING_PW);
    }
  }

  @Test
  void aRefusedDatabaseLogin_atDebug_namesTheServer_notThePasswordTried() throws Exception {
    String tried = "db-pw-tried-9d27e4";
    Map<String, String> env = new HashMap<>();
    env.put("PGUSER", Postgres.USER);
    env.put("PGPASSWORD", tried);
    env.put("CLAVIS_PASSWORD", RING_PW);
    Run r = cli(env, "--db", pg.jdbcUrlWithoutCredentials(db), "list");
    assertEquals(1, r.exit(), r.text());
    assertTrue(r.text().contains(pg.host() + ":" + pg.port()), r.text());
    assertNoSecret(r, tried, RING_PW);
  }

  @Test
  void anUnreachableDatabase_atDebug_namesTheServer_notThePasswordInTheUrl() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String inUrl = "db-pw-in-url-41f0aa";
    Map<String, String> env = new HashMap<>();
    env.put("CLAVIS_DB", "jdbc:postgresql://127.0.0.1:" + closed + "/keys?user=app&password=" + inUrl
        + "&connectTimeout=3");
    env.put("CLAVIS_PASSWORD", RING_PW);
    Run r = cli(env, "list");
    assertEquals(1, r.exit(), r.text());
    assertTrue(r.text().contains("127.0.0.1:" + closed), r.text());
    assertNoSecret(r, inUrl, RING_PW);
  }

  @Test
  void aUrlTheDriverRefuses_atDebug_isNeverEchoedWithThePasswordInItsQuery() throws Exception {
    // the port does not parse: the driver declines the URL and the driver manager's message
    // ("No suitable driver found for <url>") would carry the whole URL, password included
    String inUrl = "db-pw-refused-url-7c31d9";
    Map<String, String> env = new HashMap<>();
    env.put("CLAVIS_DB", "jdbc:postgresql://127.0.0.1:notaport/keys?user=app&password=" + inUrl);
    env.put("CLAVIS_PASSWORD", RING_PW);
    Run r = cli(env, "list");
    assertEquals(1, r.exit(), r.text());
    assertTrue(r.text().contains("127.0.0.1:notaport"), r.text());
    assertNoSecret(r, inUrl, RING_PW);
  }
}
