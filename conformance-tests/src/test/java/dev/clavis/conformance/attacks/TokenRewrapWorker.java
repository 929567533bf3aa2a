package dev.clavis.conformance.attacks;

import dev.clavis.conformance.pkcs11.IaikSessions;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.pkcs11.Pkcs11Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The child JVM of {@link TokenRewrapHostMemoryAttackTest}: opens the keyring through the
 * configuration given (whose library is OpenSC's pkcs11-spy, logging every call), makes a KEK and
 * data keys, rotates, and rewraps; prints the spy log's length before and after the rewrap, the
 * data keys (test keys, for the parent to compare) and the number of session secret-key objects of
 * this process before and after, as the IAIK wrapper over SoftHSM2 itself sees them.
 *
 * <p>args: config, SoftHSM2 library, token label, PIN, KEK name, number of data keys, spy log
 */
public final class TokenRewrapWorker {

  private TokenRewrapWorker() {}

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    String softhsm = args[1];
    String label = args[2];
    char[] pin = args[3].toCharArray();
    String kek = args[4];
    int n = Integer.parseInt(args[5]);
    Path spyLog = Path.of(args[6]);
    HexFormat hex = HexFormat.of();
    try (Keyring ring = Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(config)).pin(pin))) {
      ring.create(kek, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      List<byte[]> wrapped = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        DataKey d = ring.generateDataKey(kek, i % 3 == 0 ? 128 : i % 3 == 1 ? 192 : 256);
        System.out.println("DEK " + i + " " + hex.formatHex(d.plaintextKey()));
        wrapped.add(d.wrapped());
        d.destroy();
      }
      ring.rotate(kek, "rewrap proof");
      Session iaik = iaikSession(softhsm, label, pin);
      int before = sessionSecretKeys(iaik);
      System.out.println("SPY-BEGIN " + Files.size(spyLog));
      DataKeyRewrap r = ring.rewrapDataKeysReport(wrapped);
      System.out.println("SPY-END " + Files.size(spyLog));
      System.out.println("SESSION-OBJECTS " + before + " " + sessionSecretKeys(iaik));
      System.out.println("KEPT " + r.keptInBackend());
      System.out.println("INHOST " + r.inHostMemory() + " " + r.notes());
      for (int i = 0; i < n; i++) {
        System.out.println("NEW " + i + " " + hex.formatHex(r.wrappedDataKeys().get(i)));
      }
      iaik.closeSession();
    }
    System.out.println("DONE");
    System.out.flush();
  }

  private static Session iaikSession(String library, String label, char[] pin) throws Exception {
    return IaikSessions.userSession(library, label, pin, false);
  }

  /** Session objects of this process are visible to all its sessions (PKCS#11 v2.40 §4.4). */
  private static int sessionSecretKeys(Session s) throws Exception {
    return s.findObjectsSingle(AttributeVector.newSecretKey().token(false), 100_000).length;
  }
}
