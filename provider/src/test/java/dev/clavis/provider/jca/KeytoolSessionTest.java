package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Security;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keytool's path, {@code load(FileInputStream)} … {@code store(OutputStream)}, in one JVM: the
 * store loaded from its file commits to that file, under a generation check, into its audit log,
 * and {@code store} gives back the committed bytes.
 */
class KeytoolSessionTest {

  static final char[] PW = "store password".toCharArray();
  @TempDir Path dir;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static KeyStore clavis() throws Exception {
    return KeyStore.getInstance("Clavis", "Clavis");
  }

  private static SecretKeySpec aes(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return new SecretKeySpec(k, "AES");
  }

  /** A store with one key "a". */
  private Path storeWithOneKey(String file) throws Exception {
    Path f = dir.resolve(file);
    KeyStore ks = clavis();
    ks.load(new KeyringParameter(f, PW));
    ks.setKeyEntry("a", aes(1), null, null);
    return f;
  }

  /** The store opened live through the keyring API, as the CLI opens it. */
  private static Keyring live(Path f, char[] pw) {
    return KeyringEngine.open(FileKeyBackend.openExisting(f, pw));
  }

  private static List<String> actions(Keyring k) {
    return k.auditLog().events().stream().map(e -> e.action() + " " + e.key()).collect(Collectors.toList());
  }

  @Test
  void streamLoadedFromItsFile_changeIsInTheFileAndItsAuditLog_beforeStore() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    KeyStore ks = clavis();
    try (InputStream in = new FileInputStream(f.toFile())) {
      ks.load(in, PW);
    }
    ks.setKeyEntry("b", aes(2), null, null);

