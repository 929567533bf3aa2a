package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.AuditLog;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.engine.KeyringEngine;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The managed keyring on a PKCS#11 token: the lifecycle engine over a {@link TokenKeyBackend},
 * plus the token-side enforcement of states. After every lifecycle change (and shortly after
 * changes the engine makes on its own, such as an automatic rotation during an encryption), each
 * version's usage attributes are brought in line with its state, so another PKCS#11 client
 * cannot encrypt with a {@code DEPRECATED} version or decrypt with a {@code REVOKED} one.
 *
 * <p>Lookups by name ({@link #find}, {@link #handle}) are answered from the engine's in-memory
 * state and the backend's index of object handles, which follow the token: another process's
 * commit moves the head generation, which the engine polls every 20 ms.
 */
public final class TokenKeyring implements Keyring {

  private final KeyringEngine engine;
  private final TokenKeyBackend backend;
  private final ScheduledExecutorService enforcer;

  private TokenKeyring(KeyringEngine engine, TokenKeyBackend backend) {
    this.engine = engine;
    this.backend = backend;
    this.enforcer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "clavis-pkcs11-enforcer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the keyring on a token: loads the module, logs in once, probes key wrap, indexes the
   * keys and writes every version's state into its attributes.
   *
   * @param pin wiped before this returns
   * @throws KeyringException naming the problem (library, token label, PIN, token failure)
   */
  public static TokenKeyring open(Pkcs11Config config, char[] pin) {
    Pkcs11Token token;
    try {
      token = Pkcs11Token.open(config, pin);
    } catch (Pkcs11Exception | Pkcs11ConfigException e) {
      throw new KeyringException(e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
    return open(token);
  }

  /** Opens the keyring on a token that is already open and logged in. */
  public static TokenKeyring open(Pkcs11Token token) {
    TokenKeyBackend b = TokenKeyBackend.open(token);
    KeyringEngine e;
    try {
      e = KeyringEngine.open(b);
      for (java.util.Map<String, String> repair : b.drainRepairs()) {
        e.recordKeyringEvent("repair", repair); // the repair made at open goes into the audit log
      }
    } catch (RuntimeException ex) {
      b.close();
      throw ex;
    }
    TokenKeyring k = new TokenKeyring(e, b);
    k.enforceAll();
    return k;
  }

  /** @return the engine (handles issued here are bound to it) */
  public KeyringEngine engine() {
    return engine;
  }

  /** @return the backend */
  public TokenKeyBackend backend() {
    return backend;
  }

  /**
   * Brings every version's token attributes in line with its lifecycle state. Versions whose
   * attributes already match cost nothing.
   */
  public void enforceAll() {
    Set<String> names = new HashSet<>();
    for (KeyRef r : backend.indexedVersions()) {
      names.add(r.name());
    }
    for (String n : names) {
      engine.find(n).ifPresent(k -> {
        for (KeyVersionInfo v : k.versions()) {
          backend.enforce(v.ref(), v.state());
        }
      });
    }
  }

  private <T> T changing(Supplier<T> op) {
    try {
      return op.get();
    } finally {
      enforceAll();
    }
  }

  private void changing(Runnable op) {
    try {
      op.run();
    } finally {
      enforceAll();
    }
  }

  /** Re-checks attributes soon after operations in which the engine may rotate on its own. */
  private void enforceSoon() {
    if (!enforcer.isShutdown()) {
      enforcer.schedule(() -> {
        try {
          enforceAll();
        } catch (RuntimeException e) {
          // retried after the next change; the engine's own checks still refuse the use
        }
      }, 50, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy) {
    return changing(() -> engine.create(name, algorithm, policy));
  }

  @Override
  public KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy) {
    return changing(() -> engine.importKey(name, algorithm, material, policy));
  }

  /**
   * Imports a key that arrives wrapped with RFC 5649 under a version of another key of this
   * keyring (bring your own key): {@code C_UnwrapKey} runs on the token, so the key is never in
   * the clear outside it. Creates the key, or rotates it if the name exists.
   *
   * @param kek the wrapping version ({@code name#N}), which must allow unwrapping
   * @throws KeyringException if the integrity check fails or the token refuses
   */
  public KeyInfo importWrapped(String name, KeyAlgorithm algorithm, KeyRef kek, byte[] wrapped, KeyPolicy policy) {
    KeyringEngine.Use use = engine.unprotect(kek, false);
    if (!(use.material() instanceof TokenKeyMaterial)) {
      throw new KeyringException("the KEK " + kek + " has no material on " + backend.describe());
    }
    byte[] placeholder = new byte[algorithm.bits() / 8];
    backend.pendingUnwrap((TokenKeyMaterial) use.material(), wrapped);
    try {
      return changing(() -> engine.importKey(name, algorithm, placeholder, policy));
    } finally {
      backend.pendingUnwrap(null, null);
    }
  }

  @Override
  public KeyVersionInfo rotate(String name, String reason) {
    return changing(() -> engine.rotate(name, reason));
  }

  @Override
  public KeyVersionInfo beginRotation(String name) {
    return changing(() -> engine.beginRotation(name));
  }

  @Override
  public KeyVersionInfo beginRotation(String name, String reason) {
    return changing(() -> engine.beginRotation(name, reason));
  }

  @Override
  public KeyVersionInfo completeRotation(String name) {
    return changing(() -> engine.completeRotation(name));
  }

  @Override
  public void abortRotation(String name) {
    changing(() -> engine.abortRotation(name));
  }

  @Override
  public void suspend(KeyRef ref, String reason) {
    changing(() -> engine.suspend(ref, reason));
  }

  @Override
  public void resume(KeyRef ref) {
    changing(() -> engine.resume(ref));
  }

  @Override
  public void revoke(KeyRef ref, String reason) {
    changing(() -> engine.revoke(ref, reason));
  }

  @Override
  public void markCompromised(KeyRef ref, String reason) {
    changing(() -> engine.markCompromised(ref, reason));
  }

  @Override
  public List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after) {
    return changing(() -> engine.scheduleDestruction(ref, after));
  }

  @Override
  public void cancelDestruction(String name) {
    changing(() -> engine.cancelDestruction(name));
  }

  @Override
  public void destroyNow(KeyRef ref) {
    changing(() -> engine.destroyNow(ref));
  }

  @Override
  public List<KeyInfo> list() {
    return engine.list();
  }

  /** @return the names {@link #list()} shows, without building their infos */
  public List<String> names() {
    return engine.names();
  }

  @Override
  public Optional<KeyInfo> find(String name) {
    return engine.find(name);
  }

  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] associatedData) {
    try {
      return engine.encrypt(name, plaintext, associatedData);
    } finally {
      enforceSoon();
    }
  }

  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData) {
    return engine.decrypt(envelope, associatedData);
  }

  /**
   * As the engine's override: a {@code COMPROMISED} version's token attributes forbid decryption,
   * so they are switched on for the duration of this audited call and off again after it.
   */
  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    if (!allowCompromised) {
      return engine.decrypt(envelope, associatedData);
    }
    List<KeyRef> compromised = versionsIn(KeyState.COMPROMISED);
    try {
      compromised.forEach(r -> backend.enforce(r, KeyState.DEPRECATED));
      return engine.decrypt(envelope, associatedData, true);
    } finally {
      enforceAll();
    }
  }

  private List<KeyRef> versionsIn(KeyState state) {
    List<KeyRef> out = new java.util.ArrayList<>();
    Set<String> names = new HashSet<>();
    backend.indexedVersions().forEach(r -> names.add(r.name()));
    for (String n : names) {
      engine.find(n).ifPresent(k -> k.versions().stream().filter(v -> v.state() == state).forEach(v -> out.add(v.ref())));
    }
    return out;
  }

  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData) {
    try {
      return engine.rewrap(envelope, associatedData);
    } finally {
      enforceSoon();
    }
  }

  @Override
  public DataKey generateDataKey(String kekName, int bits) {
    try {
      return engine.generateDataKey(kekName, bits);
    } finally {
      enforceSoon();
    }
  }

  @Override
  public byte[] unwrapDataKey(byte[] wrappedDataKey) {
    return engine.unwrapDataKey(wrappedDataKey);
  }

  @Override
  public List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    try {
      return engine.rewrapDataKeys(wrappedDataKeys);
    } finally {
      enforceSoon();
    }
  }

  /** @return a handle bound to the engine; the managed Cipher and Mac use it on the token */
  @Override
  public ManagedKey handle(KeyRef ref) {
    return engine.handle(ref);
  }

  @Override
  public byte[] exportKey(KeyRef ref) {
    return engine.exportKey(ref);
  }

  @Override
  public AuditLog auditLog() {
    return engine.auditLog();
  }

  /** Closes the engine, the backend and the token's sessions. */
  @Override
  public void close() {
    enforcer.shutdownNow();
    try {
      engine.close();
    } finally {
      backend.token().close();
    }
  }

  @Override
  public String toString() {
    return "TokenKeyring{" + backend.describe() + "}";
  }
}
