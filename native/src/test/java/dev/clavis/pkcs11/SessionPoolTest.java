package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.raw.Cryptoki;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionPoolTest {

  /** The real module behind a proxy that counts C_Login calls. */
  private static Pkcs11Module counting(AtomicInteger logins) throws Exception {
    Pkcs11Module real = Pkcs11Module.open(SoftHsm.LIBRARY);
    Cryptoki ck = real.raw();
    Cryptoki proxy = (Cryptoki) Proxy.newProxyInstance(Cryptoki.class.getClassLoader(), new Class<?>[] {Cryptoki.class},
        (p, method, args) -> {
          if (method.getName().equals("C_Login")) {
            logins.incrementAndGet();
          }
          try {
            return method.invoke(ck, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new Pkcs11Module(proxy, real.library(), false);
  }

  private static long slot(Pkcs11Module m) throws Exception {
    return m.tokens().stream().filter(t -> t.label().equals(SoftHsm.LABEL)).findFirst().orElseThrow().slotId();
  }

  @Test
  void open_wrongPin_failsAfterExactlyOneLoginAndKeepsTokenUsable() throws Exception {
    SoftHsm.require();
    AtomicInteger logins = new AtomicInteger();
    Pkcs11Module m = counting(logins);
    long slot = slot(m);
    try (Session s = m.openSession(slot, false)) {
      if (s.isLoggedIn()) {
        s.logout(); // another test class of this JVM logged the application in
      }
    }
    char[] wrong = "0000".toCharArray();
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> new SessionPool(m, slot, wrong));
    assertEquals(CKR.PIN_INCORRECT, e.returnValue());
    assertTrue(e.getMessage().contains("will not retry"), e.getMessage());
    assertFalse(e.getMessage().contains("0000"), "the PIN must not appear in the message");
    assertEquals(1, logins.get(), "exactly one C_Login for a wrong PIN");
    TokenInfo info = m.tokenInfo(slot);
    assertFalse(info.has(CKF.USER_PIN_LOCKED), info.toString());
    try (SessionPool ok = new SessionPool(m, slot, SoftHsm.PIN.toCharArray())) {
      assertEquals(2, logins.get());
      assertEquals(16, ok.call(s -> s.generateRandom(16)).length);
    }
  }

  @Test
  void toString_neverShowsThePin() throws Exception {
    try (Pkcs11Token t = SoftHsmTokens.open()) {
      assertFalse(t.sessions().toString().contains(SoftHsm.PIN), t.sessions().toString());
      assertTrue(t.sessions().toString().contains("pin=***"));
      assertFalse(SoftHsmTokens.config().toString().contains(SoftHsm.PIN), SoftHsmTokens.config().toString());
    }
  }

  @Test
  void call_closeAllSessionsWhileTwoThreadsWork_bothRecover() throws Exception {
    try (Pkcs11Token t = SoftHsmTokens.open()) {
      long key = t.call(s -> s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), Template.builder()
          .ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES).ulong(CKA.VALUE_LEN, 32)
          .bool(CKA.TOKEN, false).bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).build()));
      long epoch0 = t.sessions().epoch();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Integer>> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        workers.add(pool.submit(() -> {
          int done = 0;
          while (!stop.get()) {
            // random bytes need no object handle, so they survive the renumbering of objects
            byte[] r = t.call(s -> s.generateRandom(32));
            assertEquals(32, r.length);
            done++;
          }
          return done;
        }));
      }
      Thread.sleep(100);
      for (int i = 0; i < 3; i++) {
        t.module().closeAllSessions(t.info().slotId());
        Thread.sleep(50);
      }
      Thread.sleep(100);
      stop.set(true);
      for (Future<Integer> f : workers) {
        assertTrue(f.get(10, TimeUnit.SECONDS) > 0);
      }
      pool.shutdown();
      assertTrue(t.sessions().epoch() >= epoch0 + 3);
      // The pool logged in again: a private token object can be created and read.
      byte[] back = t.call(s -> {
        long o = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, false)
            .bool(CKA.PRIVATE, true).bytes(CKA.VALUE, new byte[] {5}).build());
        byte[] v = s.getAttributes(o, CKA.VALUE).bytes(CKA.VALUE).orElseThrow();
        s.destroyObject(o);
        return v;
      });
      assertArrayEquals(new byte[] {5}, back);
      // The session key died with its sessions.
      Pkcs11Exception gone = assertThrows(Pkcs11Exception.class,
          () -> t.call(s -> s.encrypt(Mechanism.gcm(new byte[12], null, 128), key, new byte[1])));
      assertTrue(gone.isHandleStale(), gone.getMessage());
    }
  }
}
