package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database}: driver errors are shown and carried without the URL's credentials or properties. */
class DatabaseTest {

  @TempDir Path dir;

  private static String everything(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void aDriverMessageEchoingTheUrl_neverShowsItsPasswordUserInfoOrQuery() {
    SQLException e = new SQLException("No suitable driver found for"
        + " jdbc:postgresql://app:pw-in-userinfo@db:1/keys?user=app&password=secret&ssl=true", "08001");
    String m = Database.safeMessage(e);
    assertFalse(m.contains("secret") || m.contains("pw-in-userinfo") || m.contains("user=app"), m);
    assertTrue(m.contains("jdbc:postgresql://db:1/keys"), m);
    SQLException carried = Database.redacted(new SQLException("outer", "08006", e));
    assertEquals("08006", carried.getSQLState(), "the SQLSTATE decides retries: kept");
    assertFalse(everything(carried).contains("secret"), everything(carried));
    assertTrue(Database.safeMessage(new SQLException("bad option password=secret given")).contains("password=***"));
  }

  @Test
  void aPasswordHoldingBracketsOrQuotes_isNotShownInPart() {
    for (String url : new String[] {"jdbc:postgres://h/db?password=ab(cd", "jdbc:postgres://alice:s3(cret@h/db",
        "jdbc:postgresql://h/db?user=u&password=x\"y]z"}) {
      String m = Database.safeMessage(new SQLException("No suitable driver found for " + url, "08001"));
      for (String part : new String[] {"ab(cd", "(cd", "s3(cret", "s3", "x\"y", "y]z"}) {
        assertFalse(m.contains(part), m);
      }
    }
  }

  @Test
  void aUrlTheDriverRefuses_failsWithoutEchoingThePasswordInItsQuery_inTheMessageOrAnyCause() {
    // the driver cannot parse the port, so the driver manager answers "No suitable driver found for <url>"
    String url = "jdbc:postgresql://127.0.0.1:notaport/keys?user=app&password=secret";
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve("k.mark").toString());
    KeyringException e = assertThrows(KeyringException.class, () -> new PostgresBackendFactory()
        .open(url, p, TestStores.PASSWORD.toCharArray(), PgKeyrings.kdf(), true).close());
    assertTrue(e.getMessage().contains("127.0.0.1:notaport"), e.getMessage());
    assertFalse(everything(e).contains("secret"), everything(e));
  }

  @Test
  void onlyANetworkFault_isUnreachable_soOnlyItMayBeAnsweredFromTheCache() {
    for (String s : new String[] {"08001", "08006", "08003", "57P01", "57P03"}) {
      assertTrue(Database.networkFault(new SQLException("x", s)), s);
    }
    for (String s : new String[] {"42P01", "42501", "28P01", "57014", "53100", "XX000"}) {
      assertFalse(Database.networkFault(new SQLException("x", s)), s);
    }
    assertFalse(Database.networkFault(new SQLException("x")), "no SQLSTATE");
    Database db = new Database("jdbc:postgresql://h:1/keys", new Properties());
    assertTrue(db.unreachable("cannot read", new SQLException("gone", "08006")) instanceof DatabaseUnreachableException);
    assertFalse(db.unreachable("cannot read", new SQLException("no table", "42P01"))
        instanceof DatabaseUnreachableException);
  }
}
