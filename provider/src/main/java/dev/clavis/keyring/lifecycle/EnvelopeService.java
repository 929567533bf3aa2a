package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine.Use;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    return decrypt(envelope, associatedData, allowCompromised, "decrypt");
  }

  /** @param purpose what an override of COMPROMISED is for, in its audit record: decrypt or rewrap */
  private byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised, String purpose) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    int ivEnd = h.headerLength() + Envelope.IV_LENGTH;
    if (envelope.length < ivEnd + Envelope.TAG_LENGTH) {
      throw new KeyringException("this Clavis envelope is truncated");
    }
    Use u = engine.unprotect(h.ref(), allowCompromised, purpose);
    if (allowCompromised) {
      // a backend that forbids a COMPROMISED version's use itself (the token) lifts that for this call
      return engine.backend().overridingState(u.version(), () -> open(h, u, envelope, ivEnd, associatedData));
    }
    return open(h, u, envelope, ivEnd, associatedData);
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
    return rewrap(envelope, associatedData, false);
  }

  /**
   * Re-encrypts under the name's primary; with {@code allowCompromised} also an envelope under a
   * {@code COMPROMISED} version: the rescue of its data in one step, whose override is audited
   * ({@code rewrap-compromised}) before the version's material is used, and whose plaintext never
   * leaves this call.
   *
   * @throws KeyringException as {@link #decrypt} and {@link #encrypt}
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] rewrap(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    byte[] pt = decrypt(envelope, associatedData, allowCompromised, "rewrap");
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
      return u.material().unwrapKwp(Arrays.copyOfRange(wrappedDataKey, h.headerLength(), wrappedDataKey.length));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("the wrapped data key under " + h.ref() + " failed its integrity check");
    }
  }

  /**
   * Unwraps every key grouped by version (one multi-lane unwrap each), then wraps them under each
   * key's primary (one multi-lane wrap and one usage grant per key). All or nothing.
   *
   * @throws KeyringException if any wrapped key fails its integrity check (nothing is rewrapped)
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    int n = wrappedDataKeys.size();
    Envelope.Header[] heads = new Envelope.Header[n];
    Map<KeyRef, List<Integer>> byVersion = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      heads[i] = Envelope.parse(wrappedDataKeys.get(i), Envelope.WRAPPED_MAGIC, "wrapped data key");
      byVersion.computeIfAbsent(heads[i].ref(), r -> new ArrayList<>()).add(i);
    }
    byte[][] deks = new byte[n][];
    byte[][] out = new byte[n][];
    try {
      for (Map.Entry<KeyRef, List<Integer>> e : byVersion.entrySet()) {
        Use u = engine.unprotect(e.getKey(), false);
        List<byte[]> payloads = new ArrayList<>(e.getValue().size());
        for (int i : e.getValue()) {
          byte[] w = wrappedDataKeys.get(i);
          payloads.add(Arrays.copyOfRange(w, heads[i].headerLength(), w.length));
        }
        List<byte[]> plain;
        try {
          plain = u.material().unwrapKwpAll(payloads);
        } catch (GeneralSecurityException ex) {
          throw new KeyringException("a wrapped data key under " + e.getKey() + " failed its integrity check ("
              + ex.getMessage() + "); nothing was rewrapped");
        }
        for (int j = 0; j < plain.size(); j++) {
          deks[e.getValue().get(j)] = plain.get(j);
        }
      }
      Map<String, List<Integer>> byName = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        byName.computeIfAbsent(heads[i].ref().name(), x -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
        Use u = engine.protect(KeyRef.of(e.getKey()), e.getValue().size());
        List<byte[]> keys = new ArrayList<>(e.getValue().size());
        for (int i : e.getValue()) {
          keys.add(deks[i]);
        }
        List<byte[]> wrapped;
        try {
          wrapped = u.material().wrapKwpAll(keys);
        } catch (GeneralSecurityException ex) {
          throw new KeyringException("wrapping data keys under " + u.version() + " failed in the backend", ex);
        }
        int hl = Envelope.headerLength(u.version());
        byte[] proto = Envelope.header(Envelope.WRAPPED_MAGIC, u.version(), 0);
        for (int j = 0; j < wrapped.size(); j++) {
          byte[] w = wrapped.get(j);
          byte[] o = Arrays.copyOf(proto, hl + w.length);
          System.arraycopy(w, 0, o, hl, w.length);
          out[e.getValue().get(j)] = o;
        }
      }
      return Arrays.asList(out);
    } finally {
      for (byte[] d : deks) {
        if (d != null) {
          Arrays.fill(d, (byte) 0);
        }
      }
    }
  }
}
