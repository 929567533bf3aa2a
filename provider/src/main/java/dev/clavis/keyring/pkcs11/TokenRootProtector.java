package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.MasterKeyProtector;
import dev.clavis.keyring.file.ProtectorParameters;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The root of a token-rooted file store: a non-extractable AES-256 key on a PKCS#11 token
 * ({@code CKA_TOKEN}, {@code CKA_PRIVATE}, {@code CKA_SENSITIVE}, not {@code CKA_EXTRACTABLE},
 * usable only for {@code CKM_AES_GCM} encrypt/decrypt) that wraps the store's master key. Its
 * {@code CKA_LABEL} and {@code CKA_ID} are {@code clavis-root:<32 hex digits>}, the hex digits being
 * the 16-byte root id recorded in the store header. The token is needed only while the store is
 * opened (or created); the PIN authenticates to it and there is no password KDF. The master key
 * is wrapped by {@code CKM_AES_GCM} on the token under that key, so root (token) → master key →
 * record keys.
 */
public final class TokenRootProtector implements MasterKeyProtector, AutoCloseable {

  /** The prefix of the label and id of a root key on the token. */
  public static final String PREFIX = ProtectorParameters.TOKEN_ROOT_PREFIX;
  /** Length of the random root id, in bytes. */
  static final int ID_LENGTH = 16;

  private final Pkcs11Token token;
  private final String tokenName;

  private TokenRootProtector(Pkcs11Token token) {
    this.token = token;
    this.tokenName = "token '" + token.info().label() + "' (" + token.config().name() + ")";
  }

  /**
   * Opens and logs in to the token of {@code config}.
   *
   * @param pin wiped before this returns
   * @throws KeyringException naming the problem (library, token label, PIN)
   */
  public static TokenRootProtector open(Pkcs11Config config, char[] pin) {
    try {
      return new TokenRootProtector(Pkcs11Token.open(config, pin));
    } catch (Pkcs11Exception e) {
      if (e.returnValue() == CKR.PIN_INCORRECT) {
        throw new KeyringException("wrong PIN for the token of " + config.name() + ": " + e.getMessage(), e);
      }
      throw new KeyringException(e.getMessage(), e);
    } catch (Pkcs11ConfigException e) {
      throw new KeyringException(e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** @return the label (and id) of the root key with this id */
  public static String label(byte[] rootId) {
    return ProtectorParameters.tokenRootLabel(rootId);
  }

  @Override
  public Kind kind() {
    return Kind.TOKEN_ROOT;
  }

  /**
   * {@inheritDoc} Generates a new root key on the token.
   *
   * @throws KeyringException if the token cannot generate it
   */
  @Override
  public ProtectorParameters newParameters(String store) {
    return ProtectorParameters.tokenRoot(createKey());
  }

  /**
   * {@inheritDoc} AES-256-GCM on the token under the root key.
   *
   * @throws KeyringException if the root key vanished or the token fails
   */
  @Override
  public byte[] wrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] master) {
    return wrap(parameters.id(), iv, aad, master);
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyringException if the store is protected by a password, the token has no such root
   *     key (wrong token, or the key was destroyed) or the key does not open the store
   */
  @Override
  public byte[] unwrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] wrapped, String where) {
    if (parameters.kind() != Kind.TOKEN_ROOT) {
      throw new KeyringException(where + " is protected by a password (" + parameters + "), not by a token key:"
          + " open it without the token (no --hsm)");
    }
    return unwrap(parameters.id(), iv, aad, wrapped, where);
  }

  /**
   * {@inheritDoc} Destroys the root key that {@link #newParameters} generated.
   *
   * @throws KeyringException if the token cannot destroy it
   */
  @Override
  public void abandon(ProtectorParameters parameters) {
    destroyKey(parameters.id());
  }

