package dev.clavis.keyring.lifecycle;

import dev.clavis.engine.stream.SegmentCipher;
import dev.clavis.engine.stream.SegmentDecryptingChannel;
import dev.clavis.engine.stream.SegmentDecryptingStream;
import dev.clavis.engine.stream.SegmentEncryptingStream;
import dev.clavis.engine.stream.StreamHeader;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine.Use;
import dev.clavis.keyring.spi.KeyMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;

/**
 * Envelopes, data keys and streams over the engine's permissions: AES-GCM envelopes and
 * GCM-wrapped data keys bound to an encryption context and this keyring ({@link Envelope}), the
 * format-1 forms they replace (read, and KWP keys rewrapped in bulk), and streaming envelopes
 * ({@code engine.stream}) whose data key is such a wrapped key. Every use asks the engine first
 * ({@link KeyringEngine#protect}, {@link KeyringEngine#unprotect}), which applies the lifecycle
 * and counts the use; this class only formats and calls the material.
 */
final class EnvelopeService {

  private final KeyringEngine engine;
  private final KeyringIdentity identity;
  private final SecureRandom random = new SecureRandom();
  /** The data-key cache, null while it is off (the default). */
  private volatile DataKeyCache cache;

  EnvelopeService(KeyringEngine engine) {
    this.engine = engine;
    this.identity = new KeyringIdentity(engine);
  }

  /** Turns the data-key cache on; once. */
  synchronized void enableCache(DataKeyCache c) {
    if (cache != null) {
      c.close();
      throw new IllegalStateException("the data-key cache of this keyring is on already");
    }
    cache = c;
  }

  /** @return the data-key cache, or null when it is off */
  DataKeyCache cache() {
    return cache;
  }

  /** After a commit of this process: entries whose KEK changed state go at once. */
  void committed() {
    DataKeyCache c = cache;
    if (c != null) {
      c.sweep();
    }
  }

  /** Wipes the data-key cache. */
  void close() {
    DataKeyCache c = cache;
    if (c != null) {
      c.close();
    }
  }

  /**
   * {@link #unwrapDataKey(byte[], EncryptionContext, boolean, String)} through the data-key cache
   * when it is on: the binding to this keyring and the context is checked first, every hit checks
   * the KEK version's state ({@link DataKeyCache}).
   *
   * @param bytes how many bytes the caller will protect with the key (0 if it does not say)
   * @throws IllegalArgumentException if {@code bytes} is negative
   * @throws EncryptionContextException if the key is bound to another context
   * @throws KeyringException as {@link #unwrapDataKey(byte[], EncryptionContext, boolean, String)}
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] unwrapDataKey(byte[] wrappedDataKey, EncryptionContext context, long bytes) {
    return unwrapCached(wrappedDataKey, context, bytes, "wrapped data key");
  }

  /** @param what names the data in messages ("wrapped data key", "stream") */
  private byte[] unwrapCached(byte[] wrappedDataKey, EncryptionContext context, long bytes, String what) {
    if (bytes < 0) {
      throw new IllegalArgumentException("the bytes a data key protects cannot be negative, got " + bytes);
    }
    DataKeyCache c = cache;
    if (c == null) {
      return unwrapDataKey(wrappedDataKey, context, false, what);
    }
    Envelope.Header h = Envelope.parse(wrappedDataKey, Envelope.WRAPPED, "wrapped data key");
    checkBinding(h, context, what);
    byte[] dek = c.get(wrappedDataKey, context, h.ref(), bytes, () -> {
      Use u = engine.unprotect(h.ref(), false);
      return unwrapOne(h, u, wrappedDataKey);
    });
    // a key served from the cache is a decryption like any other: counted, and recorded when the
    // keyring or the store audits decryptions (a failed record releases nothing)
    return released(h.ref(), dek, context);
  }

  /**
   * @throws KeyringException if the backend fails
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] encrypt(String name, byte[] plaintext, byte[] associatedData, EncryptionContext context) {
    Use u = engine.protect(KeyRef.of(name), 1);
    try {
      return seal(u, Envelope.ENVELOPE, context, plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("encryption under " + u.version() + " failed in the backend", e);
    }
  }

  /** A format-2 envelope or wrapped key: header with a fresh IV, then GCM with the header (and {@code aad}) as AAD. */
  private byte[] seal(Use u, byte kind, EncryptionContext context, byte[] plaintext, byte[] aad)
      throws GeneralSecurityException {
    // the IV comes with the operation from the one IV source (never reused: see GcmIvSource)
    GcmIvSource.Encryption enc = GcmIvSource.start(u.material(), 128);
    int hl = Envelope.header2Length(u.version(), context);
    byte[] out = Envelope.header2(kind, u.version(), identity.id(), context, plaintext.length + Envelope.TAG_LENGTH);
    System.arraycopy(enc.iv(), 0, out, Envelope.ivOffset(u.version()), Envelope.IV_LENGTH);
    KeyMaterial.AeadOperation op = enc.operation();
    op.updateAad(out, 0, hl);
    if (aad != null) {
      op.updateAad(aad, 0, aad.length);
    }
    op.doFinal(plaintext, 0, plaintext.length, out, hl);
    return out;
  }

