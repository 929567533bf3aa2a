package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit log of a keyring on a token: a file beside the configuration, verified as the file store's. */
class TokenAuditLogTest {

  @Test
  void auditLog_ofATokenKeyring_isKeptBesideTheConfiguration_andVerifiesAcrossOpens() throws Exception {
    Path cfgFile = SoftHsm.configFile();
    Pkcs11Config cfg = Pkcs11Config.parse(cfgFile);
    Path log = cfgFile.resolveSibling(cfgFile.getFileName() + ".audit");
    assertEquals(log, cfg.auditLog());
    String n = "audit-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(cfg).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      ring.rotate(n, "scheduled");
      ring.revoke(KeyRef.of(n, 1), "retired");
      assertTrue(ring.auditLog().verify() >= 3);
    }
    assertTrue(Files.isRegularFile(log), "the log is a file: " + log);
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(log));
    // another process (here: another open) sees and verifies the same history
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfgFile)).pin(SoftHsm.PIN.toCharArray()))) {
      long n1 = ring.auditLog().verify();
      ring.suspend(KeyRef.of(n, 2), "incident");
      assertEquals(n1 + 1, ring.auditLog().verify());
      assertTrue(Files.readString(log).contains("\"" + n + "#2\""));
    }
  }

  @Test
  void auditLog_ofATokenKeyring_editedOnDisk_failsVerification() throws Exception {
    Path cfgFile = SoftHsm.configFile();
    String n = "tamper-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = Pkcs11Config.parse(cfgFile).auditLog();
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfgFile)).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(n, KeyAlgorithm.AES_128, KeyPolicy.defaults());
      ring.revoke(KeyRef.of(n, 1), "test");
      ring.auditLog().verify();
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> original = List.copyOf(lines);
      String last = lines.get(lines.size() - 1);
      lines.set(lines.size() - 1, last.replace("\"revoke\"", "\"resume\""));
      Files.write(log, lines, StandardCharsets.UTF_8);
      assertThrows(KeyringException.class, () -> ring.auditLog().verify());
      // and a cut tail is caught against the head the token's metadata records
      Files.write(log, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
      assertThrows(KeyringException.class, () -> ring.auditLog().verify());
      Files.write(log, original, StandardCharsets.UTF_8); // the other tests share this log
      ring.auditLog().verify();
    }
  }
}
