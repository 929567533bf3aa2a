package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store, its audit log (record format 1: no actor, no format member) and commit mark written
 * by the base commit with the CLI (resources {@code audit/base-v1/}, see its README.txt) still
 * open, verify, decrypt what was encrypted then, and keep verifying once newer records follow.
 */
class AuditFormat1FixtureTest {

  static final char[] PW = "fixture-pw".toCharArray();
  @TempDir Path dir;
  Path store;

  @BeforeEach
  void copy() throws Exception {
    store = dir.resolve("base.store");
    for (String f : new String[] {"base.store", "base.store.audit", "base.store.audit.head", "payments.env",
        "payments2.env"}) {
      try (InputStream in = getClass().getResourceAsStream("/audit/base-v1/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  private Keyring open() {
    return Keyrings.open(KeyringOptions.file(store).password(PW).createIfMissing(false));
  }

  @Test
  void format1Log_verifiesOpensAndDecryptsDataMadeBefore() throws Exception {
    try (Keyring k = open()) {
      assertEquals(9, k.auditLog().verify());
      assertEquals(KeyState.REVOKED, k.find("tokens").orElseThrow().version(1).orElseThrow().state());
      assertEquals("made before the change", new String(k.decrypt(Files.readAllBytes(dir.resolve("payments.env")), null),
          StandardCharsets.UTF_8));
      assertEquals("second", new String(k.decrypt(Files.readAllBytes(dir.resolve("payments2.env")), null),
          StandardCharsets.UTF_8));
    }
  }

  @Test
  void format1Log_followedByNewRecords_stillVerifiesWhole() throws Exception {
    try (Keyring k = open()) {
      k.create("after", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.rotate("payments", "after the upgrade");
      k.suspend(KeyRef.of("after", 1), "x");
    }
    try (Keyring k = open()) {
      long n = k.auditLog().verify();
      assertTrue(n >= 12, "records: " + n);
      assertEquals("create", k.auditLog().events().get(0).action());
    }
  }
}
