package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TokenKeyBackendTest {

  @Test
  void operations_afterCloseAllSessionsUnderLoad_recoverWithRenumberedHandles() throws Exception {
    SoftHsm.require();
    Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
    try (KeyringEngine ring = TokenKeyring.open(token)) {
      String n = "load-" + UUID.randomUUID().toString().substring(0, 8);
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Integer>> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        workers.add(pool.submit(() -> {
          int done = 0;
          while (!stop.get()) {
            byte[] pt = new byte[] {(byte) done};
            assertArrayEquals(pt, ring.decrypt(ring.encrypt(n, pt, null), null));
            done++;
          }
          return done;
        }));
      }
      Thread.sleep(150);
      long before = token.sessions().epoch();
      for (int i = 0; i < 3; i++) {
        token.module().closeAllSessions(token.info().slotId());
        Thread.sleep(60);
      }
      stop.set(true);
      for (Future<Integer> f : workers) {
        assertTrue(f.get(20, TimeUnit.SECONDS) > 0);
      }
      pool.shutdown();
      assertTrue(token.sessions().epoch() >= before + 3);
      assertEquals(1, ring.find(n).orElseThrow().versions().size());
    }
  }

  @Test
  void index_findsKeysCreatedByAnotherKeyringAfterItsCommit() throws Exception {
    SoftHsm.require();
    try (KeyringEngine a = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
        KeyringEngine b = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      String n = "idx-" + UUID.randomUUID().toString().substring(0, 8);
      a.create(n, KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
      Thread.sleep(30);
      assertTrue(b.find(n).isPresent());
      assertTrue(b.backend().material(KeyRef.of(n, 1)).isPresent(), "b indexes material a created");
      assertEquals(KeyAlgorithm.HMAC_SHA256, b.backend().material(KeyRef.of(n, 1)).orElseThrow().algorithm());
    }
  }
}
