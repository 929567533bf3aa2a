package dev.clavis.conformance.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;

/**
 * Hostile input (issue 6 §4): Base58 extended keys and derivation paths. The input is
 * {@code KEY '\n' PATH} (or {@code SEED-BYTES} before the newline for the seed form); the
 * {@code BIP32} KeyFactory answers with a key, an {@link IllegalArgumentException} from
 * {@link HDKeySpec}'s constructor or an {@link InvalidKeySpecException}, nothing else.
 */
class HdKeyFuzzTest {

  private static final KeyFactory BIP32;

  static {
    try {
      BIP32 = KeyFactory.getInstance("BIP32", new ClavisProvider());
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void base58KeyAndPath_onlyDeclaredExceptions(byte[] data) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int nl = text.indexOf('\n');
    String key = nl < 0 ? text : text.substring(0, nl);
    String path = nl < 0 ? "m" : text.substring(nl + 1);
    try {
      HDKeySpec spec = new HDKeySpec(key, path);
      BIP32.generatePublic(spec);
      BIP32.generatePrivate(spec);
    } catch (IllegalArgumentException | InvalidKeySpecException expected) {
      // malformed key or path, or an xpub asked for a private key or a hardened step
    }
  }

  @FuzzTest(maxDuration = "2m")
  void seedAndPath_onlyDeclaredExceptions(byte[] data) {
    int nl = 0;
    while (nl < data.length && data[nl] != '\n') {
      nl++;
    }
    byte[] seed = java.util.Arrays.copyOf(data, nl);
    String path = nl < data.length ? new String(data, nl + 1, data.length - nl - 1, StandardCharsets.ISO_8859_1) : "m";
    try {
      BIP32.generatePrivate(new HDKeySpec(seed, path));
    } catch (IllegalArgumentException | InvalidKeySpecException expected) {
      // seed outside 16..64 bytes, malformed path
    }
  }
}
