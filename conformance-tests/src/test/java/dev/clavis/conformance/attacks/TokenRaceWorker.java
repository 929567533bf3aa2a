package dev.clavis.conformance.attacks;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.pkcs11.Pkcs11Config;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One committer of {@link TokenCommitRaceAttackTest}, as its own process: opens the keyring on the
 * token, prints {@code READY}, waits for the go file so all workers commit at once, then
 * {@code create PREFIX N} creates N keys or {@code rotate NAME N} rotates one key N times,
 * printing {@code ACK name} (or {@code ACK name#version}) only after each call returned.
 * {@code open} only opens and prints the generation. Exit 0 when every call succeeded.
 */
public final class TokenRaceWorker {

  private TokenRaceWorker() {}

  public static void main(String[] args) throws Exception {
    Path cfg = Path.of(args[0]);
    Path go = Path.of(args[1]);
    String mode = args[2];
    int failures = 0;
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(Pkcs11Config.parse(cfg).resolvePin()))) {
      if (mode.equals("open")) {
        System.out.println("OPENED generation " + ring.backend().generation() + " keys " + ring.list().size());
        return;
      }
      String target = args[3];
      int n = Integer.parseInt(args[4]);
      System.out.println("READY");
      System.out.flush();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(go) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      for (int i = 0; i < n; i++) {
        try {
          if (mode.equals("create")) {
            String name = target + "-" + i;
            ring.create(name, KeyAlgorithm.AES_128, KeyPolicy.defaults());
            System.out.println("ACK " + name);
          } else {
            System.out.println("ACK " + target + "#" + ring.rotate(target, "race").version());
          }
        } catch (RuntimeException e) {
          failures++;
          System.out.println("FAIL " + e);
        }
        System.out.flush();
      }
    }
    System.exit(failures == 0 ? 0 : 3);
  }
}
