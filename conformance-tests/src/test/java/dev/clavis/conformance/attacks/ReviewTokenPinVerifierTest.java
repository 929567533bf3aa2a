package dev.clavis.conformance.attacks;

import dev.clavis.testkit.SoftHsm;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Review (issue 9 item 10): the PIN check made when another library already logged the token in
 * trusts every object with Clavis's verifier application, public ones included. A process with
 * no PIN may create a public token object, so it can plant a "verifier" of a PIN it chose; on a
 * token with no genuine (private) verifier that PIN then opens the keyring, and on one with a
 * genuine verifier the right PIN is refused. Each step is a real JVM.
 */
class ReviewTokenPinVerifierTest {

  private static final String ATTACKER_PIN = "9999";
  private static Path cfg;
  private static Path sunCfg;

  @BeforeAll
  static void token() throws Exception {
    SoftHsm.require();
    cfg = SoftHsm.configFile();
    long slot = Pkcs11Token.locate(Pkcs11Config.parse(cfg)).slotId();
    sunCfg = cfg.resolveSibling("sunpkcs11-review-pin.cfg");
    Files.writeString(sunCfg, "name = ReviewPin\nlibrary = " + SoftHsm.LIBRARY + "\nslot = " + slot + "\n");
  }

  @AfterAll
  static void restore() throws Exception {
    destroyVerifiers();
    assertTrue(pinAttempt("alone", SoftHsm.PIN).startsWith("OPENED"), "records the genuine verifier again");
  }

  private static List<String> run(Class<?> main, String... args) throws Exception {
    TokenAttackJvm w = TokenAttackJvm.start(main, args);
    assertEquals(0, w.finish(120), w.lines().toString());
    return w.lines();
  }

  private static String pinAttempt(String mode, String pin) throws Exception {
    List<String> out = run(TokenPinWorker.class, mode, cfg.toString(), sunCfg.toString(), SoftHsm.PIN, pin);
    return out.stream().filter(l -> l.startsWith("OPENED") || l.startsWith("REFUSED")).findFirst()
        .orElseThrow(() -> new AssertionError("no result: " + out));
  }

  private static void plant() throws Exception {
    List<String> out = run(ReviewPublicObjectPlanter.class, cfg.toString(), "verifier", ATTACKER_PIN);
    assertTrue(out.contains("LOGGED IN false") && out.contains("PLANTED"), out.toString());
  }

  /** Every object with the verifier application, private and public (as the test's owner, with the PIN). */
  private static void destroyVerifiers() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(Pkcs11Config.parse(cfg), SoftHsm.PIN.toCharArray())) {
      t.call(s -> {
        for (long h : s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
            .bytes(CKA.APPLICATION, "dev.clavis.pin-verifier".getBytes(StandardCharsets.UTF_8)).build())) {
          s.destroyObject(h);
        }
        return null;
      });
    }
  }

  @Test
  void publicVerifierPlantedWithoutThePin_doesNotLetItsPinIn_afterAnotherLibraryLoggedIn() throws Exception {
    destroyVerifiers(); // a token Clavis has only opened after SunPKCS11 (no genuine verifier)
    plant();
    String r = pinAttempt("sun-first", ATTACKER_PIN);
    assertTrue(r.startsWith("REFUSED"), "a PIN chosen by a process that never logged in opened the keyring: " + r);
  }

  @Test
  void publicVerifierPlantedWithoutThePin_doesNotLockTheRightPinOut() throws Exception {
    destroyVerifiers();
    assertTrue(pinAttempt("alone", SoftHsm.PIN).startsWith("OPENED"), "a Clavis login records its verifier");
    plant();
    String r = pinAttempt("sun-first", SoftHsm.PIN);
    assertTrue(r.startsWith("OPENED"), "the right PIN was refused because of a planted public object: " + r);
  }
}
