package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: get around a key's governance by another path than the one that sets it — destroy a
 * protected key through the CLI with --force, through keytool's path (KeyStore.deleteEntry) or
 * the Java API; decrypt below the decryption floor through plain JCA handles; undo a policy change
 * by copying the store file from before it back. The CLI runs as a separate process.
 */
class PolicyBypassAttackTest {

  static final String PW = "policy-attack-password";
  static final byte[] PT = "under governance".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  Path store;

  @BeforeAll
  static void provider() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void init() throws Exception {
    store = dir.resolve("g.store");
    assertEquals(0, cli("init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf").exit());
  }

  private Processes.Result cli(String... args) throws Exception {
    String[] a = new String[args.length + 2];
    a[0] = "--store";
    a[1] = store.toString();
    System.arraycopy(args, 0, a, 2, args.length);
    return Processes.cli(dir, PW, a);
  }

  @Test
  void protectedKey_isDestroyedByNoPath_andStillDecrypts() throws Exception {
    assertEquals(0, cli("create", "crown", "--protect").exit());
    byte[] env;
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray())) {
      env = k.encrypt("crown", PT, null);
    }
    for (String[] cmd : new String[][] {{"destroy", "crown", "--now", "--force"}, {"destroy", "crown#1", "--now", "--force"},
        {"destroy", "crown", "--after", "30d", "--force"}}) {
      Processes.Result r = cli(cmd);
      assertEquals(1, r.exit(), String.join(" ", cmd) + ": " + r);
      assertTrue(r.output().contains("deletion protection on"), r.toString());
    }
    KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(store, PW.toCharArray()));
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.deleteEntry("crown"));
    assertTrue(e.getMessage().contains("deletion protection on"), e.getMessage());
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray())) {
      assertThrows(IllegalStateException.class, () -> k.scheduleDestruction(KeyRef.of("crown"), null, true));
      assertEquals(KeyState.ACTIVE, k.find("crown").orElseThrow().latest().state());
      assertArrayEquals(PT, k.decrypt(env, null));
    }
  }

  @Test
  void decryptionFloor_holdsForJcaHandles_byNameAndByVersion() throws Exception {
    byte[] ct;
    byte[] iv;
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray())) {
      k.create("k", dev.clavis.keyring.KeyAlgorithm.AES_256, KeyPolicy.defaults());
      Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
      enc.init(Cipher.ENCRYPT_MODE, k.handle(KeyRef.of("k")));
      ct = enc.doFinal(PT);
      iv = enc.getIV();
      k.rotate("k", null);
      assertArrayEquals(PT, decrypt(k.handle(KeyRef.of("k")), iv, ct), "control: #1 decrypts before the floor");
    }
    Processes.Result raised = cli("policy", "k", "--min-decryption-version", "2", "--force");
    assertEquals(0, raised.exit(), raised.toString());
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray())) {
      assertThrows(Exception.class, () -> decrypt(k.handle(KeyRef.of("k")), iv, ct), "name handle");
      Exception byVersion = assertThrows(Exception.class, () -> decrypt(k.handle(KeyRef.of("k", 1)), iv, ct));
      assertTrue(String.valueOf(byVersion.getMessage()).contains("minimum decryption version"), byVersion.toString());
    }
  }

  private static byte[] decrypt(ManagedKey h, byte[] iv, byte[] ct) throws Exception {
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, iv));
    return dec.doFinal(ct);
  }

  @Test
  void policyChange_undoneByCopyingTheOldStoreBack_isRefusedAsARollback() throws Exception {
    assertEquals(0, cli("create", "k", "--protect").exit());
    byte[] before = Files.readAllBytes(store);
    assertEquals(0, cli("policy", "k", "--keep-versions", "3").exit());
    Files.write(store, before);
    Processes.Result r = cli("policy", "k", "--deletion-protection", "off");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.output().contains("rolled back"), r.toString());
  }
}
