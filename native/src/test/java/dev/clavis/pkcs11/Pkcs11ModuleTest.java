package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11ModuleTest {

  @Test
  void open_softHsm_listsTokenAndMechanisms() throws Exception {
    SoftHsm.require();
    Pkcs11Module m = Pkcs11Module.open(SoftHsm.LIBRARY);
    assertSame(m, Pkcs11Module.open(SoftHsm.LIBRARY), "one module instance per library");
    assertTrue(m.describe().contains("SoftHSM"), m.describe());
    TokenInfo t = m.tokens().stream().filter(x -> x.label().equals(SoftHsm.LABEL)).findFirst().orElseThrow();
    assertTrue(t.has(CKF.TOKEN_INITIALIZED) && t.has(CKF.USER_PIN_INITIALIZED), t.toString());
    long[] mechs = m.mechanisms(t.slotId());
    assertTrue(mechs.length > 10);
    MechanismInfo gcm = m.mechanismInfo(t.slotId(), CKM.AES_GCM);
    assertTrue(gcm.has(CKF.ENCRYPT) && gcm.has(CKF.DECRYPT), gcm.toString());
  }

  @Test
  void open_missingLibrary_namesTheFile() {
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> Pkcs11Module.open(Path.of("/nonexistent/libpkcs11.so")));
    assertTrue(e.getMessage().contains("/nonexistent/libpkcs11.so") && e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals(Pkcs11Exception.NO_RETURN_VALUE, e.returnValue());
  }

  @Test
  void open_libc_saysNotAPkcs11Module() {
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(libc), "needs glibc at " + libc);
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> Pkcs11Module.open(libc));
    assertTrue(e.getMessage().contains("is not a PKCS#11 module") && e.getMessage().contains("C_GetFunctionList"), e.getMessage());
  }

  @Test
  void open_textFile_saysItCannotBeLoaded(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("libfake.so"), "not a library");
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> Pkcs11Module.open(f));
    assertTrue(e.getMessage().startsWith("cannot load PKCS#11 library " + f), e.getMessage());
  }

  @Test
  void constantNames_knownAndUnknown() {
    assertEquals("CKR_PIN_INCORRECT", CKR.name(0xA0));
    assertEquals("CKM_AES_KEY_WRAP_PAD", CKM.name(0x210A));
    assertEquals("CKA_VALUE_LEN", CKA.name(0x161));
    assertEquals("CKR_0x12345", CKR.name(0x12345));
    Pkcs11Exception e = new Pkcs11Exception("C_Login", CKR.PIN_INCORRECT, CKR.name(CKR.PIN_INCORRECT));
    assertEquals("C_Login failed: CKR_PIN_INCORRECT (0xa0)", e.getMessage());
    assertEquals("CKR_PIN_INCORRECT", e.returnValueName());
  }
}
