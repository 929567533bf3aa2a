package dev.clavis.jdbc;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.Postgres;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;

/**
 * Writes the schema-version-1 fixture that {@link PostgresSchemaV1FixtureTest} opens: a keyring
 * made through the public path ({@link PostgresBackendFactory}, {@link Keyrings#open}) in a
 * throw-away test cluster, dumped with {@code pg_dump} (plain SQL, {@code --no-owner
 * --no-privileges}) to {@code keyring-v1.sql}, and the envelopes, MACs and signatures it made,
 * with their plaintexts, to {@code keyring-v1.properties}. Not a test: run once, by hand.
 *
 * <p>Run on commit d230901 (schema version 1), from a temporary JUnit method that called
 * {@code main(new String[] {"jdbc/src/test/resources/schema-v1"})} with the module's test class
 * path ({@code mvn -B -q -pl jdbc -am test -Dtest=...}); the method was deleted afterwards. Running
 * it again writes a different fixture (new random keys and ids): the committed one is the v1
 * witness and must not be regenerated with newer code.
 *
 * <p>The keyring {@value #KEYRING}, password {@value #PASSWORD} (a test value), Argon2id t=1,
 * m=64 KiB, p=1 ({@link #KDF}, cheap on purpose):
 *
 * <pre>
 * orders  AES_256      v1 SUSPENDED, v2 DEPRECATED, v3 ACTIVE (two rotations, then v1 suspended)
 * old     AES_256      v1 DESTROYED (a tombstone row), v2 ACTIVE
 * mac     HMAC_SHA256  v1 ACTIVE, usage limit 100, three MACs made (no auto-rotation)
 * sig     EC_P256      v1 ACTIVE (a key pair imported with its self-signed certificate)
 * </pre>
 */
public final class SchemaV1FixtureMain {

  /** The keyring's name inside the database. */
  static final String KEYRING = "fixture";
  /** The keyring's password (a test value, not a secret). */
  static final String PASSWORD = "schema-v1-fixture-pw";
  /** The KDF the fixture was made with (far below the floor: a test fixture, opened often). */
  static final KdfParameters KDF = KdfParameters.argon2id(1, 64, 1).allowingWeak();
  /** The associated data of every envelope in the fixture. */
  static final byte[] AAD = "schema-v1-aad".getBytes(StandardCharsets.UTF_8);
  /** The usage limit of the key {@code mac}. */
  static final long MAC_LIMIT = 100;

  private SchemaV1FixtureMain() {}

  /**
   * @param args the output directory (e.g. {@code jdbc/src/test/resources/schema-v1})
   * @throws Exception if anything fails (the fixture is then incomplete: do not commit it)
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
    Postgres pg = Postgres.require();
    String db = pg.createDatabase();
    Path marks = Files.createTempDirectory("schema-v1-marks");
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, KEYRING);
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, marks.resolve("fixture.mark").toString());
    Map<String, String> rec = new TreeMap<>();
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(pg.jdbcUrl(db), p, PASSWORD.toCharArray(), KDF,
        true))) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      envelope(k, rec, "orders", 1);
      k.rotate("orders", "fixture: first rotation");
      envelope(k, rec, "orders", 2);
      k.rotate("orders", "fixture: second rotation");
      envelope(k, rec, "orders", 3);
      k.suspend(KeyRef.of("orders", 1), "fixture: a state change");
      DataKey dk = k.generateDataKey("orders", 256);
      rec.put("datakey.wrapped", b64(dk.wrapped()));
      rec.put("datakey.plain", b64(dk.plaintextKey()));
      dk.destroy();

      k.create("old", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      envelope(k, rec, "old", 1);
      k.rotate("old", "fixture: before the destruction");
      envelope(k, rec, "old", 2);
      k.destroyNow(KeyRef.of("old", 1), true);

      k.create("mac", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().usageLimit(MAC_LIMIT).autoRotate(false).build());
      for (int i = 1; i <= 3; i++) {
        byte[] msg = ("mac message " + i).getBytes(StandardCharsets.UTF_8);
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(k.handle(KeyRef.of("mac", 1)));
        rec.put("mac." + i + ".message", b64(msg));
        rec.put("mac." + i + ".tag", b64(m.doFinal(msg)));
      }

      // a key pair is imported with its certificate (the keyring creates none without one); valid 100 years, so the
      // fixture's key keeps signing whenever the test runs
      KeyPair pair = JdkKeyPairs.generate(KeyAlgorithm.EC_P256, 0);
      X509Certificate cert = SelfSignedCertificate.create("CN=schema-v1 fixture", pair.getPublic(), pair.getPrivate(),
          Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(36500));
      k.importKeyPair("sig", KeyAlgorithm.EC_P256,
          KeyPairMaterial.of(pair.getPrivate().getEncoded(), List.of(cert.getEncoded())), KeyPolicy.defaults());
      rec.put("sig.certificate", b64(cert.getEncoded()));
      byte[] msg = "signed in schema version 1".getBytes(StandardCharsets.UTF_8);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k.privateKeyHandle(KeyRef.of("sig", 1)));
      s.update(msg);
      rec.put("sig.message", b64(msg));
      rec.put("sig.signature", b64(s.sign()));
      rec.put("sig.publicKey", b64(pair.getPublic().getEncoded()));
    }
    // what a reopened keyring reports: the usage counted and the audit records, as the test will see them
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(pg.jdbcUrl(db), p, PASSWORD.toCharArray(), KDF,
        false))) {
      rec.put("mac.usageCount", Long.toString(k.find("mac").orElseThrow().version(1).orElseThrow().usageCount()));
      rec.put("audit.records", Long.toString(k.auditLog().verify()));
      rec.put("schema.version", pg.psql(db, "SELECT max(version) FROM clavis_schema"));
    }
    Properties props = new Properties();
    props.putAll(rec);
    try (OutputStream o = Files.newOutputStream(out.resolve("keyring-v1.properties"))) {
      props.store(o, "written by SchemaV1FixtureMain on d230901 (schema version 1); do not regenerate");
    }
    dump(pg, db, out.resolve("keyring-v1.sql"));
    System.out.println("fixture written to " + out + ": " + rec.keySet());
  }

  private static void envelope(Keyring k, Map<String, String> rec, String name, int version) {
    byte[] plain = (name + " version " + version + " plaintext").getBytes(StandardCharsets.UTF_8);
    rec.put(name + "." + version + ".plain", b64(plain));
    rec.put(name + "." + version + ".envelope", b64(k.encrypt(name, plain, AAD)));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static void dump(Postgres pg, String db, Path file) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(PostgresSchemaV1FixtureTest.clientBinary("pg_dump").toString(),
        "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", Postgres.USER, "--no-owner", "--no-privileges",
        "-f", file.toAbsolutePath().toString(), db)).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", Postgres.PASSWORD);
    Process proc = pb.start();
    String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
      throw new IllegalStateException("pg_dump failed: " + output);
    }
  }
}
