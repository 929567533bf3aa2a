package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.clavis.engine.kw.JdkAesBlock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AesBlockCacheTest {

  private static final byte[] KEY_A = new byte[16];
  private static final byte[] KEY_B = new byte[32];

  @Test
  void bound_sameToken_returnsTheKeyedBlock() {
    AesBlockCache cache = new AesBlockCache();
    Object token = new Object();
    AesBlockCache.Slot slot = cache.bind(KEY_A, false, token);
    JdkAesBlock block = slot.bound(token, false);
    assertNotNull(block);
    // AES-128 of the zero block under the zero key (FIPS-197 based known answer).
    block.process(0, 0);
    assertEquals(0x66e94bd4ef8a2c3bL, block.hi());
    assertEquals(0x884cfa59ca342b2eL, block.lo());
  }

  @Test
  void bound_afterAnotherBinding_returnsNull() {
    AesBlockCache cache = new AesBlockCache();
    Object first = new Object();
    AesBlockCache.Slot slot = cache.bind(KEY_A, false, first);
    AesBlockCache.Slot again = cache.bind(KEY_B, false, new Object());
    assertSame(slot, again, "one slot per thread");
    assertNull(slot.bound(first, false), "a re-keyed slot must not answer for the old token");
  }

  @Test
  void bound_directionsAreIndependent() {
    AesBlockCache cache = new AesBlockCache();
    Object enc = new Object();
    Object dec = new Object();
    AesBlockCache.Slot slot = cache.bind(KEY_A, false, enc);
    cache.bind(KEY_B, true, dec);
    assertNotNull(slot.bound(enc, false));
    assertNotNull(slot.bound(dec, true));
    assertNull(slot.bound(enc, true));
  }

  @Test
  void bound_fromAnotherThread_returnsNull() throws Exception {
    AesBlockCache cache = new AesBlockCache();
    Object token = new Object();
    AesBlockCache.Slot slot = cache.bind(KEY_A, false, token);
    assertNull(CompletableFuture.supplyAsync(() -> slot.bound(token, false)).get());
  }

  @Test
  void privateBlock_isNotTheSharedOne() {
    AesBlockCache cache = new AesBlockCache();
    Object token = new Object();
    JdkAesBlock shared = cache.bind(KEY_A, false, token).bound(token, false);
    JdkAesBlock own = AesBlockCache.privateBlock(KEY_A, false);
    assertNotSame(shared, own);
    own.process(0, 0);
    assertEquals(0x66e94bd4ef8a2c3bL, own.hi());
  }

  @Test
  void bind_sameKekAgain_movesTheTokenAndKeepsTheKey() {
    AesBlockCache cache = new AesBlockCache();
    Object first = new Object();
    Object second = new Object();
    AesBlockCache.Slot slot = cache.bind(KEY_A, false, first);
    JdkAesBlock before = slot.bound(first, false);
    cache.bind(KEY_A.clone(), false, second);
    assertNull(slot.bound(first, false));
    JdkAesBlock after = slot.bound(second, false);
    assertSame(before, after);
    after.process(0, 0);
    assertEquals(0x66e94bd4ef8a2c3bL, after.hi());
  }

  @Test
  void bind_otherKekAfterSame_rekeys() {
    AesBlockCache cache = new AesBlockCache();
    cache.bind(KEY_A, false, new Object());
    Object token = new Object();
    byte[] other = new byte[16];
    other[0] = 1;
    JdkAesBlock block = cache.bind(other, false, token).bound(token, false);
    block.process(0, 0);
    JdkAesBlock reference = AesBlockCache.privateBlock(other, false);
    reference.process(0, 0);
    assertEquals(reference.hi(), block.hi());
    assertEquals(reference.lo(), block.lo());
  }
}
