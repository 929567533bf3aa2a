package dev.clavis.keyring.file;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.WrongPasswordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects the master key with a password: password → KDF (Argon2id, RFC 9106, or
 * PBKDF2-HMAC-SHA256, RFC 8018, within {@link KdfLimits}) with a 16-byte salt → K_pw, which
 * GCM-wraps the master key. The password array is the caller's: it is read, never kept beyond
 * the caller's use of this object, and not wiped here.
 */
public final class PasswordProtector implements MasterKeyProtector {

  /** Salt length of a new store, in bytes. */
  static final int SALT_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final char[] password;
  private final KdfParameters kdfForNew;

  /**
   * @param password the password (not copied, not wiped)
   * @param kdfForNew the KDF of a new store, or null for {@link KdfParameters#defaults()}
   * @throws NullPointerException if {@code password} is null
   */
  public PasswordProtector(char[] password, KdfParameters kdfForNew) {
    this.password = Objects.requireNonNull(password, "password");
    this.kdfForNew = kdfForNew == null ? KdfParameters.defaults() : kdfForNew;
  }

  /** @return the KDF a new store gets */
  KdfParameters kdfForNew() {
    return kdfForNew;
  }

  @Override
  public Kind kind() {
    return Kind.PASSWORD;
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.clavis.keyring.WeakKdfException if the KDF is below OWASP's minimums and not
   *     {@link KdfParameters#allowingWeak()}
   */
  @Override
  public ProtectorParameters newParameters(String store) {
    KdfLimits.requireStrongEnough(kdfForNew, "cannot create the key store " + store);
    return fresh(kdfForNew);
  }

  /** @return {@code kdf} with a fresh random salt */
  static ProtectorParameters fresh(KdfParameters kdf) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return ProtectorParameters.password(kdf, salt);
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyringException if {@code parameters} are not a password's, or the JDK lacks a cipher
   */
  @Override
  public byte[] wrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] master) {
    byte[] pw = derive(parameters);
    try {
      return gcmWrap(pw, iv, aad, master);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws WrongPasswordException if the password does not open the store
   * @throws KeyringException if the store is token-rooted (it has no password)
   */
  @Override
  public byte[] unwrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] wrapped, String where) {
    if (parameters.kind() != Kind.PASSWORD) {
      throw new KeyringException(where + " has no password: its master key is wrapped by the token key "
          + ProtectorParameters.tokenRootLabel(parameters.id()) + "; open it with its PKCS#11 token"
          + " (clavis --store FILE --hsm CONFIG)");
    }
    byte[] pw = derive(parameters);
    try {
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(pw, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      return c.doFinal(wrapped);
    } catch (AEADBadTagException e) {
      throw new WrongPasswordException("wrong password for " + where + " (the store was not changed)");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot unlock " + where + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /** AES-256-GCM of {@code master} under {@code key}, with {@code aad} bound. */
  static byte[] gcmWrap(byte[] key, byte[] iv, byte[] aad, byte[] master) {
    try {
      Cipher c = FileMaterial.cipher("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      return c.doFinal(master);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot wrap the master key", e);
    }
  }

  private byte[] derive(ProtectorParameters parameters) {
    KdfParameters kdf = parameters.kdf().orElseThrow(() ->
        new KeyringException("a store rooted in a PKCS#11 token has no password to derive a key from"));
    byte[] salt = parameters.id();
    if (kdf.algorithm() == KdfParameters.Algorithm.ARGON2ID) {
      return argon2id(password, salt, kdf.iterations(), kdf.memoryKiB(), kdf.parallelism());
    }
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, kdf.iterations(), 256);
      try {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        return f.generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new KeyringException("PBKDF2-HMAC-SHA256 is unavailable in this JDK", e);
    }
  }

  /**
   * The one place the store runs Argon2id (RFC 9106, version 0x13, 32-byte tag), on Clavis's own
   * engine: lanes in parallel, memory wiped afterwards. The password is encoded as UTF-8.
   */
  private static byte[] argon2id(char[] password, byte[] salt, int t, int mKiB, int p) {
    byte[] pw = toUtf8(password);
    try {
      return Argon2.hash(Argon2Type.ARGON2ID, pw, salt, null, null, t, mKiB, p, 32);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static byte[] toUtf8(char[] password) {
    ByteBuffer bb = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }

  @Override
  public String toString() {
    return "PasswordProtector{" + kdfForNew + "}"; // never the password
  }
}
