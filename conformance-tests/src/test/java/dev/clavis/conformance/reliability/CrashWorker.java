package dev.clavis.conformance.reliability;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * The child JVM of {@link CrashSafetyTest}: works on a live file store until it is killed, and
 * prints one {@code ACK ...} line after each operation has returned (is durable):
 *
 * <pre>
 * ACK use NAME#V ENVELOPE-HEX PLAINTEXT   an encryption under a usage-counted key
 * ACK rotate NAME#V                       a one-shot rotation created version V
 * ACK import NAME SEED N                  a key imported with material {@link #material}(SEED, N)
 * ACK revoke NAME#V                       version V revoked
 * ACK begin NAME#V / ACK complete NAME#V  a two-phase rotation step
 * </pre>
 *
 * Arguments: store file, seed, and optionally a fault point of the file store ({@code after-write}:
 * new file forced, not renamed; {@code after-rename}: renamed, directory not forced) with a number
 * of operations after which it is armed: the store then halts the JVM at that point of its next
 * write ({@code clavis.store.fault}). The operations come from the seed, so a run is reproducible
 * up to the moment of the kill.
 */
public final class CrashWorker {

  static final String COUNTED = "counted";
  static final String ROTATED = "rotated";
  static final String TWO_PHASE = "twophase";
  static final long USAGE_LIMIT = 40;

  private CrashWorker() {}

  /** @return the 32 bytes of material imported as key {@code imp-SEED-N} */
  static byte[] material(long seed, int n) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(("crash-material-" + seed + "-" + n).getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the keys the workers use, once, in a fresh store. */
  static void setUp(Keyring k) {
    k.create(COUNTED, KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(USAGE_LIMIT).build());
    k.create(ROTATED, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    k.create(TWO_PHASE, KeyAlgorithm.AES_128, KeyPolicy.defaults());
  }

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    Random rnd = new Random(seed);
    HexFormat hex = HexFormat.of();
    // The parent starts the next worker while it checks the last one; this one waits for "GO".
    if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine() == null) {
      return;
    }
    try (Keyring k = TestStores.open(store)) {
      out.println("READY");
      out.flush();
      String faultPoint = args.length > 2 ? args[2] : null;
      int faultAfter = args.length > 3 ? Integer.parseInt(args[3]) : -1;
      for (int n = 0; ; n++) {
        if (n == faultAfter) {
          System.setProperty("clavis.store.fault", faultPoint);
        }
        int op = rnd.nextInt(20);
        if (op < 12) {
          String plain = "m-" + seed + "-" + n;
          byte[] env = k.encrypt(COUNTED, plain.getBytes(StandardCharsets.US_ASCII), null);
          out.println("ACK use " + EnvelopeHeader.ref(env) + " " + hex.formatHex(env) + " " + plain);
        } else if (op < 15) {
          KeyVersionInfo v = k.rotate(ROTATED, "crash test");
          out.println("ACK rotate " + v.ref());
        } else if (op < 17) {
          byte[] m = material(seed, n);
          String name = "imp-" + seed + "-" + n;
          k.importKey(name, KeyAlgorithm.AES_256, m, KeyPolicy.builder().exportable(true).build());
          out.println("ACK import " + name + " " + seed + " " + n);
        } else if (op < 18) {
          KeyInfo info = k.find(ROTATED).orElseThrow();
          KeyVersionInfo victim = null;
          for (KeyVersionInfo v : info.versions()) {
            if (v.state() == KeyState.DEPRECATED) {
              victim = v;
              break;
            }
          }
          if (victim != null) {
            k.revoke(victim.ref(), "crash test");
            out.println("ACK revoke " + victim.ref());
          }
        } else {
          KeyInfo info = k.find(TWO_PHASE).orElseThrow();
          boolean staged = info.versions().stream().anyMatch(v -> v.state() == KeyState.PRE_ACTIVE);
          if (staged) {
            KeyVersionInfo v = k.completeRotation(TWO_PHASE);
            out.println("ACK complete " + v.ref());
          } else {
            KeyVersionInfo v = k.beginRotation(TWO_PHASE);
            out.println("ACK begin " + v.ref());
          }
        }
        out.flush();
      }
    }
  }

  /** Reads {@code name#version} from an envelope header ({@code "CLV" 0x01 | u8 n | name | u32 version}). */
  static final class EnvelopeHeader {
    private EnvelopeHeader() {}

    static KeyRef ref(byte[] env) {
      int n = env[4] & 0xFF;
      String name = new String(env, 5, n, StandardCharsets.US_ASCII);
      int v = ((env[5 + n] & 0xFF) << 24) | ((env[6 + n] & 0xFF) << 16) | ((env[7 + n] & 0xFF) << 8) | (env[8 + n] & 0xFF);
      return KeyRef.of(name, v);
    }
  }
}
