package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;

import dev.clavis.keyring.TestStores;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key hierarchy: a file store whose master key is wrapped by a root key on the token. */
class TokenRootedStoreTest {

  private static final byte[] AAD = "order-7".getBytes(StandardCharsets.US_ASCII);
  private static Pkcs11Token probe; // an independent view of the token

  @TempDir Path dir;

  @BeforeAll
  static void open() throws Exception {
    probe = SoftHsmTokens.open();
  }

  @AfterAll
  static void close() {
    if (probe != null) {
      probe.close();
    }
  }

  private static char[] pin() {
    return SoftHsm.PIN.toCharArray();
  }

  /** The root key's label, from the root id in the header (the salt field: offset 24, 16 bytes). */
  private static String rootLabel(Path store) throws Exception {
    byte[] b = Files.readAllBytes(store);
    assertEquals(16, b[23] & 0xFF, "root id length");
    return TokenRootProtector.label(Arrays.copyOfRange(b, 24, 40));
  }

  private static long[] rootObjects(String label) throws Exception {
    return probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
        .string(CKA.LABEL, label).build()));
  }

  @Test
  void openFile_tokenRooted_createReopenEncryptDecrypt() throws Exception {
    Path store = dir.resolve("rooted.clavis");
    byte[] envelope;
    try (Keyring k = Keyrings.openFile(store, SoftHsmTokens.config(), pin())) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.create("reports", KeyAlgorithm.AES_128, KeyPolicy.defaults());
      envelope = k.encrypt("payments", "card 4111".getBytes(StandardCharsets.UTF_8), AAD);
    }
    byte[] file = Files.readAllBytes(store);
    assertEquals(3, file[10], "header kdf byte: 3 = PKCS#11 token key");
    assertTrue(Keyrings.isTokenRooted(store));
    try (Keyring k = Keyrings.openFile(store, SoftHsmTokens.config(), pin())) {
      assertEquals(2, k.list().size());
      assertArrayEquals("card 4111".getBytes(StandardCharsets.UTF_8), k.decrypt(envelope, AAD));
      k.rotate("payments", "test");
      byte[] again = k.encrypt("payments", new byte[] {1, 2, 3}, null);
      assertArrayEquals(new byte[] {1, 2, 3}, k.decrypt(again, null));
    }
  }

  @Test
  void create_rootKey_isSensitiveUnextractableTokenKey() throws Exception {
    Path store = dir.resolve("attrs.clavis");
    Keyrings.openFile(store, SoftHsmTokens.config(), pin()).close();
    String label = rootLabel(store);
    assertTrue(label.startsWith("clavis-root:"));
    long[] h = rootObjects(label);
    assertEquals(1, h.length, "one root key labelled " + label);
    AttributeValues v = probe.call(s -> s.getAttributes(h[0], CKA.TOKEN, CKA.PRIVATE, CKA.SENSITIVE, CKA.EXTRACTABLE,
        CKA.ENCRYPT, CKA.DECRYPT, CKA.WRAP, CKA.UNWRAP, CKA.VALUE));
    assertEquals(true, v.bool(CKA.TOKEN).orElse(false));
    assertEquals(true, v.bool(CKA.PRIVATE).orElse(false));
    assertEquals(true, v.bool(CKA.SENSITIVE).orElse(false));
    assertEquals(false, v.bool(CKA.EXTRACTABLE).orElse(true));
    assertEquals(true, v.bool(CKA.DECRYPT).orElse(false));
    assertEquals(false, v.bool(CKA.WRAP).orElse(true));
    assertFalse(v.bytes(CKA.VALUE).isPresent(), "the root key's value must not be readable");
  }

  @Test
  void open_rootKeyDestroyed_failsNamingTheKey() throws Exception {
    Path store = dir.resolve("orphan.clavis");
    try (Keyring k = Keyrings.openFile(store, SoftHsmTokens.config(), pin())) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    String label = rootLabel(store);
    byte[] before = Files.readAllBytes(store);
    for (long h : rootObjects(label)) {
      probe.call(s -> {
        s.destroyObject(h);
        return null;
      });
    }
    assertEquals(0, rootObjects(label).length);
    KeyringException e = assertThrows(KeyringException.class, () -> Keyrings.openFile(store, SoftHsmTokens.config(), pin()));
    assertTrue(e.getMessage().contains(label) && e.getMessage().contains("does not hold"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(store), "the file must be left untouched");
    // without the token key there is no other way in: the store has no password
    KeyringException pw = assertThrows(KeyringException.class, () -> Keyrings.openFile(store, "".toCharArray()));
    assertTrue(pw.getMessage().contains("no password"), pw.getMessage());
  }

  @Test
  void open_wrongPin_failsNamingPin() throws Exception {
    Path store = dir.resolve("pin.clavis");
    Keyrings.openFile(store, SoftHsmTokens.config(), pin()).close();
    byte[] before = Files.readAllBytes(store);
    KeyringException e = assertThrows(KeyringException.class,
        () -> Keyrings.openFile(store, SoftHsmTokens.config(), "0000".toCharArray()));
    assertTrue(e.getMessage().contains("PIN"), e.getMessage());
    assertFalse(e.getMessage().contains("0000"));
    assertArrayEquals(before, Files.readAllBytes(store));
    // and the right PIN still opens it (the failed attempt did not lock the token)
    Keyrings.openFile(store, SoftHsmTokens.config(), pin()).close();
  }

  @Test
  void open_wrongPin_createsNothing() {
    Path store = dir.resolve("never.clavis");
    assertThrows(KeyringException.class, () -> Keyrings.openFile(store, SoftHsmTokens.config(), "0000".toCharArray()));
    assertFalse(Files.exists(store));
  }

  @Test
  void open_tokenRootedWithPassword_failsNamingTheToken() throws Exception {
    Path store = dir.resolve("rooted.clavis");
    Keyrings.openFile(store, SoftHsmTokens.config(), pin()).close();
    String label = rootLabel(store);
    KeyringException e = assertThrows(KeyringException.class,
        () -> Keyrings.openFile(store, "some password".toCharArray(), TestStores.FAST_KDF));
    assertTrue(e.getMessage().contains(label) && e.getMessage().contains("--hsm"), e.getMessage());
    assertThrows(KeyringException.class, () -> Keyrings.changePassword(store, "a".toCharArray(), "b".toCharArray()));
    assertEquals(label, rootLabel(store), "the store was not changed");
  }

  @Test
  void open_passwordStoreWithToken_failsNamingPassword() throws Exception {
    Path store = dir.resolve("pw.clavis");
    Keyrings.openFile(store, "pw".toCharArray(), TestStores.FAST_KDF).close();
    byte[] before = Files.readAllBytes(store);
    KeyringException e = assertThrows(KeyringException.class, () -> Keyrings.openFile(store, SoftHsmTokens.config(), pin()));
    assertTrue(e.getMessage().contains("protected by a password"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(store));
    assertFalse(Keyrings.isTokenRooted(store));
    assertFalse(Keyrings.isTokenRooted(dir.resolve("absent.clavis")));
    // the password store still opens as before
    Keyrings.openFile(store, "pw".toCharArray()).close();
  }

  @Test
  void open_rootIdChangedInHeader_fails() throws Exception {
    Path store = dir.resolve("forged.clavis");
    Keyrings.openFile(store, SoftHsmTokens.config(), pin()).close();
    byte[] b = Files.readAllBytes(store);
    b[30] ^= 1; // inside the root id; the unkeyed trailer catches it first
    Files.write(store, b);
    assertThrows(dev.clavis.keyring.StoreDamagedException.class, () -> Keyrings.openFile(store, SoftHsmTokens.config(), pin()));
  }
}
