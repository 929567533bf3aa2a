package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written with metadata format 2 (resources {@code policy/}, made by the code before live
 * policies and key metadata: see {@code HOW-GENERATED.java.txt}) opens with every policy field,
 * state and count it had, decrypts its data, and is written on in the current format.
 */
class PolicyFormatFixtureTest {

  static final char[] PW = "fixture-password".toCharArray();
  @TempDir Path dir;
  Path store;

  @BeforeEach
  void copy() throws Exception {
    store = dir.resolve("format2.store");
    for (String f : new String[] {"format2.store", "format2.store.audit", "format2.store.audit.head",
        "format2.store.envelope"}) {
      try (InputStream in = getClass().getResourceAsStream("/policy/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  @Test
  void format2Store_opensWithItsPoliciesStatesAndCounts() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      KeyInfo full = k.find("full").orElseThrow();
      KeyPolicy p = full.policy();
      assertEquals(Duration.ofDays(90), p.rotationPeriod().orElseThrow());
      assertEquals(5000, p.usageLimit().getAsLong());
      assertEquals(Duration.ofDays(365), p.versionLifetime().orElseThrow());
      assertEquals(Duration.ofDays(30), p.deletionWindow());
      assertTrue(p.exportable());
      assertFalse(p.autoRotate());
      assertEquals(KeyState.DEPRECATED, full.version(1).orElseThrow().state());
      assertEquals(3, full.version(1).orElseThrow().usageCount());
      assertEquals(KeyState.ACTIVE, full.version(2).orElseThrow().state());
      assertEquals(KeyPolicy.defaults(), k.find("plain").orElseThrow().policy());
      assertEquals(KeyState.PENDING_DESTRUCTION, k.find("doomed").orElseThrow().latest().state());
      assertEquals(KeyState.DESTROYED, k.find("gone").orElseThrow().latest().state());
      byte[] env = Files.readAllBytes(dir.resolve("format2.store.envelope"));
      assertEquals("format2-plaintext", new String(k.decrypt(env, null), StandardCharsets.UTF_8));
      assertTrue(k.auditLog().verify() > 0);
      // format 2 knew none of the new fields: each reads at its default
      assertEquals(0, p.minDecryptionVersion());
      assertEquals(0, p.keepVersions());
      assertTrue(p.decryptWindow().isEmpty());
      assertFalse(p.deletionProtection());
      assertEquals(KeyMetadata.empty(), full.metadata());
      assertEquals(Duration.ofDays(7), k.minimumDeletionWindow());
    }
  }

  @Test
  void format2Store_takesLivePoliciesMetadataAndSettings_andKeepsThemAcrossReopen() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.updatePolicy("plain", k.find("plain").orElseThrow().policy().toBuilder().keepVersions(2)
          .deletionProtection(true).decryptWindow(Duration.ofDays(90)).build(), false);
      k.updateMetadata("plain", KeyMetadata.builder().purpose("tokens").tag("team", "core").build());
      k.setMinimumDeletionWindow(Duration.ofDays(14), false);
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      KeyInfo plain = k.find("plain").orElseThrow();
      assertEquals(2, plain.policy().keepVersions());
      assertTrue(plain.policy().deletionProtection());
      assertEquals(Duration.ofDays(90), plain.policy().decryptWindow().orElseThrow());
      assertEquals("tokens", plain.metadata().purpose().orElseThrow());
      assertEquals("core", plain.metadata().tags().get("team"));
      assertEquals(Duration.ofDays(14), k.minimumDeletionWindow());
      assertEquals(Duration.ofDays(30), k.find("full").orElseThrow().policy().deletionWindow());
      assertTrue(k.auditLog().verify() > 0);
    }
  }

  @Test
  void format2Store_writtenOn_reopensWithTheSameContent() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.rotate("plain", "after the upgrade");
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(2, k.find("plain").orElseThrow().versions().size());
      assertEquals(Duration.ofDays(30), k.find("full").orElseThrow().policy().deletionWindow());
      assertEquals(3, k.find("full").orElseThrow().version(1).orElseThrow().usageCount());
      byte[] env = Files.readAllBytes(dir.resolve("format2.store.envelope"));
      assertEquals("format2-plaintext", new String(k.decrypt(env, null), StandardCharsets.UTF_8));
    }
  }
}
