package dev.clavis.cli;

import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;

/** Opens the demo's throw-away store, with a lighter KDF when the engine offers one. */
final class DemoStores {

  private DemoStores() {}

  static Keyring open(Path file, char[] password) {
    return Keyrings.openFile(file, password);
  }

  static String kdfDescription() {
    return "Argon2id (t=3, m=64 MiB, p=4, the store default)";
  }
}
