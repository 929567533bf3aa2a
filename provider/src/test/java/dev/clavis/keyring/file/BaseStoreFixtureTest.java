package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store and audit log written by the code before stable enum codes and {@link AtomicFile}
 * (resources {@code filehyg/}, see HOW-GENERATED.java.txt) open, read, decrypt and verify
 * unchanged, and keep doing so after a write by today's code: every state, algorithm and origin.
 */
class BaseStoreFixtureTest {

  private static final char[] PW = "fixture-password".toCharArray();

  @TempDir Path dir;

  private Path copy(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = BaseStoreFixtureTest.class.getResourceAsStream("/filehyg/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  private static Map<String, String> summary(Keyring k) {
    Map<String, String> m = new TreeMap<>();
    for (KeyInfo i : k.list()) {
      StringBuilder b = new StringBuilder(i.algorithm().toString());
      for (KeyVersionInfo v : i.versions()) {
        b.append(' ').append(v.version()).append(':').append(v.state()).append(':').append(v.origin());
      }
      m.put(i.name(), b.toString());
    }
    return m;
  }

  @Test
  void storeWrittenBeforeStableCodes_opensWithEveryStateAlgorithmAndOrigin() throws Exception {
    Path store = copy("base.store");
    long records;
    copy("base.store.audit");
    byte[] envelope = Files.readAllBytes(copy("base.store.envelope"));
    Map<String, String> want = Map.of(
        "alpha", "AES_256 1:DEPRECATED:GENERATED 2:ACTIVE:GENERATED",
        "beta", "HMAC_SHA256 1:REVOKED:GENERATED",
        "delta", "AES_192 1:COMPROMISED:IMPORTED",
        "eps", "SECRET 1:PENDING_DESTRUCTION:IMPORTED",
        "gamma", "AES_128 1:SUSPENDED:GENERATED",
        "theta", "AES_256 1:DESTROYED:GENERATED 2:ACTIVE:GENERATED",
        "zeta", "AES_256 1:ROTATING:GENERATED 2:PRE_ACTIVE:GENERATED");
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(new TreeMap<>(want), summary(k));
      assertArrayEquals("fixture-plaintext".getBytes(), k.decrypt(envelope, null));
      records = k.auditLog().verify();
      assertEquals(true, records > 10, "the base log's records verify: " + records);
      // a write by today's code keeps everything readable
      k.create("new-one", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      Map<String, String> after = new TreeMap<>(want);
      after.put("new-one", "AES_256 1:ACTIVE:GENERATED");
      assertEquals(after, summary(k));
      assertArrayEquals("fixture-plaintext".getBytes(), k.decrypt(envelope, null));
      assertArrayEquals("theta-plaintext".getBytes(),
          k.decrypt(Files.readAllBytes(copy("base.store.theta-envelope")), null));
      assertEquals(KeyState.ACTIVE, k.find("alpha").orElseThrow().latest().state());
      assertEquals(true, k.auditLog().verify() > records, "the log goes on verifying after today's write");
    }
  }
}
