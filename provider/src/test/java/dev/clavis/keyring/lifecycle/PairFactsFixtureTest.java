package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of key pairs written before versions recorded their certificate facts (resources
 * {@code pairs/}, made by the code of 1e85bc9: see {@code HOW-GENERATED.java.txt}) opens, reports
 * the same due dates and notAfter values it did, and gets the facts recorded by a migration.
 */
class PairFactsFixtureTest {

  static final char[] PW = "fixture-password".toCharArray();
  @TempDir Path dir;
  Path store;

  @BeforeEach
  void copy() throws Exception {
    store = dir.resolve("format3.store");
    for (String f : new String[] {"format3.store", "format3.store.audit", "format3.store.audit.head"}) {
      try (InputStream in = getClass().getResourceAsStream("/pairs/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  private static X509Certificate leaf(Keyring k, String ref) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(k.certificates(KeyRef.parse(ref)).get(0)));
  }

  @Test
  void olderStore_opens_andReportsTheDueDatesAndNotAfterItDid() throws Exception {
    try (Keyring k = Keyrings.open(KeyringOptions.file(store).password(PW))) {
      KeyInfo tls = k.find("tls").orElseThrow();
      assertEquals(KeyState.DEPRECATED, tls.version(1).orElseThrow().state());
      assertEquals(Instant.parse("2026-07-31T00:00:00Z"), tls.certificateDue().orElseThrow(), "as 1e85bc9 printed");
      assertEquals(Instant.parse("2026-02-21T00:00:00Z"), k.find("sig").orElseThrow().certificateDue().orElseThrow());
      assertEquals(Optional.empty(), k.find("aes").orElseThrow().certificateDue());
      assertEquals(Optional.empty(), tls.version(2).orElseThrow().certificate(), "not recorded by the older writer");
      assertEquals(Instant.parse("2026-08-30T00:00:00Z"), leaf(k, "tls#2").getNotAfter().toInstant());
      assertEquals(Instant.parse("2027-01-01T00:00:00Z"), leaf(k, "tls#1").getNotAfter().toInstant());
      assertTrue(k.auditLog().verify() > 0);
    }
  }

  @Test
  void olderStore_migrated_recordsEveryVersionsFacts_withTheSameValues() throws Exception {
    Path target = dir.resolve("migrated.clavis");
    try (Keyring src = Keyrings.open(KeyringOptions.file(store).password(PW));
        Keyring dst = Keyrings.open(KeyringOptions.file(target).password("pw".toCharArray())
            .kdfForNew(TestStores.FAST_KDF))) {
      KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
    }
    try (Keyring k = Keyrings.open(KeyringOptions.file(target).password("pw".toCharArray()).kdfForNew(TestStores.FAST_KDF))) {
      for (String ref : new String[] {"tls#1", "tls#2", "sig#1"}) {
        KeyRef r = KeyRef.parse(ref);
        assertEquals(CertificateInfo.of(leaf(k, ref), 1),
            k.find(r.name()).orElseThrow().version(r.version().getAsInt()).orElseThrow().certificate().orElseThrow(), ref);
      }
      assertEquals(Instant.parse("2026-08-30T00:00:00Z"),
          k.find("tls").orElseThrow().version(2).orElseThrow().certificate().orElseThrow().notAfter());
      assertEquals(Instant.parse("2026-07-31T00:00:00Z"), k.find("tls").orElseThrow().certificateDue().orElseThrow());
    }
  }
}
