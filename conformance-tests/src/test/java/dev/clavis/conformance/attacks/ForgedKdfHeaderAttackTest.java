package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.TestStores;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A forged store header asks for enormous KDF work (issue 9, item 11): the KDF fields are read
 * before anything authenticates them, so Clavis must refuse them before any work, fast, naming
 * the limit and the property that sets it; and a store at the strongest setting Clavis creates
 * still opens.
 */
class ForgedKdfHeaderAttackTest {

  /** Header offsets (format 1): magic 8 | u16 format | u8 kdf | u32 t | u32 m | u32 p. */
  private static final int KDF = 10;
  private static final int T = 11;
  private static final int M = 15;
  private static final int P = 19;

  private static final char[] PW = "forged-header-pw".toCharArray();

  @TempDir Path dir;

  private Path forged(int kdf, int t, int m, int p) throws Exception {
    Path f = dir.resolve("victim.store");
    if (!Files.exists(f)) {
      Keyrings.openFile(f, PW, TestStores.LIGHTEST_KDF).close();
    }
    byte[] b = Files.readAllBytes(f);
    ByteBuffer.wrap(b).put(KDF, (byte) kdf).putInt(T, t).putInt(M, m).putInt(P, p);
    reseal(b);
    Path out = dir.resolve("forged-" + kdf + "-" + t + "-" + m + "-" + p + ".store");
    Files.write(out, b);
    return out;
  }

  /**
   * Recomputes the unkeyed trailer, SHA-256(header | SHA-256(body)), as any forger can: the
   * forged header then reaches the KDF step instead of failing as accidental damage.
   */
  private static void reseal(byte[] b) throws Exception {
    int saltLength = b[P + 4] & 0xFF;
    int headerLength = P + 4 + 1 + saltLength + 12 + 48 + 8 + 4 + 8 + 32;
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] body = d.digest(Arrays.copyOfRange(b, headerLength, b.length - 32));
    d.update(b, 0, headerLength);
    System.arraycopy(d.digest(body), 0, b, b.length - 32, 32);
  }

  @Test
  void resealedForgery_ofAnAllowedSetting_reachesTheKdf_soTheForgeryIsRealistic() throws Exception {
    // same cost class as the victim, other t: passes every check before the KDF, then the wrong
    // key does not open the master key's GCM tag: a wrong-password error, not "damaged"
    Path f = forged(1, 2, 8, 1);
    assertThrows(dev.clavis.keyring.WrongPasswordException.class, () -> Keyrings.openFile(f, PW));
  }

  @ParameterizedTest(name = "kdf {0}: t={1} m={2} p={3}")
  @CsvSource({
      "1, 16, 1048576, 16", // the forgery: ~100 s and 1 GiB before the fix
      "1, 1, 1048576, 1", // 1 GiB, one pass
      "1, 9, 65536, 4", // one step above the cap of t x m
      "2, 10000000, 0, 0", // PBKDF2 at 10 M iterations: ~54 s before the fix
      "2, 1200001, 0, 0"}) // one iteration above the PBKDF2 cap
  void forgedHeader_isRefusedBeforeAnyWork_inWellUnderASecond_namingTheLimit(int kdf, int t, int m, int p)
      throws Exception {
    Path f = forged(kdf, t, m, p);
    byte[] before = Files.readAllBytes(f);
    String property = kdf == 1 ? KdfLimits.MAX_ARGON2_COST_PROPERTY : KdfLimits.MAX_PBKDF2_ITERATIONS_PROPERTY;
    StoreDamagedException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
        () -> assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(f, PW)));
    assertEquals(StoreDamagedException.Kind.KDF_LIMITS, e.kind());
    assertTrue(e.getMessage().contains(property), e.getMessage());
    assertTrue(e.getMessage().contains(kdf == 1 ? "t=" + t + ", m=" + m + " KiB, p=" + p : t + " iterations"),
        e.getMessage());
    long t0 = System.nanoTime();
    assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(f, PW));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 500, "refused in " + ms + " ms");
    assertArrayEquals(before, Files.readAllBytes(f), "the file is left as it was");
  }

  @Test
  void forgedHeader_throughTheCli_failsWithOneLineNamingTheProperty() throws Exception {
    Path f = forged(1, 16, 1 << 20, 16);
    AttackProcess.Result r = AttackProcess.run(AttackProcess.builder(dir, java.util.Map.of("CLAVIS_PASSWORD",
        new String(PW)), java.util.List.of(), "dev.clavis.cli.Main", "list", "--store", f.getFileName().toString()), 30);
    assertTrue(r.exit() != 0, r::toString);
    assertTrue(r.err().startsWith("clavis: error: ") && r.err().contains(KdfLimits.MAX_ARGON2_COST_PROPERTY), r::toString);
  }

  @Test
  void storeAtTheStrongestArgon2SettingClavisCreates_stillOpens() {
    Path f = dir.resolve("strong-argon2.store");
    // t x m exactly at the default cap, as strong as init accepts
    KdfParameters strongest = KdfParameters.argon2id(8, 64 * 1024, 4);
    assertEquals(KdfLimits.DEFAULT_MAX_ARGON2_COST, (long) strongest.iterations() * strongest.memoryKiB());
    try (Keyring k = Keyrings.openFile(f, PW, strongest)) {
      k.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    try (Keyring k = Keyrings.openFile(f, PW)) {
      assertEquals(1, k.list().size());
    }
  }

  @Test
  void storeAtTheStrongestPbkdf2SettingClavisCreates_stillOpens() {
    Path f = dir.resolve("strong-pbkdf2.store");
    try (Keyring k = Keyrings.openFile(f, PW, KdfParameters.pbkdf2(KdfLimits.DEFAULT_MAX_PBKDF2_ITERATIONS))) {
      k.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    try (Keyring k = Keyrings.openFile(f, PW)) {
      assertEquals(1, k.list().size());
    }
  }
}
