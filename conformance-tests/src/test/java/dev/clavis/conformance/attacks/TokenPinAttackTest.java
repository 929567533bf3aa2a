package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack: another library of the process (here the JDK's SunPKCS11) logged the token in with the
 * right PIN, so {@code C_Login} answers {@code CKR_USER_ALREADY_LOGGED_IN} without checking the
 * PIN; an attacker then opens the Clavis keyring with a wrong one. Each attempt is a real JVM.
 */
class TokenPinAttackTest {

  private static final String WRONG_PIN = "0000";
  private static Path cfg;
  private static Path sunCfg;

  @BeforeAll
  static void token() throws Exception {
    SoftHsm.require();
    cfg = SoftHsm.configFile();
    long slot = Pkcs11Token.locate(Pkcs11Config.parse(cfg)).slotId();
    sunCfg = cfg.resolveSibling("sunpkcs11-pin-attack.cfg");
    Files.writeString(sunCfg, "name = PinAttack\nlibrary = " + SoftHsm.LIBRARY + "\nslot = " + slot + "\n");
  }

  private static String attempt(String mode, String pin) throws Exception {
    TokenAttackJvm w = TokenAttackJvm.start(TokenPinWorker.class, mode, cfg.toString(), sunCfg.toString(),
        SoftHsm.PIN, pin);
    assertEquals(0, w.finish(120), w.lines().toString());
    List<String> out = w.lines();
    if (mode.equals("sun-first")) {
      assertTrue(out.contains("SUN LOGGED IN"), out.toString());
    }
    return out.stream().filter(l -> l.startsWith("OPENED") || l.startsWith("REFUSED")).findFirst()
        .orElseThrow(() -> new AssertionError("no result: " + out));
  }

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
  void wrongPin_afterSunPkcs11LoggedTheTokenIn_isRefused() throws Exception {
    assertTrue(attempt("alone", SoftHsm.PIN).startsWith("OPENED"), "a Clavis login records its PIN verifier");
    String r = attempt("sun-first", WRONG_PIN);
    assertTrue(r.startsWith("REFUSED"), "a wrong PIN opened the keyring: " + r);
    assertTrue(r.contains("CKR_PIN_INCORRECT") && r.contains("PIN is wrong"), r);
    assertTrue(!r.contains(WRONG_PIN) && !r.contains(SoftHsm.PIN), "no PIN in the message: " + r);
    assertTrue(attempt("sun-first", SoftHsm.PIN).startsWith("OPENED"), "the right PIN still opens it");
  }

  @Test
  void anyPin_afterSunPkcs11LoggedIn_onATokenWithoutAClavisVerifier_isRefusedWithAMessage() throws Exception {
    destroyVerifiers();
    try {
      for (String pin : new String[] {WRONG_PIN, SoftHsm.PIN}) {
        String r = attempt("sun-first", pin);
        assertTrue(r.startsWith("REFUSED"), "opened without a PIN check: " + r);
        assertTrue(r.contains("logged the token in first") && r.contains("CKR_USER_ALREADY_LOGGED_IN"), r);
      }
    } finally {
      assertTrue(attempt("alone", SoftHsm.PIN).startsWith("OPENED")); // records the verifier again
    }
  }

  @Test
  void wrongPin_inAProcessOfItsOwn_isRefusedByTheToken_andRecordsNothing() throws Exception {
    String r = attempt("alone", WRONG_PIN);
    assertTrue(r.startsWith("REFUSED") && r.contains("CKR_PIN_INCORRECT"), r);
    assertTrue(attempt("sun-first", SoftHsm.PIN).startsWith("OPENED"), "the verifier still holds the right PIN");
  }
}
