package dev.clavis.pkcs11;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@link PinVerifier} kept on the token as a private {@code CKO_DATA} object (application
 * {@value #APPLICATION}), so Clavis can check a PIN even when another component of the process
 * (SunPKCS11, another PKCS#11 library) logged the token in first and {@code C_Login} answers
 * {@code CKR_USER_ALREADY_LOGGED_IN} without looking at the PIN (PKCS#11 v2.40 §5.6).
 *
 * <p>Written after every {@code C_Login} the token accepted, when the object is missing or no
 * longer matches (the PIN was changed); only a logged-in user can read it, and it holds a salted,
 * iterated HMAC of the PIN, never the PIN.
 */
final class StoredPinVerifier {

  static final String APPLICATION = "dev.clavis.pin-verifier";

  private StoredPinVerifier() {}

  /**
   * Private objects only: a public token object can be created by a session that never logged in
   * (PKCS#11 v2.40 §4.4), so a "verifier" among them could vouch for a PIN its maker chose, or
   * lock the right PIN out. Only a user who knew the PIN can have made a private one.
   */
  private static Template find() {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
        .bytes(CKA.APPLICATION, APPLICATION.getBytes(StandardCharsets.UTF_8)).build();
  }

  /**
   * Checks a PIN against the verifiers on the token; with several (a race of two writers), each
   * must match, so a stale one cannot let an old PIN in.
   *
   * @return empty if the token holds no readable verifier; else whether the PIN matches
   */
  static Optional<Boolean> check(Session s, byte[] pinUtf8) throws Pkcs11Exception {
    boolean any = false;
    for (long h : s.findObjects(find())) {
      PinVerifier v;
      try {
        v = PinVerifier.decode(s.getAttributes(h, CKA.VALUE).bytes(CKA.VALUE).orElse(null));
      } catch (IllegalArgumentException e) {
        continue; // damaged or from a later version: it cannot vouch for the PIN
      }
      any = true;
      if (!v.matches(pinUtf8)) {
        return Optional.of(false);
      }
    }
    return any ? Optional.of(true) : Optional.empty();
  }

  /**
   * After the token accepted {@code pinUtf8}: makes the token hold exactly one verifier, of this
   * PIN. Best effort: a token that refuses the object leaves the check to the in-process verifier.
   */
  static void update(Session s, byte[] pinUtf8) {
    try {
      long[] found = s.findObjects(find());
      if (found.length == 1 && check(s, pinUtf8).orElse(false)) {
        return;
      }
      PinVerifier fresh = new PinVerifier(pinUtf8);
      byte[] enc = fresh.encoded();
      Template t = Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
          .bool(CKA.MODIFIABLE, true).bytes(CKA.APPLICATION, APPLICATION.getBytes(StandardCharsets.UTF_8))
          .string(CKA.LABEL, "clavis PIN verifier").bytes(CKA.VALUE, enc).build();
      try {
        s.createObject(t);
      } finally {
        t.wipe();
        java.util.Arrays.fill(enc, (byte) 0);
      }
      for (long h : found) {
        s.destroyObject(h);
      }
    } catch (Pkcs11Exception e) {
      // a read-only token or one without room: the in-process verifier still checks this process
    }
  }
}
