package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server error's DETAIL can carry a row's columns (a constraint's "Failing row contains (...)",
 * or a trigger's detail): with a wrapped key in the row, the driver would print it in the message.
 * Clavis turns the driver's {@code logServerErrorDetail} off by default, so neither the message nor
 * any cause shows it.
 */
class PostgresErrorDetailTest {

  @TempDir
  Path marks;

  @Test
  void aServerErrorsDetail_withARowsWrappedKey_isInNoMessageNorCause() {
    PgKeyrings pgk = new PgKeyrings(marks);
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      pgk.psql("CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
          + " RAISE EXCEPTION 'refused by a test policy' USING DETAIL = 'row bytes ' || encode(NEW.wrapped, 'hex');"
          + " END $$");
      pgk.psql("CREATE TRIGGER refuse_row BEFORE INSERT ON clavis_key_version FOR EACH ROW"
          + " EXECUTE FUNCTION refuse_row()");
      KeyringException e = assertThrows(KeyringException.class, () -> k.rotate("orders", "refused"));
      StringBuilder all = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        all.append(t).append('\n');
      }
      assertTrue(all.toString().contains("refused by a test policy"), all.toString());
      assertFalse(all.toString().contains("row bytes"), "the DETAIL with the row's wrapped key: " + all);
    }
  }
}
