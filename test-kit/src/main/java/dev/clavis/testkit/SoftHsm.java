package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * SoftHSM2 tokens for the tests, in two forms.
 *
 * <p><b>The token of this JVM</b> ({@link #require()}): Surefire sets {@code SOFTHSM2_CONF} to a
 * file under {@code target/}; the first test to ask writes that file, pointing {@code tokendir} at a
 * fresh directory beside it, and initializes token {@value #LABEL} with {@code softhsm2-util}
 * before any module is loaded (SoftHSM2 reads its configuration in {@code C_Initialize}, so one
 * JVM sees one token directory for its whole life). Re-creating it deletes the audit log (and its
 * commit mark) of the keyring that lived on the old token.
 *
 * <p><b>A token of a test class's own</b> ({@link #freshToken}): a configuration and token
 * directory in a temporary directory, for child processes (the CLI, a second JVM) that get
 * {@code SOFTHSM2_CONF} in their environment.
 *
 * <p>Without SoftHSM2 the tests fail when {@code CI} is set and are skipped otherwise.
 */
public final class SoftHsm {

  /** The label of the token of this JVM. */
  public static final String LABEL = "clavis";
  /** The user PIN of the token of this JVM (a test value, not a secret). */
  public static final String PIN = "1234";
  /** The security officer PIN of the token of this JVM. */
  public static final String SO_PIN = "5678";
  /** The SoftHSM2 PKCS#11 module ({@code -Dclavis.softhsm.library} overrides it). */
  public static final Path LIBRARY = Path.of(System.getProperty("clavis.softhsm.library", "/usr/lib/softhsm/libsofthsm2.so"));

  /** The name of the Clavis token configuration {@link #configFile()} writes. */
  static final String CONFIG_FILE = "clavis-p11.cfg";

  private static String unavailable;
  private static boolean ready;

  private SoftHsm() {}

  /**
   * Makes sure the token of this JVM exists, or fails (CI) / skips (elsewhere) with the reason.
   *
   * @throws org.opentest4j.AssertionFailedError when SoftHSM2 is missing and {@code CI} is set
   * @throws org.opentest4j.TestAbortedException when SoftHSM2 is missing elsewhere (the test is skipped)
   */
  public static synchronized void require() {
    if (!ready && unavailable == null) {
      unavailable = setUp();
      ready = unavailable == null;
    }
    if (!ready) {
      failOrSkip(unavailable);
    }
  }

  /**
   * A Clavis token configuration for the token of this JVM ({@code name}, {@code library},
   * {@code tokenLabel}, {@code pin}), written beside {@code SOFTHSM2_CONF}.
   *
   * @return the configuration file
   * @throws IOException if it cannot be written
   * @throws org.opentest4j.TestAbortedException without SoftHSM2 outside CI (see {@link #require()})
   */
  public static Path configFile() throws IOException {
    require();
    Path f = directory().resolve(CONFIG_FILE);
    Files.writeString(f, "# written by the tests\nname = softhsm\nlibrary = " + LIBRARY + "\ntokenLabel = " + LABEL
        + "\npin = " + PIN + "\n");
    return f;
  }

  /**
   * Initializes a token of its own in {@code dir}: {@code dir/softhsm2.conf} and {@code dir/tokens}.
   * A child process sees it with {@link FreshToken#environment()}; this JVM's module does not.
   *
   * @param dir a directory of the test (a {@code @TempDir})
   * @param label the token label
   * @param soPin the security officer PIN
   * @param pin the user PIN
   * @return the token's configuration
   * @throws IOException if the files cannot be written
   * @throws org.opentest4j.AssertionFailedError when SoftHSM2 is missing and {@code CI} is set
   * @throws org.opentest4j.TestAbortedException when SoftHSM2 is missing elsewhere
   */
  public static FreshToken freshToken(Path dir, String label, String soPin, String pin) throws IOException {
    Path conf = dir.resolve("softhsm2.conf");
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    String problem = Files.isRegularFile(LIBRARY) ? initToken(conf, tokens, label, soPin, pin) : noLibrary();
    if (problem != null) {
      failOrSkip(problem);
    }
    return new FreshToken(conf, label, pin);
  }

  /** Fails in CI, skips elsewhere: a missing SoftHSM2 must not pass unnoticed where it must be. */
  private static void failOrSkip(String problem) {
    if (System.getenv("CI") != null) {
      fail("SoftHSM2 is required in CI: " + problem + " (run scripts/install-test-deps.sh)");
    }
    System.err.println("SKIPPED: SoftHSM2 test: " + problem);
    Assumptions.abort(problem);
  }

  private static Path directory() {
    return Path.of(System.getenv("SOFTHSM2_CONF")).toAbsolutePath().getParent();
  }

  private static String noLibrary() {
    return "no SoftHSM2 module at " + LIBRARY;
  }

  private static String setUp() {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      return "SOFTHSM2_CONF is not set (run the tests through Maven, which points it under target/)";
    }
    if (!Files.isRegularFile(LIBRARY)) {
      return noLibrary();
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
      // the audit log of the keyring on the old token (beside configFile()) and its commit mark
      // belong to no token now: a later run would find them and call the new token swapped
      try (Stream<Path> s = Files.list(confFile.getParent())) {
        for (Path p : s.filter(f -> f.getFileName().toString().startsWith(CONFIG_FILE + ".audit")).toArray(Path[]::new)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      return "cannot prepare " + tokens + ": " + e.getMessage();
    }
    return initToken(confFile, tokens, LABEL, SO_PIN, PIN);
  }

  /** Writes {@code conf} and runs {@code softhsm2-util --init-token}; returns the problem or null. */
  private static String initToken(Path conf, Path tokens, String label, String soPin, String pin) {
    try {
      Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(List.of("softhsm2-util", "--init-token", "--free", "--label", label,
          "--so-pin", soPin, "--pin", pin)).redirectErrorStream(true);
      pb.environment().put("SOFTHSM2_CONF", conf.toString());
      Process p = pb.start();
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
}
