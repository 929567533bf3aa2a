package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.PasswordProtector;
import dev.clavis.keyring.pkcs11.TokenRootProtector;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HSM as root of trust: a database keyring whose master key a non-extractable token key wraps. */
class PostgresTokenRootedTest {

  private static final byte[] AAD = "rooted".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path marks;

  private static TokenRootProtector token() throws Exception {
    SoftHsmTokens.open().close(); // creates the token of this JVM (fails in CI without SoftHSM2)
    return TokenRootProtector.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
  }

  @Test
  void tokenRootedKeyringOpensOnlyWithItsToken() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    byte[] env;
    try (TokenRootProtector t = token();
        Keyring k = Keyrings.open(PostgresKeyBackend.open(pgk.url, pgk.props("rooted"), "rooted", t, true,
            Duration.ofSeconds(30), marks.resolve("rooted.mark")))) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("orders", new byte[] {4, 2}, AAD);
    }
    assertEquals("3", pgk.psql("SELECT get_byte(protector, 1) FROM clavis_keyring WHERE name = 'rooted'"));
    try (TokenRootProtector t = token();
        Keyring k = Keyrings.open(PostgresKeyBackend.open(pgk.url, pgk.props("rooted"), "rooted", t, false,
            Duration.ofSeconds(30), marks.resolve("rooted.mark")))) {
      assertArrayEquals(new byte[] {4, 2}, k.decrypt(env, AAD));
    }
    KeyringException e = assertThrows(KeyringException.class, () -> PostgresKeyBackend.open(pgk.url,
        pgk.props("rooted"), "rooted", new PasswordProtector(TestStores.PASSWORD.toCharArray(), null), false,
        Duration.ofSeconds(30), marks.resolve("rooted.mark")));
    assertTrue(e.getMessage().contains("token key"), e.getMessage());
  }
}
