package dev.clavis.conformance.pkcs11;

import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * A logged-in session of the independent PKCS#11 client (the IAIK-derived wrapper
 * {@code org.xipki:ipkcs11wrapper}) on a token, for tests that check what Clavis wrote from
 * outside Clavis. Tolerates a module this JVM already initialised and a user already logged in.
 */
public final class IaikSessions {

  private IaikSessions() {}

  /**
   * @param library the PKCS#11 module
   * @param label the token's label
   * @param pin the user PIN
   * @param readWrite whether the session may create and change objects
   * @return the session, logged in as the user
   * @throws IllegalStateException if no token has that label
   * @throws PKCS11Exception if the module refuses
   * @throws java.io.IOException if the module cannot be loaded
   */
  public static Session userSession(String library, String label, char[] pin, boolean readWrite)
      throws PKCS11Exception, java.io.IOException {
    PKCS11Module m = PKCS11Module.getInstance(library);
    try {
      m.initialize();
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw e;
      }
    }
    for (Slot s : m.getSlotList(true)) {
      if (s.getToken().getTokenInfo().getLabel().trim().equals(label)) {
        Session session = s.getToken().openSession(readWrite);
        try {
          session.login(PKCS11Constants.CKU_USER, pin);
        } catch (PKCS11Exception e) {
          if (e.getErrorCode() != PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN) {
            throw e;
          }
        }
        return session;
      }
    }
    throw new IllegalStateException("the IAIK wrapper sees no token labelled " + label);
  }
}
