package dev.clavis.conformance.reliability;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The keyring the envelope fuzz tests decrypt with: key {@code fuzz} imported with fixed material,
 * so the checked-in seed envelopes (made by {@link #main}) decrypt and the fuzzer starts from valid
 * inputs. Opened once per JVM.
 */
final class FuzzFixtures {

  static final String KEY = "fuzz";

  private static Keyring keyring;

  private FuzzFixtures() {}

  static byte[] material() {
    byte[] m = new byte[32];
    Arrays.fill(m, (byte) 0x5A);
    return m;
  }

  static synchronized Keyring keyring() {
    if (keyring == null) {
      try {
        Path dir = Files.createTempDirectory("clavis-fuzz-");
        dir.toFile().deleteOnExit();
        keyring = TestStores.open(dir.resolve("fuzz.store"));
        keyring.importKey(KEY, KeyAlgorithm.AES_256, material(), KeyPolicy.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return keyring;
  }

  /**
   * Writes the seed corpora: {@code java -cp <test class path> dev.clavis.conformance.reliability.FuzzFixtures
   * conformance-tests/src/test/resources/dev/clavis/conformance/reliability}.
   */
  public static void main(String[] args) throws IOException {
    Path base = Path.of(args[0]);
    Keyring k = keyring();
    byte[] env = k.encrypt(KEY, "seed plaintext".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null);
    byte[] empty = k.encrypt(KEY, new byte[0], null);
    byte[] wrapped = k.generateDataKey(KEY, 256).wrapped();
    write(base.resolve("EnvelopeFuzzTestInputs/decrypt_anyBytes_onlyKeyringException"), env, empty, wrapped);
    write(base.resolve("EnvelopeFuzzTestInputs/unwrapDataKey_anyBytes_onlyKeyringException"), wrapped, env);
    Path storeDir = Files.createTempDirectory("clavis-seed-");
    Path store = storeDir.resolve("seed.store");
    try (Keyring s = TestStores.open(store)) {
      s.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      s.rotate("a", "seed");
    }
    write(base.resolve("StoreFileFuzzTestInputs/openStore_anyBytes_onlyKeyringException"), Files.readAllBytes(store));
    write(base.resolve("StoreFileFuzzTestInputs/keyStoreLoad_anyBytes_onlyDeclaredExceptions"), Files.readAllBytes(store));
    k.close();
  }

  private static void write(Path dir, byte[]... seeds) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < seeds.length; i++) {
      Files.write(dir.resolve("seed-" + i), seeds[i]);
    }
  }
}
