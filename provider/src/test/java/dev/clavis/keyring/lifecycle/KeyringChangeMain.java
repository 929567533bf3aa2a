package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import java.nio.file.Path;

/** Another process changing a KEK's state: {@code STORE revoke|suspend|compromise NAME#V}. */
public final class KeyringChangeMain {

  private KeyringChangeMain() {}

  /**
   * @param args the store, the change, the version
   */
  public static void main(String[] args) {
    KeyRef ref = KeyRef.parse(args[2]);
    try (Keyring ring = TestStores.open(Path.of(args[0]))) {
      switch (args[1]) {
        case "revoke" -> ring.revoke(ref, "another process");
        case "suspend" -> ring.suspend(ref, "another process");
        case "compromise" -> ring.markCompromised(ref, "another process");
        default -> throw new IllegalArgumentException(args[1]);
      }
    }
  }
}
