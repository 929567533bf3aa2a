package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine.Use;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;

/**
 * Envelopes and data keys over the engine's permissions: AES-GCM envelopes ({@link Envelope}),
 * data keys wrapped with RFC 5649 and their bulk rewrap. Every use asks the engine first ({@link
 * KeyringEngine#protect}, {@link KeyringEngine#unprotect}), which applies the lifecycle and counts
 * the use; this class only formats and calls the material.
 */
final class EnvelopeService {

  private final KeyringEngine engine;
  private final SecureRandom random = new SecureRandom();

  EnvelopeService(KeyringEngine engine) {
    this.engine = engine;
  }

  /**
   * @throws KeyringException if the backend fails
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] encrypt(String name, byte[] plaintext, byte[] associatedData) {
    Use u = engine.protect(KeyRef.of(name), 1);
    try {
      // the IV comes with the operation from the one IV source (never reused: see GcmIvSource)
      GcmIvSource.Encryption enc = GcmIvSource.start(u.material(), 128);
      byte[] iv = enc.iv();
      byte[] head = Envelope.header(Envelope.ENVELOPE_MAGIC, u.version(), Envelope.IV_LENGTH);
      System.arraycopy(iv, 0, head, head.length - Envelope.IV_LENGTH, Envelope.IV_LENGTH);
      byte[] out = Arrays.copyOf(head, head.length + plaintext.length + Envelope.TAG_LENGTH);
      KeyMaterial.AeadOperation op = enc.operation();
      op.updateAad(head, 0, head.length);
      if (associatedData != null) {
        op.updateAad(associatedData, 0, associatedData.length);
      }
      op.doFinal(plaintext, 0, plaintext.length, out, head.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("encryption under " + u.version() + " failed in the backend", e);
    }
  }

  /**
   * @throws KeyringException if the envelope is malformed, altered, or the backend fails
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    int ivEnd = h.headerLength() + Envelope.IV_LENGTH;
    if (envelope.length < ivEnd + Envelope.TAG_LENGTH) {
      throw new KeyringException("this Clavis envelope is truncated");
    }
    Use u = engine.unprotect(h.ref(), allowCompromised);
    byte[] plain = allowCompromised
        // a backend that forbids a COMPROMISED version's use itself (the token) lifts that for this call
        ? engine.backend().overridingState(u.version(), () -> open(h, u, envelope, ivEnd, associatedData))
        : open(h, u, envelope, ivEnd, associatedData);
    return released(u.version(), plain, null);
  }

  /**
   * Counts (and with {@code --audit-decrypts} records) a decryption before its plaintext leaves:
   * a failed audit write releases nothing.
   *
   * @param context the encryption context bound to the ciphertext, or null
   */
  private byte[] released(KeyRef version, byte[] plain, Map<String, String> context) {
    try {
      engine.recordDecryption(version, context);
      return plain;
    } catch (RuntimeException e) {
      Arrays.fill(plain, (byte) 0);
      throw e;
    }
  }

  private static byte[] open(Envelope.Header h, Use u, byte[] envelope, int ivEnd, byte[] associatedData) {
    byte[] iv = Arrays.copyOfRange(envelope, h.headerLength(), ivEnd);
    byte[] out = new byte[envelope.length - ivEnd - Envelope.TAG_LENGTH];
    try {
      KeyMaterial.AeadOperation op = u.material().startGcm(false, iv, 128);
      op.updateAad(envelope, 0, ivEnd);
      if (associatedData != null) {
        op.updateAad(associatedData, 0, associatedData.length);
      }
      op.doFinal(envelope, ivEnd, envelope.length - ivEnd, out, 0);
      return out;
    } catch (AEADBadTagException e) {
      throw new KeyringException("the envelope under " + h.ref() + " failed its integrity check: it was altered,"
          + " or the associated data differs");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("decryption under " + h.ref() + " failed in the backend", e);
    }
  }

  /**
   * @throws KeyringException as {@link #decrypt} and {@link #encrypt}
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] rewrap(byte[] envelope, byte[] associatedData) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    byte[] pt = decrypt(envelope, associatedData, false);
    try {
      return encrypt(h.ref().name(), pt, associatedData);
    } finally {
      Arrays.fill(pt, (byte) 0);
    }
  }

  /**
   * @throws IllegalArgumentException for a size other than 128, 192, 256 or a key that is not AES
   * @throws KeyringException if the backend fails
   */
  DataKey generateDataKey(String kekName, int bits) {
    if (bits != 128 && bits != 192 && bits != 256) {
      throw new IllegalArgumentException("data keys are 128, 192 or 256 bits, got " + bits);
    }
    if (!engine.algorithmOf(kekName).isAes()) {
      throw new IllegalArgumentException("key " + kekName + " is " + engine.algorithmOf(kekName)
          + " and cannot wrap data keys");
    }
    Use u = engine.protect(KeyRef.of(kekName), 1);
    byte[] dek = new byte[bits / 8];
    random.nextBytes(dek);
    try {
      byte[] w = u.material().wrapKwp(dek);
      byte[] head = Envelope.header(Envelope.WRAPPED_MAGIC, u.version(), w.length);
      System.arraycopy(w, 0, head, head.length - w.length, w.length);
      return new DataKey(dek, head, u.version());
    } catch (GeneralSecurityException e) {
      throw new KeyringException("wrapping a data key under " + u.version() + " failed in the backend", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }

  /**
   * @throws KeyringException if the wrapped key is malformed or fails its integrity check
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] unwrapDataKey(byte[] wrappedDataKey) {
    Envelope.Header h = Envelope.parse(wrappedDataKey, Envelope.WRAPPED_MAGIC, "wrapped data key");
    Use u = engine.unprotect(h.ref(), false);
    try {
      return released(u.version(), u.material().unwrapKwp(Arrays.copyOfRange(wrappedDataKey, h.headerLength(),
          wrappedDataKey.length)), null);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("the wrapped data key under " + h.ref() + " failed its integrity check");
    }
  }

  /**
   * Rewraps data keys under their KEKs' primaries, all or nothing, inside the backend where it can
   * ({@link DataKeyRewrapper}).
   *
   * @throws KeyringException if any wrapped key fails its integrity check (nothing is rewrapped)
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  DataKeyRewrap rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    return new DataKeyRewrapper(engine).rewrap(wrappedDataKeys);
  }
}
