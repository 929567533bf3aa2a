package dev.clavis.keyring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The material of one key-pair version: its private key (PKCS#8 DER) and its certificate chain
 * (X.509 DER, the version's own certificate first). The only owner of this byte format, which a
 * backend stores as the version's material, encrypted like any other key:
 *
 * <pre>
 * "CKP" | u8 format (1) | u32 pkcs8 length | pkcs8 | u16 certificate count (1..64) | (u32 length | DER)*
 * </pre>
 *
 * <p>The certificates are public; the private key is reachable only through {@link #pkcs8()},
 * whose caller wipes the copy. {@link #toString()} shows no material.
 */
public final class KeyPairMaterial {

  /** The format byte this class writes; readers refuse any other. */
  public static final int FORMAT = 1;
  private static final byte[] MAGIC = {'C', 'K', 'P'};
  private static final int MAX_CHAIN = 64;

  private final byte[] pkcs8;
  private final List<byte[]> chain;

  private KeyPairMaterial(byte[] pkcs8, List<byte[]> chain) {
    this.pkcs8 = pkcs8;
    this.chain = chain;
  }

  /**
   * @param pkcs8 the private key's PKCS#8 encoding; copied
   * @param chain the certificate chain's DER encodings, the key's own certificate first; copied
   * @return the material
   * @throws IllegalArgumentException if the key is empty, the chain is empty or longer than 64
   */
  public static KeyPairMaterial of(byte[] pkcs8, List<byte[]> chain) {
    if (pkcs8 == null || pkcs8.length == 0) {
      throw new IllegalArgumentException("a key pair needs its private key (PKCS#8)");
    }
    return new KeyPairMaterial(pkcs8.clone(), copyChain(chain));
  }

  private static List<byte[]> copyChain(List<byte[]> chain) {
    if (chain == null || chain.isEmpty() || chain.size() > MAX_CHAIN) {
      throw new IllegalArgumentException("a key pair needs a certificate chain of 1 to " + MAX_CHAIN
          + " certificates, its own first; got " + (chain == null ? 0 : chain.size()));
    }
    List<byte[]> c = new ArrayList<>(chain.size());
    for (byte[] der : chain) {
      if (der == null || der.length == 0) {
        throw new IllegalArgumentException("an empty certificate in the chain");
      }
      c.add(der.clone());
    }
    return List.copyOf(c);
  }

  /**
   * Reads the stored form.
   *
   * @param stored what {@link #encode()} wrote; not kept
   * @return the material
   * @throws IllegalArgumentException if the bytes are not this format (naming what is wrong)
   */
  public static KeyPairMaterial decode(byte[] stored) {
    byte[] key = null;
    try {
      ByteBuffer b = ByteBuffer.wrap(stored);
      byte[] magic = new byte[3];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException("not key-pair material (no CKP header)");
      }
      int format = b.get() & 0xff;
      if (format != FORMAT) {
        throw new IllegalArgumentException("key-pair material of format " + format + ", this Clavis reads " + FORMAT);
      }
      key = bytes(b);
      int n = b.getShort() & 0xffff;
      List<byte[]> chain = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        chain.add(bytes(b));
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("key-pair material has " + b.remaining() + " trailing bytes");
      }
      return of(key, chain);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("key-pair material is truncated");
    } finally {
      if (key != null) { // of() copied it; a malformed chain or trailing bytes must not leave it either
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IllegalArgumentException("key-pair material is truncated");
    }
    byte[] out = new byte[len];
    b.get(out);
    return out;
  }

  /** @return the stored form; the caller wipes it (it holds the private key) */
  public byte[] encode() {
    // written straight into an array of the exact size: no growing stream buffer keeps a copy of the key
    int size = 3 + 1 + 4 + pkcs8.length + 2;
    for (byte[] c : chain) {
      size += 4 + c.length;
    }
    byte[] out = new byte[size];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put(MAGIC).put((byte) FORMAT).putInt(pkcs8.length).put(pkcs8).putShort((short) chain.size());
    for (byte[] c : chain) {
      b.putInt(c.length).put(c);
    }
    return out;
  }

  /** @return a copy of the private key's PKCS#8 encoding; the caller wipes it */
  public byte[] pkcs8() {
    return pkcs8.clone();
  }

  /** @return copies of the chain's DER encodings, the key's own certificate first */
  public List<byte[]> chain() {
    List<byte[]> c = new ArrayList<>(chain.size());
    chain.forEach(d -> c.add(d.clone()));
    return c;
  }

  /**
   * @param newChain the chain to keep instead (a CA reply); copied
   * @return the same private key with {@code newChain}
   * @throws IllegalArgumentException if the chain is empty or too long
   */
  public KeyPairMaterial withChain(List<byte[]> newChain) {
    return new KeyPairMaterial(pkcs8.clone(), copyChain(newChain));
  }

  private static final byte[] CHAIN_MAGIC = {'C', 'K', 'C'};

  /**
   * The stored form of a chain replacement (a CA reply) for a backend that keeps the private key
   * itself, such as a token, where the engine cannot rebuild the whole material:
   * {@code "CKC" | u8 format (1) | u16 n | (u32 length | DER)^n}.
   *
   * @param chain the new chain, the key's own certificate first; copied
   * @return the bytes to hand to the backend's {@code importMaterial}
   * @throws IllegalArgumentException if the chain is empty or too long
   */
  public static byte[] encodeChainReplacement(List<byte[]> chain) {
    KeyPairMaterial m = new KeyPairMaterial(new byte[0], copyChain(chain));
    byte[] full = m.encode();
    // "CKP" | format | u32 0 (no key) | chain  ->  "CKC" | format | chain
    byte[] out = new byte[full.length - 4];
    System.arraycopy(CHAIN_MAGIC, 0, out, 0, 3);
    out[3] = (byte) FORMAT;
    System.arraycopy(full, 8, out, 4, full.length - 8);
    return out;
  }

  /**
   * @param stored what a backend was handed
   * @return the chain of a chain replacement ({@link #encodeChainReplacement}); empty for anything else
   * @throws IllegalArgumentException if it is a chain replacement but malformed
   */
  public static java.util.Optional<List<byte[]>> decodeChainReplacement(byte[] stored) {
    if (stored.length < 4 || stored[0] != 'C' || stored[1] != 'K' || stored[2] != 'C') {
      return java.util.Optional.empty();
    }
    if ((stored[3] & 0xff) != FORMAT) {
      throw new IllegalArgumentException("a chain replacement of format " + (stored[3] & 0xff) + ", this Clavis reads "
          + FORMAT);
    }
    byte[] asMaterial = new byte[stored.length + 4];
    System.arraycopy(MAGIC, 0, asMaterial, 0, 3);
    asMaterial[3] = (byte) FORMAT;
    // u32 0: no key; then the chain as stored
    System.arraycopy(stored, 4, asMaterial, 8, stored.length - 4);
    ByteBuffer b = ByteBuffer.wrap(asMaterial, 8, asMaterial.length - 8);
    int n = b.getShort() & 0xffff;
    List<byte[]> chain = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        chain.add(bytes(b));
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("a chain replacement is truncated");
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("a chain replacement has " + b.remaining() + " trailing bytes");
    }
    return java.util.Optional.of(copyChain(chain));
  }

  /**
   * The public part of any form a backend is handed for a key-pair version: the chain of this
   * format's material (the private key read with it is wiped at once), of a chain replacement, or
   * of a token's reference to a pair it generated ({@code "CKG" | u8 format | 32-byte nonce | the
   * chain as a chain replacement holds it}).
   *
   * @param stored what a backend was handed for a key-pair version; not kept
   * @return the chain, the version's own certificate first; empty for bytes of no such form
   * @throws IllegalArgumentException if the bytes are of such a form but malformed
   */
  public static java.util.Optional<List<byte[]>> publicChain(byte[] stored) {
    if (stored.length >= 3 && stored[0] == 'C' && stored[1] == 'K' && stored[2] == 'P') {
      KeyPairMaterial m = decode(stored);
      m.wipe();
      return java.util.Optional.of(m.chain);
    }
    if (stored.length > 36 && stored[0] == 'C' && stored[1] == 'K' && stored[2] == 'G') {
      byte[] replacement = new byte[stored.length - 32];
      System.arraycopy(CHAIN_MAGIC, 0, replacement, 0, 3);
      replacement[3] = stored[3];
      System.arraycopy(stored, 36, replacement, 4, stored.length - 36);
      return decodeChainReplacement(replacement);
    }
    return decodeChainReplacement(stored);
  }

  /** Zeroes the private key held here. */
  public void wipe() {
    Arrays.fill(pkcs8, (byte) 0);
  }

  /** @return the chain length only */
  @Override
  public String toString() {
    return "KeyPairMaterial{" + chain.size() + " certificate(s)}";
  }
}
