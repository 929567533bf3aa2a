package dev.clavis.conformance.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clavis.keyring.KeyringException;

/**
 * Hostile input (issue 6 §4): the envelope and wrapped-DEK parsers of the keyring API take any
 * bytes and answer with a {@link KeyringException} (or a successful decryption of a valid seed),
 * never another exception, an {@code OutOfMemoryError} from a forged length, or a hang.
 * Regression mode in every build; {@code -Pfuzz} fuzzes for real (see RELIABILITY.md).
 */
class EnvelopeFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void decrypt_anyBytes_onlyKeyringException(byte[] data) {
    try {
      FuzzFixtures.keyring().decrypt(data, null);
    } catch (KeyringException expected) {
      // refused with the one integrity message, a format message, or a lifecycle refusal
    }
  }

  @FuzzTest(maxDuration = "2m")
  void unwrapDataKey_anyBytes_onlyKeyringException(byte[] data) {
    try {
      FuzzFixtures.keyring().unwrapDataKey(data);
    } catch (KeyringException expected) {
      // refused
    }
  }
}
