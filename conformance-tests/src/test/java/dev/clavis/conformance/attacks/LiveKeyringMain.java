package dev.clavis.conformance.attacks;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A long-running process holding a keyring open: for each line on stdin it reads the state of
 * {@code NAME#V} afresh and prints it, or {@code refused KIND: message} if the keyring refuses.
 * Arguments: store, password, key reference.
 */
public final class LiveKeyringMain {
  public static void main(String[] args) throws Exception {
    KeyRef ref = KeyRef.parse(args[2]);
    try (Keyring k = Keyrings.openFile(Path.of(args[0]), args[1].toCharArray());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("ready");
      System.out.flush();
      while (in.readLine() != null) {
        Thread.sleep(50); // past the keyring's freshness bound
        try {
          System.out.println(k.find(ref.name()).orElseThrow().version(ref.version().getAsInt()).orElseThrow().state());
        } catch (StoreDamagedException e) {
          System.out.println("refused " + e.kind() + ": " + e.getMessage());
        }
        System.out.flush();
      }
    }
  }
}
