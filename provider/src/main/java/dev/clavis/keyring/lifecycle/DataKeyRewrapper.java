package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine.Use;
import dev.clavis.keyring.spi.HeldKeys;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bulk rewrap of wrapped data keys under their KEKs' primaries, all or nothing. Every wrapped
 * key is first unwrapped, grouped by the version it names: inside the backend where it can hold
 * keys ({@link KeyMaterial#unwrapKwpHeld}: a token's sensitive session objects), otherwise into
 * host memory (one multi-lane unwrap per version). Only when all passed their integrity check is
 * one use per key granted for each name's primary, and the keys wrapped under it: held keys inside
 * the backend ({@link HeldKeys#wrapKwpUnder}), the others in one multi-lane wrap. Every key whose
 * plaintext passed through host memory is counted in the {@link DataKeyRewrap} with the reason.
 */
final class DataKeyRewrapper {

  /** The wrapped keys naming one version, and how they were unwrapped. */
  private static final class Group {
    final KeyRef version;
    final List<Integer> indices = new ArrayList<>();
    Use source;
    HeldKeys held;

    Group(KeyRef version) {
      this.version = version;
    }
  }

  private final KeyringEngine engine;

  DataKeyRewrapper(KeyringEngine engine) {
    this.engine = engine;
  }

  /**
   * @param heads the parsed header of each wrapped key (the caller parsed them all to choose this path)
   * @throws KeyringException if any wrapped key is malformed or fails its integrity check (nothing
   *     is rewrapped), or the backend fails
   * @throws dev.clavis.keyring.KeyUsageException if the lifecycle refuses
   */
  DataKeyRewrap rewrap(List<byte[]> wrappedDataKeys, Envelope.Header[] heads) {
    int n = wrappedDataKeys.size();
    Map<KeyRef, Group> groups = new LinkedHashMap<>();
    Group last = null;
    for (int i = 0; i < n; i++) {
      KeyRef ref = heads[i].ref();
      if (last == null || !last.version.equals(ref)) { // runs of one version need no lookup
        last = groups.computeIfAbsent(ref, Group::new);
      }
      last.indices.add(i);
    }
    byte[][] deks = new byte[n][];
    byte[][] out = new byte[n][];
    Set<String> notes = new LinkedHashSet<>();
    int inHost = 0;
    try {
      for (Group g : groups.values()) {
        g.source = engine.unprotect(g.version, false);
        List<byte[]> payloads = payloads(wrappedDataKeys, heads, g.indices);
        try {
          g.held = g.source.material().unwrapKwpHeld(payloads);
          // counted only: the data keys never leave Clavis here, so no per-decryption record
          engine.countDecryptions(g.version, g.indices.size());
          if (g.held == null) {
            unwrapInHost(g, g.indices, payloads, deks);
            String why = g.source.material().heldKeysLimitation();
            notes.add(why != null ? why : g.version + ": the backend cannot hold the data keys");
            inHost += g.indices.size();
          }
        } catch (GeneralSecurityException ex) {
          throw integrity(g.version, ex);
        }
      }
      Map<String, List<Group>> byName = new LinkedHashMap<>();
      for (Group g : groups.values()) {
        byName.computeIfAbsent(g.version.name(), x -> new ArrayList<>()).add(g);
      }
      for (Map.Entry<String, List<Group>> e : byName.entrySet()) {
        int count = 0;
        for (Group g : e.getValue()) {
          count += g.indices.size();
        }
        Use target = engine.protect(KeyRef.of(e.getKey()), count);
        for (Group g : e.getValue()) {
          inHost += wrapGroup(g, target, wrappedDataKeys, heads, deks, out, notes);
        }
      }
      return new DataKeyRewrap(Arrays.asList(out), inHost, new ArrayList<>(notes));
    } finally {
      for (Group g : groups.values()) {
        if (g.held != null) {
          g.held.close();
        }
      }
      for (byte[] d : deks) {
        if (d != null) {
          Arrays.fill(d, (byte) 0);
        }
      }
    }
  }

  /** @return how many keys of the group went through host memory while being wrapped */
  private static int wrapGroup(Group g, Use target, List<byte[]> wrappedDataKeys, Envelope.Header[] heads,
      byte[][] deks, byte[][] out, Set<String> notes) {
    List<Integer> viaHost = g.indices;
    int inHostNow = 0;
    try {
      byte[] header = Envelope.wrappedHeader1(target.version(), 0);
      if (g.held != null) {
        List<byte[]> wrapped = g.held.wrapKwpUnder(target.material());
        viaHost = new ArrayList<>();
        for (int j = 0; j < wrapped.size(); j++) {
          int i = g.indices.get(j);
          if (wrapped.get(j) == null) {
            viaHost.add(i);
          } else {
            out[i] = framed(header, wrapped.get(j));
          }
        }
        if (viaHost.isEmpty()) {
          return 0;
        }
        notes.add(g.held.limitation());
        // the token cannot give RFC 5649 output for these lengths by itself: engine/kw over its ECB
        unwrapInHost(g, viaHost, payloads(wrappedDataKeys, heads, viaHost), deks);
        inHostNow = viaHost.size();
      }
      List<byte[]> keys = new ArrayList<>(viaHost.size());
      for (int i : viaHost) {
        keys.add(deks[i]);
      }
      List<byte[]> wrapped = target.material().wrapKwpAll(keys);
      for (int j = 0; j < wrapped.size(); j++) {
        out[viaHost.get(j)] = framed(header, wrapped.get(j));
      }
      return inHostNow;
    } catch (GeneralSecurityException ex) {
      throw new KeyringException("wrapping data keys under " + target.version() + " failed in the backend", ex);
    }
  }

  private static void unwrapInHost(Group g, List<Integer> indices, List<byte[]> payloads, byte[][] deks) {
    List<byte[]> plain;
    try {
      plain = g.source.material().unwrapKwpAll(payloads);
    } catch (GeneralSecurityException ex) {
      throw integrity(g.version, ex);
    }
    for (int j = 0; j < plain.size(); j++) {
      deks[indices.get(j)] = plain.get(j);
    }
  }

  private static List<byte[]> payloads(List<byte[]> wrappedDataKeys, Envelope.Header[] heads, List<Integer> indices) {
    List<byte[]> payloads = new ArrayList<>(indices.size());
    for (int i : indices) {
      byte[] w = wrappedDataKeys.get(i);
      payloads.add(Arrays.copyOfRange(w, heads[i].payloadOffset(), w.length));
    }
    return payloads;
  }

  /** @return the header (of the target version, built once per group) followed by the wrapped key */
  private static byte[] framed(byte[] header, byte[] wrapped) {
    byte[] o = Arrays.copyOf(header, header.length + wrapped.length);
    System.arraycopy(wrapped, 0, o, header.length, wrapped.length);
    return o;
  }

  private static KeyringException integrity(KeyRef version, GeneralSecurityException ex) {
    return new KeyringException("a wrapped data key under " + version + " failed its integrity check ("
        + ex.getMessage() + "); nothing was rewrapped");
  }
}
