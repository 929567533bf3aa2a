package dev.clavis.cli;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;

/**
 * Opens the demo's throw-away store with a lighter KDF than the default (Argon2id t=3, m=64 MiB,
 * p=4), so the demo runs in a few seconds; the demo says so.
 */
final class DemoStores {

  /** Argon2id t=1, m=8 MiB, p=1: fast for a throw-away store, too weak for a real one. */
  static final KdfParameters DEMO_KDF = KdfParameters.argon2id(1, 8 * 1024, 1).allowingWeak();

  private DemoStores() {}

  static Keyring open(Path file, char[] password) {
    return Keyrings.open(KeyringOptions.file(file).password(password).kdfForNew(DEMO_KDF));
  }

  static String kdfDescription() {
    return DEMO_KDF.toString();
  }
}
