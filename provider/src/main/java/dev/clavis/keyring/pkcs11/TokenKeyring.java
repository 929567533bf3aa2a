package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import java.util.Map;

/**
 * Opens the managed keyring on a PKCS#11 token: the lifecycle engine over a
 * {@link TokenKeyBackend}. The token-side enforcement of states is the backend's own commit hook
 * ({@link TokenKeyBackend#afterCommit}): after every commit (the engine's automatic rotations
 * included) each version's usage attributes are brought in line with its state, so another PKCS#11
 * client cannot encrypt with a {@code DEPRECATED} version or decrypt with a {@code REVOKED} one.
 *
 * <p>Lookups by name are answered from the engine's in-memory state and the backend's index of
 * object handles, which follow the token: another process's commit moves the head generation,
 * which the engine polls every 20 ms. Applications open a token keyring with
 * {@code Keyrings.open(KeyringOptions.token(config).pin(pin))}.
 */
public final class TokenKeyring {

  private TokenKeyring() {}

  /**
   * Opens the keyring on a token: loads the module, logs in once, probes key wrap, indexes the
   * keys and writes every version's state into its attributes.
   *
   * @param pin wiped before this returns
   * @return the keyring; closing it closes the token's sessions
   * @throws KeyringException naming the problem (library, token label, PIN, token failure)
   * @deprecated use {@link Keyrings#open(KeyringOptions)} with {@link KeyringOptions#token}
   */
  @Deprecated
  public static KeyringEngine open(Pkcs11Config config, char[] pin) {
    try {
      return (KeyringEngine) Keyrings.open(KeyringOptions.token(config).pin(pin));
    } finally {
      java.util.Arrays.fill(pin, '\0');
    }
  }

  /**
   * Opens the keyring on a token that is already open and logged in; the repairs the backend
   * made while opening (surplus heads) go into the audit log.
   *
   * @param token closed when the keyring is closed
   * @return the keyring
   * @throws KeyringException if the token fails
   */
  public static KeyringEngine open(Pkcs11Token token) {
    return open(token, dev.clavis.keyring.AuditOptions.defaults());
  }

  /**
   * Opens the keyring on a token that is already open and logged in, with audit settings.
   *
   * @param token closed when the keyring is closed
   * @param audit the actor, usage period and decryption records of the keyring
   * @return the keyring
   * @throws KeyringException if the token fails
   */
  public static KeyringEngine open(Pkcs11Token token, dev.clavis.keyring.AuditOptions audit) {
    TokenKeyBackend b;
    try {
      b = TokenKeyBackend.open(token);
    } catch (RuntimeException ex) {
      token.close();
      throw ex;
    }
    b.closeTokenOnClose();
    try {
      KeyringEngine e = KeyringEngine.open(b, audit);
      for (Map<String, String> repair : b.drainRepairs()) {
        e.recordKeyringEvent("repair", repair); // the repair made at open goes into the audit log
      }
      return e;
    } catch (RuntimeException ex) {
      b.close();
      throw ex;
    }
  }
}
