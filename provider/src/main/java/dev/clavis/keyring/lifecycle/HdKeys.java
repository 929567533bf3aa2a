package dev.clavis.keyring.lifecycle;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import dev.clavis.engine.hd.Scalar;
import dev.clavis.engine.hd.Secp256k1;
import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.SecureRandom;
import java.util.Arrays;

/** The computations of managed HD keys: seeds, paths, BIP32 derivation and public keys (no lifecycle). */
final class HdKeys {

  /** Where generated seeds come from. */
  static final SecureRandom RANDOM = new SecureRandom();
  /** The size of a generated seed, BIP32's largest (512 bits). */
  static final int SEED_BYTES = 64;

  private HdKeys() {}

  /**
   * @return the BIP32 indices of {@code path} ({@code m/44'/0'/0'/0'/5'}, {@code h} or {@code H} for hardened)
   * @throws IllegalArgumentException for a malformed path, or {@code m} itself
   */
  static int[] parsePath(String path) {
    int[] p = Bip32Path.parse(path);
    if (p.length == 0 || p.length > HdDerivation.MAX_DEPTH) {
      throw new IllegalArgumentException("derive a key at 1 to " + HdDerivation.MAX_DEPTH
          + " levels below the seed's master, e.g. m/44'/0'/0'/0'/0'; got " + path);
    }
    return p;
  }

  /** @return {@code seed/44h/0h/0h/0h/5h}: the name a derived key gets when none is given */
  static String defaultName(String seed, int[] path) {
    StringBuilder b = new StringBuilder(seed);
    for (int i : path) {
      b.append('/').append(i & ~HdDerivation.HARDENED);
      if ((i & HdDerivation.HARDENED) != 0) {
        b.append('h');
      }
    }
    return KeyRef.of(b.toString()).name();
  }

  static void requireSeed(KeyAlgorithm a, String name) {
    if (a != KeyAlgorithm.HD_SEED) {
      throw new IllegalArgumentException("key " + name + " is " + a + ", not an HD seed: derive from a key created"
          + " with --algorithm HD-SEED or import-seed");
    }
  }

  /**
   * @return the private key at {@code path} below the seed's master (CKDpriv, BIP32); the caller wipes it
   * @throws UnsupportedOperationException if the seed cannot leave its backend (a token)
   */
  static byte[] derive(KeyMaterial seed, int[] path) {
    byte[] raw;
    try {
      raw = seed.rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      throw new UnsupportedOperationException("HD seed " + seed.ref() + " is held where Clavis cannot derive from it;"
          + " managed HD keys live in a Clavis file store", e);
    }
    Bip32Node node = null;
    try {
      node = Bip32Node.master(raw, false);
      for (int index : path) { // step by step, so every intermediate private key is wiped
        Bip32Node next = node.child(index);
        node.destroy();
        node = next;
      }
      return node.privateKeyBytes();
    } finally {
      Arrays.fill(raw, (byte) 0);
      if (node != null) {
        node.destroy();
      }
    }
  }

  /** @return the 33-byte compressed public key of a derived key's material (constant-time k·G) */
  static byte[] publicKey(KeyMaterial m) {
    byte[] raw = m.rawForInProcessCrypto();
    long[] k = Scalar.fromBytes(raw, 0);
    try {
      return Secp256k1.publicKey(k);
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(k, 0);
    }
  }
}
