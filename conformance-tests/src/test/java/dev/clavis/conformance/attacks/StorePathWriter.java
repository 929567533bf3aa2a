package dev.clavis.conformance.attacks;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.file.Path;

/**
 * A child process of {@link PathAndPermissionAttackTest}: opens the store through the path it is
 * given (relative to its working directory: a link, {@code ..}), then creates
 * {@code <prefix>-0 .. <prefix>-(n-1)}, one write each, so writers through other paths interleave.
 */
public final class StorePathWriter {

  static final String PASSWORD = "attack-pw-0b7e";
  /** Tiny on purpose: the attack is on paths and locks, not the KDF. */
  static final KdfParameters FAST = TestStores.LIGHTEST_KDF;

  private StorePathWriter() {}

  public static void main(String[] args) {
    Path store = Path.of(args[0]);
    String prefix = args[1];
    int n = Integer.parseInt(args[2]);
    try (Keyring k = Keyrings.openFile(store, PASSWORD.toCharArray(), FAST)) {
      for (int i = 0; i < n; i++) {
        k.create(prefix + "-" + i, KeyAlgorithm.AES_128, KeyPolicy.defaults());
      }
    }
    System.out.println("done " + prefix);
  }
}
