package dev.clavis.jdbc;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.Postgres;
import java.nio.file.Path;
import java.util.Properties;

/** Opens keyrings in a test database of the {@link Postgres} cluster, with the fast test KDF. */
final class PgKeyrings {

  final Postgres pg;
  final String db;
  final String url;
  final Path marks;

  PgKeyrings(Path marks) {
    this.pg = Postgres.require();
    this.db = pg.createDatabase();
    this.url = pg.jdbcUrl(db);
    this.marks = marks;
  }

  Properties props(String keyring) {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, keyring);
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, marks.resolve(keyring + ".mark").toString());
    return p;
  }

  PostgresKeyBackend backend(String keyring) {
    return backend(keyring, props(keyring), TestStores.PASSWORD, true);
  }

  PostgresKeyBackend backend(String keyring, Properties p, String password, boolean create) {
    return (PostgresKeyBackend) new PostgresBackendFactory().open(url, p, password.toCharArray(), kdf(), create);
  }

  Keyring keyring(String keyring) {
    return Keyrings.open(backend(keyring));
  }

  static KdfParameters kdf() {
    return TestStores.FAST_KDF;
  }

  String psql(String sql) {
    return pg.psql(db, sql);
  }
}