  /**
   * Counts (and with {@code --audit-decrypts} records) a decryption before its plaintext leaves:
   * a failed audit write releases nothing.
   *
   * @param context the encryption context bound to the ciphertext, or null
   */
  private byte[] released(KeyRef version, byte[] plain, EncryptionContext context) {
    try {
      engine.recordDecryption(version, context == null || context.isEmpty() ? null : context.asMap());
      return plain;
    } catch (RuntimeException e) {
      Arrays.fill(plain, (byte) 0);
      throw e;
    }
  }

  /** Refuses another keyring's data and another context before any key is used. */
  private void checkBinding(Envelope.Header h, EncryptionContext given, String what) {
    identity.check(h, what);
    if (!h.context().equals(given)) {
      throw new EncryptionContextException(what, h.context(), given);
    }
  }

  /**
   * @throws EncryptionContextException if the envelope is bound to another context
   * @throws KeyringException if the envelope is malformed, altered, from another keyring, or the backend fails
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] decrypt(byte[] envelope, byte[] associatedData, EncryptionContext context, boolean allowCompromised) {
    return decrypt(envelope, associatedData, context, allowCompromised, "decrypt");
  }

  /** @param purpose what an override of COMPROMISED is for, in its audit record: decrypt or rewrap */
  private byte[] decrypt(byte[] envelope, byte[] associatedData, EncryptionContext context,
      boolean allowCompromised, String purpose) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE, "envelope");
    checkBinding(h, context, "envelope");
    if (envelope.length < h.payloadOffset() + Envelope.TAG_LENGTH) {
      throw new KeyringException("this Clavis envelope is truncated");
    }
    Use u = engine.unprotect(h.ref(), allowCompromised, purpose);
    return released(u.version(), withOverride(u, allowCompromised, () -> open(h, u, envelope, associatedData)), context);
  }

  private <T> T withOverride(Use u, boolean allowCompromised, Supplier<T> use) {
    // a backend that forbids a COMPROMISED version's use itself (the token) lifts that for this call
    return allowCompromised ? engine.backend().overridingState(u.version(), use) : use.get();
  }

  private static byte[] open(Envelope.Header h, Use u, byte[] envelope, byte[] associatedData) {
    int at = h.payloadOffset();
    byte[] out = new byte[envelope.length - at - Envelope.TAG_LENGTH];
    try {
      KeyMaterial.AeadOperation op = u.material().startGcm(false, h.iv(envelope), 128);
      op.updateAad(envelope, 0, at);
      if (associatedData != null) {
        op.updateAad(associatedData, 0, associatedData.length);
      }
      op.doFinal(envelope, at, envelope.length - at, out, 0);
      return out;
    } catch (AEADBadTagException e) {
      throw new KeyringException("the envelope under " + h.ref() + " failed its integrity check: it was altered,"
          + " or the associated data differs");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("decryption under " + h.ref() + " failed in the backend", e);
    }
  }

  /**
   * Re-encrypts under the primary with the same context (format 2 whatever the input's format).
   *
   * @throws EncryptionContextException if the envelope is bound to another context
   * @throws KeyringException as {@link #decrypt} and {@link #encrypt}
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] rewrap(byte[] envelope, byte[] associatedData, EncryptionContext context) {
    return rewrap(envelope, associatedData, context, false);
  }

  /**
   * Re-encrypts under the name's primary, keeping the context; with {@code allowCompromised} also an
   * envelope under a {@code COMPROMISED} version: the rescue of its data in one step, whose override
   * is audited ({@code rewrap-compromised}) before the version's material is used, and whose
   * plaintext never leaves this call.
   *
   * @throws EncryptionContextException if the envelope is bound to another context
   * @throws KeyringException as {@link #decrypt} and {@link #encrypt}
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] rewrap(byte[] envelope, byte[] associatedData, EncryptionContext context, boolean allowCompromised) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE, "envelope");
    byte[] pt = decrypt(envelope, associatedData, context, allowCompromised, "rewrap");
    try {
      return encrypt(h.ref().name(), pt, associatedData, h.context());
    } finally {
      Arrays.fill(pt, (byte) 0);
    }
  }

  /**
   * A fresh DEK wrapped (format 2: AES-GCM under the KEK, the context in the associated data).
   *
   * @throws IllegalArgumentException for a size other than 128, 192, 256 or a key that is not AES
   * @throws KeyringException if the backend fails
   */
  DataKey generateDataKey(String kekName, int bits, EncryptionContext context) {
    return context.isEmpty() ? generateDataKey(kekName, bits, null, false) : generateDataKey(kekName, bits, context, true);
  }

  /**
   * A fresh DEK, wrapped in format 1 (KWP, RFC 5649) when there is no context to bind, else in
   * format 2 (AES-GCM with the header, context and keyring id as associated data). Why both: a
   * KWP-wrapped key can be unwrapped and wrapped anew inside a token ({@code C_UnwrapKey} +
   * {@code C_WrapKey}, {@link DataKeyRewrapper}) and rewraps in AES-NI lanes, while PKCS#11 has
   * no key unwrap with associated data; binding a context needs GCM (docs/envelope.md).
   *
   * @param gcm true for format 2 (required for a context, and for streams)
   */
  private DataKey generateDataKey(String kekName, int bits, EncryptionContext context, boolean gcm) {
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
      if (gcm) {
        return new DataKey(dek, seal(u, Envelope.WRAPPED, context == null ? EncryptionContext.empty() : context, dek,
            null), u.version());
      }
      byte[] w = u.material().wrapKwp(dek);
      byte[] out = Envelope.wrappedHeader1(u.version(), w.length);
      System.arraycopy(w, 0, out, out.length - w.length, w.length);
      return new DataKey(dek, out, u.version());
    } catch (GeneralSecurityException e) {
      throw new KeyringException("wrapping a data key under " + u.version() + " failed in the backend", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }


  /**
   * @param what names the data in messages ("wrapped data key", or "stream" for a stream's key)
   * @throws EncryptionContextException if the key is bound to another context
   * @throws KeyringException if the wrapped key is malformed, from another keyring, or fails its integrity check
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  byte[] unwrapDataKey(byte[] wrappedDataKey, EncryptionContext context, boolean allowCompromised, String what) {
    return unwrapDataKey(wrappedDataKey, context, allowCompromised, what, "decrypt");
  }

  /** @param purpose what an override of COMPROMISED is for, in its audit record: decrypt or rewrap */
  private byte[] unwrapDataKey(byte[] wrappedDataKey, EncryptionContext context, boolean allowCompromised,
      String what, String purpose) {
    Envelope.Header h = Envelope.parse(wrappedDataKey, Envelope.WRAPPED, "wrapped data key");
    checkBinding(h, context, what);
    Use u = engine.unprotect(h.ref(), allowCompromised, purpose);
    return released(u.version(), withOverride(u, allowCompromised, () -> unwrapOne(h, u, wrappedDataKey)), context);
  }

  private static byte[] unwrapOne(Envelope.Header h, Use u, byte[] w) {
    try {
      if (h.format() == Envelope.FORMAT_1) {
        return u.material().unwrapKwp(Arrays.copyOfRange(w, h.payloadOffset(), w.length));
      }
      int at = h.payloadOffset();
      if (w.length < at + Envelope.TAG_LENGTH + 16) {
        throw new KeyringException("this Clavis wrapped data key is truncated");
      }
      KeyMaterial.AeadOperation op = u.material().startGcm(false, h.iv(w), 128);
      op.updateAad(w, 0, at);
      byte[] dek = new byte[w.length - at - Envelope.TAG_LENGTH];
      op.doFinal(w, at, w.length - at, dek, 0);
      return dek;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("the wrapped data key under " + h.ref() + " failed its integrity check");
    }
  }

  /**
   * Rewraps one wrapped key under its KEK's primary, keeping its context and format 2.
   *
   * @throws EncryptionContextException if the key is bound to another context
   * @throws KeyringException as {@link #unwrapDataKey} and {@link #generateDataKey}
   */
  byte[] rewrapDataKey(byte[] wrappedDataKey, EncryptionContext context, String what) {
    return rewrapDataKey(wrappedDataKey, context, what, false);
  }

  /**
   * As {@link #rewrapDataKey(byte[], EncryptionContext, String)}; with {@code allowCompromised}
   * also a key wrapped under a {@code COMPROMISED} version, the override audited as
   * {@code rewrap-compromised} before the version is used.
   */
  byte[] rewrapDataKey(byte[] wrappedDataKey, EncryptionContext context, String what, boolean allowCompromised) {
    Envelope.Header h = Envelope.parse(wrappedDataKey, Envelope.WRAPPED, "wrapped data key");
    byte[] dek = unwrapDataKey(wrappedDataKey, context, allowCompromised, what, "rewrap");
    Use u = engine.protect(KeyRef.of(h.ref().name()), 1);
    try {
      return seal(u, Envelope.WRAPPED, h.context(), dek, null);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("wrapping a data key under " + u.version() + " failed in the backend", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }

  /**
   * Unwraps every key (format-1 keys grouped by version, one multi-lane unwrap each), then wraps
   * them under each key's primary, each in its own format: format-1 keys with one multi-lane KWP
   * per KEK, format-2 keys with GCM and the context each is bound to (which its own tag
   * authenticated). All or nothing.
   *
   * @throws KeyringException if any wrapped key fails its integrity check or comes from another keyring (nothing is rewrapped)
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  DataKeyRewrap rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    boolean allFormat1 = true;
    Envelope.Header[] heads = new Envelope.Header[wrappedDataKeys.size()];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = Envelope.parse(wrappedDataKeys.get(i), Envelope.WRAPPED, "wrapped data key");
      allFormat1 &= heads[i].format() == Envelope.FORMAT_1;
    }
    if (allFormat1) {
      // KWP keys: inside the backend where it can hold keys (a token), else multi-lane in memory
      return new DataKeyRewrapper(engine).rewrap(wrappedDataKeys, heads);
    }
    List<byte[]> out = rewrapInHost(wrappedDataKeys);
    return new DataKeyRewrap(out, out.size(), List.of("format-2 (context-bound AES-GCM) wrapped keys are rewrapped"
        + " in host memory: PKCS#11 offers no AES-GCM key unwrap that could keep them in the backend"));
  }

  /** The host-memory rewrap of a batch with format-2 keys (see {@link #rewrapDataKeys}). */
  private List<byte[]> rewrapInHost(List<byte[]> wrappedDataKeys) {
    int n = wrappedDataKeys.size();
    Envelope.Header[] heads = new Envelope.Header[n];
    Map<KeyRef, List<Integer>> byVersion = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      heads[i] = Envelope.parse(wrappedDataKeys.get(i), Envelope.WRAPPED, "wrapped data key");
      identity.check(heads[i], "wrapped data key");
      byVersion.computeIfAbsent(heads[i].ref(), r -> new ArrayList<>()).add(i);
    }
    byte[][] deks = new byte[n][];
    byte[][] out = new byte[n][];
    try {
      for (Map.Entry<KeyRef, List<Integer>> e : byVersion.entrySet()) {
        unwrapGroup(e.getKey(), e.getValue(), wrappedDataKeys, heads, deks);
      }
      Map<String, List<Integer>> byName = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        byName.computeIfAbsent(heads[i].ref().name(), x -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
        wrapGroup(e.getKey(), e.getValue(), heads, deks, out);
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

  private void unwrapGroup(KeyRef ref, List<Integer> idx, List<byte[]> wrapped, Envelope.Header[] heads, byte[][] deks) {
    Use u = engine.unprotect(ref, false);
    // counted only: the data keys never leave Clavis here, so no per-decryption record
    engine.countDecryptions(ref, idx.size());
    List<Integer> kwp = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    for (int i : idx) {
      if (heads[i].format() == Envelope.FORMAT_1) {
        byte[] w = wrapped.get(i);
        kwp.add(i);
        payloads.add(Arrays.copyOfRange(w, heads[i].payloadOffset(), w.length));
      } else {
        try {
          deks[i] = unwrapOne(heads[i], u, wrapped.get(i));
        } catch (KeyringException ex) {
          throw new KeyringException("wrapped data key " + i + " under " + ref + " failed its integrity check;"
              + " nothing was rewrapped");
        }
      }
    }
    if (kwp.isEmpty()) {
      return;
    }
    List<byte[]> plain;
    try {
      plain = u.material().unwrapKwpAll(payloads);
    } catch (GeneralSecurityException ex) {
      throw new KeyringException("a wrapped data key under " + ref + " failed its integrity check ("
          + ex.getMessage() + "); nothing was rewrapped");
    }
    for (int j = 0; j < plain.size(); j++) {
      deks[kwp.get(j)] = plain.get(j);
    }
  }

  private void wrapGroup(String name, List<Integer> idx, Envelope.Header[] heads, byte[][] deks, byte[][] out) {
    Use u = engine.protect(KeyRef.of(name), idx.size());
    List<Integer> kwp = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    try {
      for (int i : idx) {
        if (heads[i].format() == Envelope.FORMAT_1) {
          kwp.add(i);
          keys.add(deks[i]);
        } else {
          out[i] = seal(u, Envelope.WRAPPED, heads[i].context(), deks[i], null);
        }
      }
      if (kwp.isEmpty()) {
        return;
      }
      List<byte[]> wrapped = u.material().wrapKwpAll(keys);
      int hl = Envelope.ivOffset(u.version());
      byte[] proto = Envelope.wrappedHeader1(u.version(), 0);
      for (int j = 0; j < wrapped.size(); j++) {
        byte[] w = wrapped.get(j);
        byte[] o = Arrays.copyOf(proto, hl + w.length);
        System.arraycopy(w, 0, o, hl, w.length);
        out[kwp.get(j)] = o;
      }
    } catch (GeneralSecurityException ex) {
      throw new KeyringException("wrapping data keys under " + u.version() + " failed in the backend", ex);
    }
  }

  /** {@code "CLW" 0x01 | u8 n | name | u32 version}: format-1 keys stay format 1 through a bulk rewrap. */
  // ---------------------------------------------------------------- streams

  /**
   * @throws IOException if writing the header fails
   * @throws KeyringException as {@link #generateDataKey}
   */
  OutputStream encryptingStream(String name, EncryptionContext context, byte[] associatedData, OutputStream out,
      int segmentSize) throws IOException {
    DataKey dk = generateDataKey(name, 256, context, true); // streams always bind their keyring (format 2)
    StreamHeader header = StreamHeader.create(dk.wrapped(), segmentSize);
    byte[] dek = dk.plaintextKey();
    SegmentCipher cipher = null;
    try {
      cipher = SegmentCipher.derive(dek, header, associatedData);
      SegmentEncryptingStream s = new SegmentEncryptingStream(out, header, cipher);
      cipher = null;
      return s;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("deriving the stream key failed in the JDK", e);
    } finally {
      if (cipher != null) {
        cipher.close(); // the header could not be written: wipe the stream key
      }
      Arrays.fill(dek, (byte) 0);
      dk.destroy();
    }
  }

  /**
   * @throws IOException if reading the header fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws KeyringException if the header is malformed or its data key does not unwrap
   */
  InputStream decryptingStream(InputStream in, EncryptionContext context, byte[] associatedData,
      boolean allowCompromised) throws IOException {
    StreamHeader header = readHeader(in);
    return new SegmentDecryptingStream(in, header, streamCipher(header, context, associatedData, allowCompromised));
  }

  /**
   * @throws IOException if reading fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws KeyringException if the header is malformed or its data key does not unwrap
   */
  SeekableByteChannel decryptingChannel(SeekableByteChannel in, EncryptionContext context, byte[] associatedData)
      throws IOException {
    in.position(0);
    // not closed: closing it would close the channel the reader keeps
    StreamHeader header = readHeader(Channels.newInputStream(in));
    return new SegmentDecryptingChannel(in, header, streamCipher(header, context, associatedData, false));
  }

  /**
   * Rewraps a stream's data key under the primary (same context) and copies the segments as they
   * are: the data key, hence the segments, do not change, so nothing is decrypted.
   *
   * @return the KEK version the stream is wrapped under now
   * @throws IOException if reading or writing fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws KeyringException as {@link #rewrapDataKey}
   */
  KeyRef rewrapStream(InputStream in, OutputStream out, EncryptionContext context, boolean allowCompromised)
      throws IOException {
    StreamHeader header = readHeader(in);
    byte[] rewrapped = rewrapDataKey(header.wrappedKey(), context, "stream", allowCompromised);
    out.write(header.withWrappedKey(rewrapped).encode());
    in.transferTo(out);
    out.flush();
    return Envelope.parse(rewrapped, Envelope.WRAPPED, "wrapped data key").ref();
  }

  private static StreamHeader readHeader(InputStream in) throws IOException {
    try {
      return StreamHeader.read(in);
    } catch (StreamHeader.StreamFormatException e) {
      throw new KeyringException(e.getMessage());
    }
  }

  private SegmentCipher streamCipher(StreamHeader header, EncryptionContext context, byte[] aad, boolean allowCompromised) {
    // the override is never cached; a stream's length is unknown when its key is unwrapped: 0 bytes declared
    byte[] dek = allowCompromised ? unwrapDataKey(header.wrappedKey(), context, true, "stream")
        : unwrapCached(header.wrappedKey(), context, 0, "stream");
    try {
      return SegmentCipher.derive(dek, header, aad);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("deriving the stream key failed in the JDK", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }
}
