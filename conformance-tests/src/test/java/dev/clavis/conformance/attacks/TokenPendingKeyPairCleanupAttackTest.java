package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.conformance.pkcs11.IaikSessions;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.pkcs11.TokenGeneratedKeyPair;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;

/**
 * A pending key pair left on the token ({@code clavis-pending:*}) whose private key may sign (a
 * process killed during the pair's own self-signature, a failed reset, an older build): the next
 * keyring that opens on the token forces its {@code CKA_SIGN} false (TokenPendingSweep), so the PIN
 * holder signing with {@code pkcs11-tool} (a real process) is refused, and it is logged with the
 * label shortened, for an operator. A pair this process is still making is left alone.
 */
class TokenPendingKeyPairCleanupAttackTest {

  private static KeyringEngine ring;
  private static Session session;

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile()))
        .pin(SoftHsm.PIN.toCharArray()));
    session = IaikSessions.userSession(SoftHsm.LIBRARY.toString(), SoftHsm.LABEL, SoftHsm.PIN.toCharArray(), true);
  }

  @AfterAll
  static void close() throws Exception {
    if (session != null) {
      session.closeSession();
    }
    if (ring != null) {
      ring.close();
    }
  }

  /** Captures the warnings of the token backend's logger while {@code run} runs. */
  private static List<String> warnings(ThrowingRunnable run) throws Exception {
    List<String> out = new ArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord r) {
        out.add(r.getMessage());
      }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Logger log = Logger.getLogger("dev.clavis.keyring.pkcs11");
    log.addHandler(capture);
    try {
      run.run();
    } finally {
      log.removeHandler(capture);
    }
    return out;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void openAndClose() throws Exception {
    Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile())).pin(SoftHsm.PIN.toCharArray())).close();
  }

  @Test
  void aLeftoverPendingPairThatMaySign_cannotSignOnceAKeyringOpens_andIsLoggedShortened(@TempDir Path dir)
      throws Exception {
    // what a process killed during the pair's self-signature, or an older build, leaves on the token
    byte[] nonce = new byte[32];
    new java.security.SecureRandom().nextBytes(nonce);
    String label = "clavis-pending:" + HexFormat.of().formatHex(nonce);
    byte[] id = label.getBytes(StandardCharsets.UTF_8);
    byte[] p256 = HexFormat.of().parseHex("06082a8648ce3d030107");
    PKCS11KeyPair kp = session.generateKeyPair(new Mechanism(PKCS11Constants.CKM_EC_KEY_PAIR_GEN), new KeyPairTemplate(
        AttributeVector.newECPrivateKey().token(true).private_(true).sensitive(true).extractable(false).sign(true)
            .label(label).id(id),
        AttributeVector.newECPublicKey().token(true).verify(true).label(label).id(id).ecParams(p256)));
    try {
      Path in = Files.write(dir.resolve("digest"), new byte[32]);
      Object[] before = pkcs11ToolSign(HexFormat.of().formatHex(id), in, dir.resolve("before.sig"));
      assertEquals(0, before[0], "the leftover signs before any keyring opened:\n" + before[1]);

      List<String> logged = warnings(TokenPendingKeyPairCleanupAttackTest::openAndClose);

      assertEquals(Boolean.FALSE, session.getAttrValues(kp.getPrivateKey(), PKCS11Constants.CKA_SIGN).sign());
      Object[] after = pkcs11ToolSign(HexFormat.of().formatHex(id), in, dir.resolve("after.sig"));
      assertNotEquals(0, after[0], "pkcs11-tool signed with a leftover pending key:\n" + after[1]);
      assertTrue(((String) after[1]).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), (String) after[1]);
      String shortLabel = label.substring(0, "clavis-pending:".length() + 8) + "...";
      assertTrue(logged.stream().anyMatch(w -> w.contains("switched CKA_SIGN off") && w.contains(shortLabel)),
          logged.toString());
      assertFalse(logged.stream().anyMatch(w -> w.contains(label)), "the whole nonce is not logged: " + logged);
    } finally {
      session.destroyObject(kp.getPrivateKey());
      session.destroyObject(kp.getPublicKey());
    }
  }

  @Test
  void aPendingPairThisProcessIsStillMaking_isLeftAlone_andItsCleanupDestroysIt() throws Exception {
    List<Long> before = Arrays.stream(session.findObjectsSingle(AttributeVector.newPrivateKey(), 10_000)).boxed().toList();
    TokenGeneratedKeyPair p = TokenGeneratedKeyPair.generate(ring, KeyAlgorithm.EC_P256, 0);
    long h = Arrays.stream(session.findObjectsSingle(AttributeVector.newPrivateKey(), 10_000))
        .filter(x -> !before.contains(x)).findFirst().orElseThrow();
    String label = session.getAttrValues(h, PKCS11Constants.CKA_LABEL).label();
    // as inside its own self-signature (TokenGeneratedKeyPair.sign)
    session.setAttributeValues(h, new AttributeVector().sign(true));
    openAndClose();
    assertEquals(Boolean.TRUE, session.getAttrValues(h, PKCS11Constants.CKA_SIGN).sign(),
        "a pair of this process in its self-signature is not switched off under it");
    p.close();
    assertEquals(0, session.findObjectsSingle(AttributeVector.newPrivateKey().label(label), 10).length, "destroyed");
  }

  /** @return pkcs11-tool's exit code and output signing {@code in} with the key of that CKA_ID (hex) */
  private static Object[] pkcs11ToolSign(String idHex, Path in, Path out) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
          "--login", "--pin", SoftHsm.PIN, "--sign", "--mechanism", "ECDSA", "--signature-format", "openssl",
          "--id", idHex, "--input-file", in.toString(), "--output-file", out.toString())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      fail("pkcs11-tool (opensc) is required: " + e.getMessage());
      return null;
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Object[] {p.waitFor(), text};
  }
}
