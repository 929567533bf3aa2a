package dev.clavis.pkcs11.testing;

import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.testkit.SoftHsm;

/**
 * The binding's view of the SoftHSM2 token of the test JVM ({@link SoftHsm}): its configuration
 * and an open token. In this module's test-jar, so the tests of the modules above use it too; in
 * a package of its own because {@code dev.clavis.pkcs11} belongs to the binding's named module,
 * which the provider's tests (compiled into the provider module) read from the module path.
 */
public final class SoftHsmTokens {

  private SoftHsmTokens() {}

  /** @return the configuration of the token of this JVM (PIN {@link SoftHsm#PIN} in it) */
  public static Pkcs11Config config() {
    return Pkcs11Config.builder().name("softhsm").library(SoftHsm.LIBRARY).tokenLabel(SoftHsm.LABEL).pin(SoftHsm.PIN).build();
  }

  /**
   * Opens the token of this JVM, creating it first if needed.
   *
   * @return the logged-in token
   * @throws Exception if it cannot be opened
   * @throws org.opentest4j.TestAbortedException without SoftHSM2 outside CI (see {@link SoftHsm#require()})
   */
  public static Pkcs11Token open() throws Exception {
    SoftHsm.require();
    return Pkcs11Token.open(config(), SoftHsm.PIN.toCharArray());
  }
}
