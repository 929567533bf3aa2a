package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;

/** A child process for the multi-process test: creates N keys, each in its own open/close. */
public final class StoreWriterMain {
  public static void main(String[] args) {
    Path store = Path.of(args[0]);
    char[] pw = args[1].toCharArray();
    int n = Integer.parseInt(args[3]);
    for (int i = 0; i < n; i++) {
      try (Keyring k = Keyrings.openFile(store, pw)) {
        k.create(args[2] + "-" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
        k.encrypt("payments", new byte[] {1}, null);
      }
    }
  }
}
