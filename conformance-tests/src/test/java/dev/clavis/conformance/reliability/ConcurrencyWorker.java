package dev.clavis.conformance.reliability;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link ConcurrencyTest}'s two-process case: N rounds of (encrypt under the
 * usage-limited key {@code shared}, rotate {@code shared-rot}, create {@code PREFIX-i}) on one
 * store, printing {@code USE name#v} per encryption. Arguments: store, prefix, N.
 */
public final class ConcurrencyWorker {

  private ConcurrencyWorker() {}

  public static void main(String[] args) {
    Path store = Path.of(args[0]);
    String prefix = args[1];
    int n = Integer.parseInt(args[2]);
    StringBuilder out = new StringBuilder();
    try (Keyring k = TestStores.open(store)) {
      for (int i = 0; i < n; i++) {
        byte[] env = k.encrypt("shared", ("x" + i).getBytes(StandardCharsets.US_ASCII), null);
        out.append("USE ").append(CrashWorker.EnvelopeHeader.ref(env)).append('\n');
        k.rotate("shared-rot", prefix + " round " + i);
        k.create(prefix + "-" + i, KeyAlgorithm.AES_128, KeyPolicy.defaults());
      }
    }
    System.out.print(out);
    System.out.println("DONE");
  }
}
