package dev.clavis.conformance.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.pkcs11.CKF;
import dev.clavis.pkcs11.Pkcs11Module;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.TokenInfo;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The faults of issue 5: each fails closed with a message naming the problem, or recovers. */
class Pkcs11FaultsTest {

  @TempDir
  Path dir;

  private Path cfg(String body) throws IOException {
    return Files.writeString(dir.resolve("bad-" + UUID.randomUUID() + ".cfg"), body);
  }

  @Test
  void wrongPin_clearErrorAndRetryCounterMovedByOneAtMost() throws Exception {
    SoftHsm.require();
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    IOException e = assertThrows(IOException.class, () -> ks.load(null, "000000".toCharArray()));
    assertInstanceOf(UnrecoverableKeyException.class, e.getCause());
    assertTrue(e.getMessage().contains("CKR_PIN_INCORRECT"), e.getMessage());
    Pkcs11Module m = Pkcs11Module.open(SoftHsm.LIBRARY);
    TokenInfo t = Pkcs11Token.locate(dev.clavis.pkcs11.Pkcs11Config.parse(SoftHsm.configFile()));
    TokenInfo now = m.tokenInfo(t.slotId());
    assertFalse(now.has(CKF.USER_PIN_FINAL_TRY) || now.has(CKF.USER_PIN_LOCKED), "retry counter burned: " + now);
    KeyStore ok = KeyStore.getInstance("ClavisPKCS11", p);
    ok.load(null, SoftHsm.PIN.toCharArray());
  }

  @Test
  void missingLibrary_failsClosedNamingIt() throws Exception {
    Path f = cfg("library = /opt/nowhere/libvendor-pkcs11.so\ntokenLabel = clavis\n");
    ProviderException e = assertThrows(ProviderException.class, () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("/opt/nowhere/libvendor-pkcs11.so"), e.getMessage());
  }

  @Test
  void libraryThatIsNotPkcs11_failsClosed() throws Exception {
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(libc), "needs glibc");
    Path f = cfg("library = " + libc + "\ntokenLabel = clavis\n");
    ProviderException e = assertThrows(ProviderException.class, () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("not a PKCS#11 module"), e.getMessage());
  }

  @Test
  void unknownTokenLabel_failsClosed() throws Exception {
    SoftHsm.require();
    Path f = cfg("library = " + SoftHsm.LIBRARY + "\ntokenLabel = no-such-hsm\n");
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("no token labelled 'no-such-hsm'"), e.getMessage());
  }

  @Test
  void sessionsClosedFromAnotherHandleWhileTwoThreadsWork_theyRecover() throws Exception {
    SoftHsm.require();
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(dev.clavis.pkcs11.Pkcs11Config.parse(SoftHsm.configFile())).pin(SoftHsm.PIN.toCharArray()));
        Pkcs11Token other = Pkcs11Token.open(dev.clavis.pkcs11.Pkcs11Config.parse(SoftHsm.configFile()),
            SoftHsm.PIN.toCharArray())) {
      String n = "fault-" + UUID.randomUUID().toString().substring(0, 8);
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Integer>> work = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        work.add(pool.submit(() -> {
          int ok = 0;
          while (!stop.get()) {
            byte[] env = ring.encrypt(n, new byte[64], null);
            assertEquals(64, ring.decrypt(env, null).length);
            ok++;
          }
          return ok;
        }));
      }
      Thread.sleep(150);
      for (int i = 0; i < 3; i++) {
        other.module().closeAllSessions(other.info().slotId()); // through another handle
        Thread.sleep(80);
      }
      Thread.sleep(100);
      stop.set(true);
      for (Future<Integer> f : work) {
        assertTrue(f.get(30, TimeUnit.SECONDS) > 0);
      }
      pool.shutdown();
      byte[] env = ring.encrypt(n, new byte[] {1}, null);
      assertEquals(1, ring.decrypt(env, null).length, "still working after the storm");
    }
  }
}
