package dev.clavis.conformance.reliability;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.spi.KeyBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;

/**
 * A child JVM of the PostgreSQL multi-process tests: one "host" on a shared database keyring,
 * rotating {@code shared-rot}, creating {@code wID-i}, encrypting under {@code data} and under the
 * usage-limited {@code limited}, in a seeded random order. An operation counts only once its line
 * is in the acknowledgement file and fsynced ({@code C name}, {@code R name version},
 * {@code E plain-hex envelope-hex}, {@code U name#version}), so a SIGKILL can never lose an
 * acknowledgement the test relies on. A failed operation is printed ({@code ERR ms op message})
 * and the worker carries on: it must recover without a new JVM. It also checks that the
 * keyring's generation never goes back.
 *
 * <p>Arguments: jdbcUrl keyring commitMark ackFile id seed runMillis (0: until killed).
 */
public final class PostgresWorker {

  private PostgresWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, args[1]);
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, args[2]);
    Path acks = Path.of(args[3]);
    String id = args[4];
    Random r = new Random(Long.parseLong(args[5]));
    long runMillis = Long.parseLong(args[6]);
    KeyBackend backend = new PostgresBackendFactory().open(url, p, TestStores.PASSWORD.toCharArray(),
        TestStores.FAST_KDF, false);
    long t0 = System.currentTimeMillis();
    long acked = 0;
    long errors = 0;
    long lastGen = -1;
    try (Keyring k = Keyrings.open(backend);
         FileChannel ack = FileChannel.open(acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.APPEND)) {
      System.out.println("READY");
      System.out.flush();
      for (int i = 0; runMillis == 0 || System.currentTimeMillis() - t0 < runMillis; i++) {
        int op = r.nextInt(10);
        String opName = op < 3 ? "rotate" : op < 5 ? "create" : op < 8 ? "encrypt" : "use";
        try {
          String line;
          if (op < 3) {
            KeyVersionInfo v = k.rotate("shared-rot", "worker " + id);
            line = "R shared-rot " + v.version();
          } else if (op < 5) {
            String name = "w" + id + "-" + i;
            k.create(name, KeyAlgorithm.AES_128, KeyPolicy.defaults());
            line = "C " + name;
          } else if (op < 8) {
            byte[] plain = ("w" + id + "-" + i + "-" + r.nextLong()).getBytes(StandardCharsets.US_ASCII);
            byte[] env = k.encrypt("data", plain, null);
            line = "E " + HexFormat.of().formatHex(plain) + " " + HexFormat.of().formatHex(env);
          } else {
            byte[] env = k.encrypt("limited", new byte[] {1, 2, 3}, null);
            line = "U " + CrashWorker.EnvelopeHeader.ref(env);
          }
          ack.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
          ack.force(false);
          acked++;
          long g = backend.generation();
          if (g < lastGen) {
            System.out.println("GENERATION-WENT-BACK " + lastGen + " -> " + g);
            System.exit(3);
          }
          lastGen = g;
        } catch (KeyUsageException e) {
          System.out.println("LIMIT " + e.getMessage()); // the usage limit held: not a failure
        } catch (KeyringException e) {
          if (String.valueOf(e.getMessage()).contains("is unknown") && op < 5) {
            // COMMIT was sent and the database went away before it answered: the change may or may not
            // have committed (Clavis says so rather than guess); recorded, so the checks allow either
            String maybe = op < 3 ? "?R shared-rot" : "?C w" + id + "-" + i;
            ack.write(ByteBuffer.wrap((maybe + "\n").getBytes(StandardCharsets.US_ASCII)));
            ack.force(false);
          }
          errors++;
          System.out.println("ERR " + (System.currentTimeMillis() - t0) + " " + opName + " "
              + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
          System.out.flush();
          Thread.sleep(20);
        }
      }
    } catch (IOException e) {
      System.out.println("ACK-FILE " + e);
      System.exit(4);
    }
    System.out.println("DONE " + acked + " " + errors + " " + lastGen);
  }
}
