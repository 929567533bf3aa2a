package dev.clavis.conformance.pkcs11;

import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh SoftHSM2 token for the tests of this JVM. Surefire sets {@code SOFTHSM2_CONF} to a file
 * under {@code target/}; the first test to ask writes that file, pointing {@code tokendir} at a
 * fresh directory beside it, and initializes token {@value #LABEL} with {@code softhsm2-util}
 * before any module is loaded (SoftHSM2 reads its configuration in {@code C_Initialize}).
 * Without SoftHSM2 the tests fail when {@code CI} is set and are skipped otherwise.
 */
public final class SoftHsm {

  public static final String LABEL = "clavis";
  public static final String PIN = "1234";
  static final String SO_PIN = "5678";
  public static final Path LIBRARY = Path.of(System.getProperty("clavis.softhsm.library", "/usr/lib/softhsm/libsofthsm2.so"));

  private static String unavailable;
  private static boolean ready;

  private SoftHsm() {}

  /** Makes sure the token exists, or fails (CI) / skips (elsewhere) with the reason. */
  public static synchronized void require() {
    if (!ready && unavailable == null) {
      unavailable = setUp();
      ready = unavailable == null;
    }
    if (!ready) {
      if (System.getenv("CI") != null) {
        fail("SoftHSM2 is required in CI: " + unavailable + " (run scripts/install-test-deps.sh)");
      }
      System.err.println("SKIPPED: SoftHSM2 test: " + unavailable);
      Assumptions.abort(unavailable);
    }
  }

  private static String setUp() {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      return "SOFTHSM2_CONF is not set (run the tests through Maven, which points it under target/)";
    }
    if (!Files.isRegularFile(LIBRARY)) {
      return "no SoftHSM2 module at " + LIBRARY;
    }
    Path confFile = Path.of(conf).toAbsolutePath();
    Path tokens = confFile.getParent().resolve("tokens");
    try {
      if (Files.exists(tokens)) {
        try (Stream<Path> s = Files.walk(tokens)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(tokens);
      // the audit log of the keyring on the old token (beside configFile()) belongs to no token now
      Files.deleteIfExists(confFile.getParent().resolve("clavis-p11.cfg.audit"));
      Files.deleteIfExists(confFile.getParent().resolve("clavis-p11.cfg.audit.head")); // the commit mark beside it
      Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(List.of("softhsm2-util", "--init-token", "--free", "--label", LABEL,
          "--so-pin", SO_PIN, "--pin", PIN)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        return "softhsm2-util --init-token failed: " + out.strip();
      }
      return null;
    } catch (IOException e) {
      return "cannot run softhsm2-util: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** @return a configuration file for the token, written beside {@code SOFTHSM2_CONF} */
  public static Path configFile() throws IOException {
    require();
    Path f = Path.of(System.getenv("SOFTHSM2_CONF")).toAbsolutePath().getParent().resolve("clavis-p11.cfg");
    Files.writeString(f, "# written by the tests\nname = softhsm\nlibrary = " + LIBRARY + "\ntokenLabel = " + LABEL
        + "\npin = " + PIN + "\n");
    return f;
  }

  static Pkcs11Config config() {
    return Pkcs11Config.builder().name("softhsm").library(LIBRARY).tokenLabel(LABEL).pin(PIN).build();
  }

  static Pkcs11Token open() throws Exception {
    require();
    return Pkcs11Token.open(config(), PIN.toCharArray());
  }
}
