package dev.clavis.engine.hd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * BIP39 with the English wordlist: entropy ↔ word indices with the SHA-256 checksum, and the
 * seed, PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" + NFKD(passphrase), 2048, 64 bytes).
 */
public final class Bip39 {

  private static final String WORDLIST = "/dev/clavis/hd/english.txt";
  private static final String[] WORDS = loadWords();
  private static final Map<String, Integer> INDEX = index(WORDS);

  private Bip39() {}

  /**
   * BIP39 "Generating the mnemonic": ENT bits of entropy, then the first ENT/32 bits of its
   * SHA-256, cut into 11-bit word indices.
   *
   * @param entropy 16, 20, 24, 28 or 32 bytes
   * @throws IllegalArgumentException for another length
   */
  public static int[] toIndices(byte[] entropy) {
    int ent = entropy.length * 8;
    if (entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
      throw new IllegalArgumentException(
          "BIP39 entropy is 16, 20, 24, 28 or 32 bytes (128 to 256 bits in steps of 32), not " + entropy.length);
    }
    int cs = ent / 32;
    byte[] bits = Arrays.copyOf(entropy, entropy.length + 1);
    bits[entropy.length] = sha256(entropy)[0];
    int[] out = new int[(ent + cs) / 11];
    for (int w = 0; w < out.length; w++) {
      int v = 0;
      for (int b = 0; b < 11; b++) {
        int pos = w * 11 + b;
        v = (v << 1) | ((bits[pos >>> 3] >>> (7 - (pos & 7))) & 1);
      }
      out[w] = v;
    }
    Arrays.fill(bits, (byte) 0);
    return out;
  }

  /**
   * The inverse of {@link #toIndices}: recovers the entropy and verifies the checksum.
   *
   * @throws IllegalArgumentException for a word count other than 12, 15, 18, 21 or 24, or a
   *     checksum mismatch
   */
  public static byte[] toEntropy(int[] indices) {
    int n = indices.length;
    if (n < 12 || n > 24 || n % 3 != 0) {
      throw new IllegalArgumentException("a BIP39 mnemonic has 12, 15, 18, 21 or 24 words, not " + n);
    }
    int total = n * 11;
    int cs = total / 33;
    byte[] bits = new byte[(total + 7) / 8];
    for (int w = 0; w < n; w++) {
      for (int b = 0; b < 11; b++) {
        int pos = w * 11 + b;
        int bit = (indices[w] >>> (10 - b)) & 1;
        bits[pos >>> 3] |= (byte) (bit << (7 - (pos & 7)));
      }
    }
    byte[] entropy = Arrays.copyOf(bits, (total - cs) / 8);
    int expected = (sha256(entropy)[0] & 0xFF) >>> (8 - cs);
    int actual = (bits[entropy.length] & 0xFF) >>> (8 - cs);
    Arrays.fill(bits, (byte) 0);
    if (expected != actual) {
      Arrays.fill(entropy, (byte) 0);
      throw new IllegalArgumentException(
          "BIP39 checksum mismatch: a word is wrong or the words are out of order");
    }
    return entropy;
  }

  /**
   * Splits an NFKD-normalized phrase on whitespace and looks each word up.
   *
   * @throws IllegalArgumentException naming the position (not the text) of an unknown word
   */
  public static int[] parse(String phrase) {
    String norm = Normalizer.normalize(phrase, Normalizer.Form.NFKD).strip();
    if (norm.isEmpty()) {
      throw new IllegalArgumentException("the mnemonic is empty");
    }
    String[] words = norm.split("\\s+");
    int[] out = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      Integer idx = INDEX.get(words[i]);
      if (idx == null) {
        throw new IllegalArgumentException(
            "word " + (i + 1) + " of the mnemonic is not in the BIP39 English wordlist");
      }
      out[i] = idx;
    }
    return out;
  }

  /** The word at index i (0..2047). */
  public static String word(int i) {
    return WORDS[i];
  }

  /**
   * BIP39 "From mnemonic to seed".
   *
   * @param mnemonic the words separated by single spaces
   * @param passphrase the optional passphrase, "" when none
   * @return the 64-byte seed
   */
  public static byte[] seed(char[] mnemonic, String passphrase) {
    char[] m = Normalizer.normalize(CharBuffer.wrap(mnemonic), Normalizer.Form.NFKD).toCharArray();
    byte[] salt = ("mnemonic" + Normalizer.normalize(passphrase, Normalizer.Form.NFKD)).getBytes(StandardCharsets.UTF_8);
    // PBEKeySpec's PBKDF2 encodes the password chars as UTF-8, as BIP39 requires.
    PBEKeySpec spec = new PBEKeySpec(m, salt, 2048, 512);
    try {
      SecretKey k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec);
      return k.getEncoded();
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("the JDK's PBKDF2WithHmacSHA512 is unavailable", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(m, '\0');
      Arrays.fill(salt, (byte) 0);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private static String[] loadWords() {
    try (InputStream in = Bip39.class.getResourceAsStream(WORDLIST)) {
      if (in == null) {
        throw new IllegalStateException("BIP39 wordlist " + WORDLIST + " is missing from the provider jar");
      }
      List<String> words = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          words.add(line.strip());
        }
      }
      if (words.size() != 2048) {
        throw new IllegalStateException("BIP39 wordlist has " + words.size() + " words, not 2048");
      }
      return words.toArray(new String[0]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the BIP39 wordlist", e);
    }
  }

  private static Map<String, Integer> index(String[] words) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < words.length; i++) {
      m.put(words[i], i);
    }
    return m;
  }
}
