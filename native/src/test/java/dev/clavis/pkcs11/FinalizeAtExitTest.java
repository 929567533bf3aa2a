package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code C_Finalize} runs from the shutdown hook while worker threads still call the module. */
class FinalizeAtExitTest {

  /** The child JVM: opens the token, keeps two threads busy, and exits under them. */
  public static void main(String[] args) throws Exception {
    Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
    if (!t.module().ownsInitialization()) {
      System.out.println("not owner");
      System.exit(3);
    }
    for (int i = 0; i < 2; i++) {
      Thread w = new Thread(() -> {
        while (true) {
          try {
            t.call(s -> s.generateRandom(64));
          } catch (Pkcs11Exception e) {
            // CKR_CRYPTOKI_NOT_INITIALIZED once the hook finalized: expected at exit
          }
        }
      });
      w.setDaemon(true);
      w.start();
    }
    Thread.sleep(200);
    System.out.println("exiting");
    System.exit(0);
  }

  @Test
  void jvmExit_withThreadsCallingTheModule_finalizesCleanly() throws Exception {
    SoftHsm.require();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        FinalizeAtExitTest.class.getName())).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung at exit");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("exiting"), out);
  }
}