    try (Keyring other = live(f, PW)) {
      assertTrue(other.find("b").isPresent(), "the change is not in the file");
      assertEquals(2, other.auditLog().verify(), "the audit log does not verify with keytool's change");
      assertTrue(actions(other).stream().anyMatch(a -> a.equals("import b#1")), actions(other).toString());
    }
  }

  @Test
  void storeAfterAChange_writesExactlyTheCommittedFile() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    KeyStore ks = clavis();
    try (InputStream in = new FileInputStream(f.toFile())) {
      ks.load(in, PW);
    }
    ks.setKeyEntry("b", aes(2), null, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, PW);
    assertArrayEquals(Files.readAllBytes(f), out.toByteArray(), "keytool's rewrite would not be a no-op");
  }

  @Test
  void changeByAnotherWriterBetweenLoadAndChange_isRefusedNamingTheGenerations_rotationKept() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    KeyStore ks = clavis();
    try (InputStream in = new FileInputStream(f.toFile())) {
      ks.load(in, PW);
    }
    byte[] envelope;
    try (Keyring cli = live(f, PW)) {
      cli.rotate("a", "scheduled");
      envelope = cli.encrypt("a", new byte[] {1, 2, 3}, null); // data under the new version
    }
    byte[] afterRotation = Files.readAllBytes(f);

    KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("b", aes(2), null, null));
    assertTrue(e.getMessage().contains("changed since keytool loaded it (generation"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    assertArrayEquals(afterRotation, Files.readAllBytes(f), "the refused change touched the file");
    IOException s = assertThrows(IOException.class, () -> ks.store(new ByteArrayOutputStream(), PW));
    assertTrue(s.getMessage().contains("changed since keytool loaded it"), s.getMessage());

    try (Keyring check = live(f, PW)) {
      assertEquals(2, check.find("a").orElseThrow().versions().size(), "the rotation was lost");
      assertArrayEquals(new byte[] {1, 2, 3}, check.decrypt(envelope, null));
      assertFalse(check.find("b").isPresent());
      check.auditLog().verify();
    }
  }

  @Test
  void deleteAfterAnotherWritersRotation_isRefused_theNewVersionIsNotScheduledForDestruction() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    KeyStore ks = clavis();
    try (InputStream in = new FileInputStream(f.toFile())) {
      ks.load(in, PW);
    }
    try (Keyring cli = live(f, PW)) {
      cli.rotate("a", "scheduled");
    }

    assertThrows(KeyStoreException.class, () -> ks.deleteEntry("a"));
    KeyStore check = clavis();
    check.load(KeyringParameter.existing(f, PW));
    assertTrue(check.containsAlias("a"), "the delete went through onto a state keytool never saw");
  }

  @Test
  void storeUnderANewPassword_rewrapsTheLiveFile() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    KeyStore ks = clavis();
    try (InputStream in = new FileInputStream(f.toFile())) {
      ks.load(in, PW);
    }
    char[] np = "a new store password".toCharArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, np);
    assertArrayEquals(Files.readAllBytes(f), out.toByteArray());
    KeyStore check = clavis();
    check.load(KeyringParameter.existing(f, np));
    assertTrue(check.containsAlias("a"));
  }

  @Test
  void streamOfBytesNoFileHolds_staysADetachedImage() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    byte[] before = Files.readAllBytes(f);
    KeyStore ks = clavis();
    ks.load(new java.io.ByteArrayInputStream(before), PW);
    ks.setKeyEntry("b", aes(2), null, null);
    assertArrayEquals(before, Files.readAllBytes(f), "a detached image wrote to the file");
  }

  @Test
  void keyringParameterExisting_missingFile_isIOExceptionNamingIt_nothingCreated() throws Exception {
    Path f = dir.resolve("typo.clavis");
    IOException e = assertThrows(IOException.class, () -> clavis().load(KeyringParameter.existing(f, PW)));
    assertTrue(e.getMessage().contains("there is no key store at"), e.getMessage());
    assertFalse(Files.exists(f), "a store was created");
  }

  @Test
  void configuredProvider_loadNull_opensTheNamedStoreLive_storeNullWritesNothingMore() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    Path conf = dir.resolve("store.conf");
    Files.writeString(conf, "# keytool's live path\nstore = k.clavis\n");
    java.security.Provider p = new ClavisProvider().configure(conf.toString());
    assertEquals("Clavis-store", p.getName());
    KeyStore ks = KeyStore.getInstance("Clavis", p);
    ks.load(null, PW);
    assertTrue(ks.containsAlias("a"));
    ks.setKeyEntry("b", aes(2), null, null);
    byte[] committed = Files.readAllBytes(f);
    ks.store(null, PW);
    assertArrayEquals(committed, Files.readAllBytes(f));
    try (Keyring check = live(f, PW)) {
      assertTrue(check.find("b").isPresent());
      assertEquals(2, check.auditLog().verify());
    }
  }

  @Test
  void configuredProvider_missingStore_isRefusedUnlessCreateIsTrue() throws Exception {
    Path conf = dir.resolve("store.conf");
    Files.writeString(conf, "store = new.clavis\n");
    KeyStore ks = KeyStore.getInstance("Clavis", new ClavisProvider().configure(conf.toString()));
    IOException e = assertThrows(IOException.class, () -> ks.load(null, PW));
    assertTrue(e.getMessage().contains("there is no key store at"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("new.clavis")));

    Files.writeString(conf, "store = new.clavis\ncreate = true\n");
    KeyStore created = KeyStore.getInstance("Clavis", new ClavisProvider().configure(conf.toString()));
    created.load(null, PW);
    assertTrue(Files.exists(dir.resolve("new.clavis")));
  }

  @Test
  void systemPropertyNamesTheFile_whenNoOpenFileHoldsTheBytes_andMustHoldTheSameStore() throws Exception {
    Path f = storeWithOneKey("k.clavis");
    Path other = storeWithOneKey("other.clavis");
    byte[] bytes = Files.readAllBytes(f);
    System.setProperty(StreamOrigin.PROPERTY, f.toString());
    try {
      KeyStore ks = clavis();
      ks.load(new java.io.ByteArrayInputStream(bytes), PW);
      ks.setKeyEntry("b", aes(2), null, null);
      try (Keyring k = live(f, PW)) {
        assertTrue(k.find("b").isPresent(), "the named file did not get the change");
      }
      System.setProperty(StreamOrigin.PROPERTY, other.toString());
      IOException e = assertThrows(IOException.class,
          () -> clavis().load(new java.io.ByteArrayInputStream(Files.readAllBytes(f)), PW));
      assertTrue(e.getMessage().contains("is not the store keytool read"), e.getMessage());
    } finally {
      System.clearProperty(StreamOrigin.PROPERTY);
    }
  }
}
