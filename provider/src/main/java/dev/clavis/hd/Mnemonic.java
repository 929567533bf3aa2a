package dev.clavis.hd;

import dev.clavis.engine.hd.Bip39;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A BIP39 mnemonic sentence in English: 12, 15, 18, 21 or 24 words encoding 128 to 256 bits of
 * entropy with a checksum, and the seed it gives with an optional passphrase.
 *
 * <pre>{@code
 * Mnemonic m = Mnemonic.generate(24, new SecureRandom());
 * String words = m.phrase();                       // show once, for the user to write down
 * byte[] seed = Mnemonic.parse(words).toSeed("");  // 64 bytes, PBKDF2-HMAC-SHA512 × 2048
 * KeyFactory.getInstance("BIP32", "Clavis").generatePrivate(new HDKeySpec(seed, "m/84'/0'/0'"));
 * }</pre>
 *
 * <p>Only the entropy is stored; {@link #destroy()} wipes it. {@code toString()} shows the word
 * count, never a word. Parsing is NFKD-normalized and checks every word and the checksum; error
 * messages name the position of a bad word, not the word.
 */
public final class Mnemonic implements Destroyable {

  private final byte[] entropy;
  private volatile boolean destroyed;

  private Mnemonic(byte[] entropy) {
    this.entropy = entropy;
  }

  /**
   * A fresh mnemonic of the given length.
   *
   * @param words 12, 15, 18, 21 or 24
   * @param random the source of entropy
   * @throws IllegalArgumentException for another word count
   */
  public static Mnemonic generate(int words, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    if (words < 12 || words > 24 || words % 3 != 0) {
      throw new IllegalArgumentException("a BIP39 mnemonic has 12, 15, 18, 21 or 24 words, not " + words);
    }
    byte[] e = new byte[words * 4 / 3];
    random.nextBytes(e);
    return new Mnemonic(e);
  }

  /**
   * The mnemonic of the given entropy (BIP39 "Generating the mnemonic").
   *
   * @param entropy 16, 20, 24, 28 or 32 bytes; copied
   * @throws IllegalArgumentException for another length
   */
  public static Mnemonic fromEntropy(byte[] entropy) {
    byte[] e = entropy.clone();
    Bip39.toIndices(e); // validates the length
    return new Mnemonic(e);
  }

  /**
   * Parses a phrase: words of the English list separated by whitespace, NFKD-normalized.
   *
   * @throws IllegalArgumentException naming the defect: an empty phrase, the position of an
   *     unknown word, a wrong word count or a checksum mismatch
   */
  public static Mnemonic parse(String phrase) {
    Objects.requireNonNull(phrase, "phrase");
    int[] idx = Bip39.parse(phrase);
    try {
      return new Mnemonic(Bip39.toEntropy(idx));
    } finally {
      Arrays.fill(idx, 0);
    }
  }

  /** Returns true if the phrase is a valid English BIP39 mnemonic (words and checksum). */
  public static boolean isValid(String phrase) {
    try {
      parse(phrase).destroy();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The number of words. */
  public int wordCount() {
    return (entropy.length * 8 + entropy.length / 4) / 11;
  }

  /** The words separated by single spaces: the secret itself, so handle it as one. */
  public String phrase() {
    checkLive();
    int[] idx = Bip39.toIndices(entropy);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < idx.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(Bip39.word(idx[i]));
    }
    Arrays.fill(idx, 0);
    return b.toString();
  }

  /** A copy of the entropy; the caller wipes it. */
  public byte[] entropy() {
    checkLive();
    return entropy.clone();
  }

  /**
   * The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512 of the NFKD mnemonic with salt
   * {@code "mnemonic" + NFKD(passphrase)}, 2048 iterations.
   *
   * @param passphrase the optional passphrase; {@code ""} for none
   */
  public byte[] toSeed(String passphrase) {
    Objects.requireNonNull(passphrase, "passphrase (use \"\" for none)");
    checkLive();
    char[] words = phrase().toCharArray();
    try {
      return Bip39.seed(words, passphrase);
    } finally {
      Arrays.fill(words, '\0');
    }
  }

  /** Wipes the entropy. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(entropy, (byte) 0);
  }

  /** {@inheritDoc} */
  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** The word count only. */
  @Override
  public String toString() {
    return "Mnemonic[" + wordCount() + " words" + (destroyed ? ", destroyed" : "") + "]";
  }

  private void checkLive() {
    if (destroyed) {
      throw new IllegalStateException("the mnemonic was destroyed");
    }
  }
}
