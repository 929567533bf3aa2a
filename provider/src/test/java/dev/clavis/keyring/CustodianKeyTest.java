package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The custodian key file (format 1), approval requests' canonical text and approvals' signatures. */
class CustodianKeyTest {

  static final KdfParameters WEAK = KdfParameters.argon2id(1, 64, 1).allowingWeak();
  static final char[] PASS = "custodian passphrase".toCharArray();

  @Test
  void aSealedKey_opensWithItsPassphrase_andSignsVerifiably() {
    CustodianKey k = CustodianKey.generate();
    byte[] file = k.seal(PASS, WEAK);
    try (CustodianKey opened = CustodianKey.open(file, PASS)) {
      assertEquals(k.id(), opened.id());
      ApprovalRequest r = ApprovalRequest.issue("00aa", "export", "k#1", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));
      assertTrue(Approval.sign(r, opened).verifies(k.publicKey()));
      assertFalse(Approval.sign(r, opened).verifies(CustodianKey.generate().publicKey()));
    }
    assertFalse(k.toString().contains("MC4C"), "no key material in toString");
  }

  @Test
  void aWrongPassphrase_anAlteredFile_andAShortPassphrase_areRefused() {
    CustodianKey k = CustodianKey.generate();
    byte[] file = k.seal(PASS, WEAK);
    assertThrows(WrongPasswordException.class, () -> CustodianKey.open(file, "another passphrase".toCharArray()));
    byte[] altered = file.clone();
    altered[40] ^= 1; // inside the public key, which the GCM tag covers
    assertThrows(WrongPasswordException.class, () -> CustodianKey.open(altered, PASS));
    byte[] notOne = file.clone();
    notOne[0] = 'X';
    assertThrows(IllegalArgumentException.class, () -> CustodianKey.open(notOne, PASS));
    assertThrows(IllegalArgumentException.class, () -> k.seal("short".toCharArray(), WEAK));
  }

  @Test
  void aForgedKdfCost_isRefusedBeforeDeriving() {
    byte[] file = CustodianKey.generate().seal(PASS, WEAK);
    file[13] = 0x7f; // m = about 2 TiB
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CustodianKey.open(file, PASS)).getMessage()
        .contains("outside the accepted limits"));
  }

  @Test
  void theRequestText_isCanonical_andParsedStrictly() {
    ApprovalRequest r = ApprovalRequest.issue("00aa", "policy", "k", Map.of("z", "1", "a", "2"),
        Instant.parse("2030-01-01T00:00:00Z"));
    String text = r.canonical();
    assertTrue(text.contains("param.a: 2\nparam.z: 1\n"), text);
    assertEquals(r, ApprovalRequest.parse(text));
    assertThrows(IllegalArgumentException.class, () -> ApprovalRequest.parse(text.replace("param.a: 2\nparam.z: 1\n",
        "param.z: 1\nparam.a: 2\n")));
    assertThrows(IllegalArgumentException.class, () -> ApprovalRequest.parse(text + "extra: 1\n"));
    assertThrows(IllegalArgumentException.class, () -> ApprovalRequest.issue("00aa", "x", "k", Map.of("a", "b\nc"),
        Instant.EPOCH));
    Approval a = Approval.sign(r, CustodianKey.generate());
    assertEquals(a.format(), Approval.parse(a.format()).format());
  }

  @Test
  void sealingUnderAWeakKdf_isRefusedUnlessAllowed() {
    try (CustodianKey k = CustodianKey.generate()) {
      WeakKdfException e = assertThrows(WeakKdfException.class, () -> k.seal(PASS, KdfParameters.argon2id(1, 64, 1)));
      assertTrue(e.getMessage().contains("custodian key " + k.id()), e.getMessage());
      assertTrue(k.seal(PASS, WEAK).length > 0, "explicitly allowed weak settings still seal (tests, throw-away keys)");
    }
  }
}
