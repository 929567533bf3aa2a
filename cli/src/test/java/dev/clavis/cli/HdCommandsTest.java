package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import dev.clavis.engine.hd.Secp256k1Ecdsa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed HD keys from the command line, each command a real child JVM: {@code import-seed},
 * {@code create --algorithm HD-SEED}, {@code derive-key} by path and by BIP44 levels,
 * {@code show}, {@code sign} (the RFC 6979 signature is deterministic, so it must equal the one
 * computed here from the independently derived key), {@code verify} through the managed
 * public-key handle, and {@code revoke} of the seed, after which the child no longer signs or
 * verifies.
 */
class HdCommandsTest {

  private static final String SEED_HEX = "000102030405060708090a0b0c0d0e0f";

  @TempDir Path dir;

  private CliProcess.Result run(byte[] stdin, String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "hd commands pw")).run(stdin, args);
  }

  private CliProcess.Result ok(byte[] stdin, String... args) {
    CliProcess.Result r = run(stdin, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r;
  }

  @BeforeEach
  void init() {
    ok(null, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    ok(SEED_HEX.getBytes(StandardCharsets.US_ASCII), "import-seed", "wallet", "--seed-hex", "-");
  }

  private static Bip32Node expected(String path) {
    return Bip32Node.master(HexFormat.of().parseHex(SEED_HEX), false).derive(Bip32Path.parse(path));
  }

  @Test
  void deriveKey_byPathAndByBip44_signsTheRfc6979Signature_untilTheSeedIsRevoked() throws Exception {
    String out = ok(null, "derive-key", "wallet", "--path", "m/44'/0'/0'/0'/5'").out();
    String pub5 = HexFormat.of().formatHex(expected("m/44'/0'/0'/0'/5'").publicKey());
    assertTrue(out.contains("derived wallet/44h/0h/0h/0h/5h#1 SECP256K1 ACTIVE") && out.contains(pub5), out);
    ok(null, "derive-key", "wallet", "--purpose", "44", "--account", "0", "--change", "0", "--index", "6", "--name", "six");
    String show = ok(null, "show", "six", "--json").out();
    assertTrue(show.contains("m/44'/0'/0'/0'/6'") && show.contains("wallet#1")
        && show.contains(HexFormat.of().formatHex(expected("m/44'/0'/0'/0'/6'").publicKey())), show);

    byte[] msg = "pay 1 BTC to bob".getBytes(StandardCharsets.UTF_8);
    byte[] sig = ok(msg, "sign", "six").stdout;
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(msg);
    assertArrayEquals(new Secp256k1Ecdsa().signDer(expected("m/44'/0'/0'/0'/6'").privateKeyBytes(), hash), sig);
    Path sigFile = Files.write(dir.resolve("six.sig"), sig);
    assertTrue(ok(msg, "verify", "six", "--signature", sigFile.toString()).out().contains("signature valid for six"));
    assertEquals(1, run("pay 2 BTC to bob".getBytes(StandardCharsets.UTF_8), "verify", "six", "--signature",
        sigFile.toString()).exit, "another message");

    ok(null, "revoke", "wallet", "--reason", "seed leaked");
    CliProcess.Result refused = run(msg, "sign", "six");
    assertEquals(1, refused.exit, refused::toString);
    assertTrue(refused.stderr.contains("six") && refused.stderr.contains("REVOKED"), refused.stderr);
    CliProcess.Result unverified = run(msg, "verify", "six", "--signature", sigFile.toString());
    assertEquals(1, unverified.exit, unverified::toString);
    assertTrue(unverified.stderr.contains("six") && unverified.stderr.contains("REVOKED"), unverified.stderr);
    assertTrue(ok(null, "show", "wallet/44h/0h/0h/0h/5h").out().contains("REVOKED"));
  }

  @Test
  void createHdSeed_derivesAndSigns_andBadInputIsAUsageError() {
    ok(null, "create", "fresh", "--algorithm", "HD-SEED");
    ok(null, "derive-key", "fresh", "--path", "m/0h/1h", "--name", "k");
    assertTrue(ok("x".getBytes(StandardCharsets.US_ASCII), "sign", "k").stdout.length >= 8);
    assertEquals(2, run(null, "derive-key", "fresh", "--path", "44'/0'").exit);
    assertEquals(2, run(null, "derive-key", "fresh", "--purpose", "44").exit);
    assertEquals(2, run(null, "create", "x", "--algorithm", "SECP256K1").exit);
    assertEquals(2, run(null, "import-seed", "s2", "--seed-hex", SEED_HEX).exit);
  }
}