  /**
   * Generates a new root key on the token (PKCS#11 v2.40 §2.12.2 {@code CKM_AES_KEY_GEN}).
   *
   * @return its random 16-byte id
   */
  private byte[] createKey() {
    byte[] rootId = new byte[ID_LENGTH];
    new java.security.SecureRandom().nextBytes(rootId);
    String label = label(rootId);
    Template t = Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES)
        .ulong(CKA.VALUE_LEN, 32).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
        .bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false).bool(CKA.MODIFIABLE, false)
        .string(CKA.LABEL, label).bytes(CKA.ID, label.getBytes(StandardCharsets.US_ASCII))
        .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).bool(CKA.WRAP, false).bool(CKA.UNWRAP, false)
        .bool(CKA.SIGN, false).bool(CKA.VERIFY, false).bool(CKA.DERIVE, false).build();
    try {
      token.call(s -> s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), t));
    } catch (Pkcs11Exception e) {
      throw new KeyringException("cannot generate the root key " + label + " on " + tokenName + ": "
          + e.getMessage(), e);
    }
    return rootId;
  }

  /** Destroys the root key with this id (a store that could not be written). */
  private void destroyKey(byte[] rootId) {
    try {
      token.call(s -> {
        for (long h : s.findObjects(find(rootId))) {
          s.destroyObject(h);
        }
        return null;
      });
    } catch (Pkcs11Exception e) {
      throw new KeyringException("cannot destroy the root key " + label(rootId) + " on " + tokenName + ": "
          + e.getMessage(), e);
    }
  }

  /** AES-256-GCM encryption of the master key on the token, with {@code aad} bound. */
  private byte[] wrap(byte[] rootId, byte[] iv, byte[] aad, byte[] master) {
    try {
      byte[] out = token.call(s -> {
        long h = handle(s, rootId);
        return h == 0 ? null : s.encrypt(Mechanism.gcm(iv, aad, 128), h, master);
      });
      if (out == null) {
        throw new KeyringException("the root key " + label(rootId) + " vanished from " + tokenName);
      }
      return out;
    } catch (Pkcs11Exception e) {
      throw new KeyringException("cannot wrap the master key with " + label(rootId) + " on " + tokenName
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts the master key on the token.
   *
   * @throws KeyringException if the token has no such root key (wrong token, or the key was
   *     destroyed) or the key does not open the store
   */
  private byte[] unwrap(byte[] rootId, byte[] iv, byte[] aad, byte[] wrapped, String where) {
    byte[] master;
    try {
      master = token.call(s -> {
        long h = handle(s, rootId);
        return h == 0 ? null : s.decrypt(Mechanism.gcm(iv, aad, 128), h, wrapped);
      });
    } catch (Pkcs11Exception e) {
      if (e.returnValue() == CKR.ENCRYPTED_DATA_INVALID || e.returnValue() == CKR.ENCRYPTED_DATA_LEN_RANGE) {
        throw new KeyringException("the token key " + label(rootId) + " on " + tokenName + " does not open "
            + where + " (GCM tag mismatch): the header was changed, or the key was replaced");
      }
      throw new KeyringException("cannot unwrap the master key of " + where + " with " + label(rootId)
          + " on " + tokenName + ": " + e.getMessage(), e);
    }
    if (master == null) {
      throw new KeyringException(where + " is rooted in the token key " + label(rootId) + ", which "
          + tokenName + " does not hold: this is the wrong token, or the key was destroyed (then the"
          + " store cannot be opened any more; restore the token from its backup)");
    }
    return master;
  }

  /** @return the handle of the root key, or 0 ({@code CK_INVALID_HANDLE}) if the token has none */
  private static long handle(dev.clavis.pkcs11.Session s, byte[] rootId) throws Pkcs11Exception {
    long[] found = s.findObjects(find(rootId));
    return found.length == 0 ? 0 : found[0];
  }

  private static Template find(byte[] rootId) {
    // private only: a public key with this id would be one planted without the PIN
    return Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
        .bytes(CKA.ID, label(rootId).getBytes(StandardCharsets.US_ASCII)).build();
  }

  /** Closes the token's sessions (the module stays initialized for the process). */
  @Override
  public void close() {
    token.close();
  }

  @Override
  public String toString() {
    return "TokenRootProtector{" + tokenName + "}";
  }
}
