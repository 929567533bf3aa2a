package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The on-token rewrap of data keys ({@code C_UnwrapKey} into a sensitive session object, then
 * {@code C_WrapKey} under the new primary): results, reporting, and the token's object list.
 */
class TokenHeldKeysTest {

  private static KeyringEngine ring;
  private static Pkcs11Token probe; // an independent view of the token, in this process (sees session objects)

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
    probe = Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
  }

  @AfterAll
  static void close() {
    if (ring != null) {
      ring.close();
    }
    if (probe != null) {
      probe.close();
    }
  }

  private static String name() {
    return "held-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static int sessionSecretKeys() throws Exception {
    Template t = Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).bool(CKA.TOKEN, false).build();
    return probe.call(s -> s.findObjects(t)).length;
  }

  @Test
  void rewrapDataKeysReport_keepsEveryDataKeyOnTheToken_andLeavesNoObjectBehind() throws Exception {
    String n = name();
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    List<DataKey> keys = new ArrayList<>();
    List<byte[]> wrapped = new ArrayList<>();
    for (int bits : new int[] {128, 192, 256, 256, 128}) {
      DataKey k = ring.generateDataKey(n, bits);
      keys.add(k);
      wrapped.add(k.wrapped());
    }
    ring.rotate(n, "test");
    int before = sessionSecretKeys();

    DataKeyRewrap r = ring.rewrapDataKeysReport(wrapped);

    assertEquals(before, sessionSecretKeys(), "no data key object is left on the token");
    assertEquals(wrapped.size(), r.keptInBackend(), r.toString());
    assertEquals(0, r.inHostMemory(), r.toString());
    assertTrue(r.notes().isEmpty(), r.toString());
    for (int i = 0; i < keys.size(); i++) {
      byte[] w = r.wrappedDataKeys().get(i);
      assertEquals(2, ByteBuffer.wrap(w, 5 + n.length(), 4).getInt(), "rewrapped under " + n + "#2");
      assertArrayEquals(keys.get(i).plaintextKey(), ring.unwrapDataKey(w), "data key " + i + " survives the rewrap");
    }
    assertEquals(wrapped.size(), ring.find(n).orElseThrow().latest().usageCount(), "one use of #2 per data key");
  }

  @Test
  void rewrapDataKeys_tamperedOne_rewrapsNothing_countsNothing_leavesNoObject() throws Exception {
    String n = name();
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    List<byte[]> wrapped = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      wrapped.add(ring.generateDataKey(n, 256).wrapped());
    }
    ring.rotate(n, "test");
    byte[] bad = wrapped.get(2).clone();
    bad[bad.length - 3] ^= 0x40;
    wrapped.set(2, bad);
    int before = sessionSecretKeys();
    KeyringException e = assertThrows(KeyringException.class, () -> ring.rewrapDataKeysReport(wrapped));
    assertTrue(e.getMessage().contains("nothing was rewrapped") && e.getMessage().contains("wrapped key 2"),
        e.getMessage());
    assertEquals(before, sessionSecretKeys(), "the keys unwrapped before the bad one are destroyed");
    assertEquals(0, ring.find(n).orElseThrow().latest().usageCount(), "no use of #2 was counted");
  }

  /**
   * SoftHSM 2.6.1 cannot wrap a key of a length that is not a multiple of 8 as RFC 5649 says: such a
   * data key goes through host memory (the RFC computation over the token's AES-ECB), and the
   * result says so.
   */
  @Test
  void dataKeyOfALengthTheTokenCannotWrap_isRewrappedInHostMemory_andTheResultSaysSo() throws Exception {
    String n = name();
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] odd = new byte[20];
    for (int i = 0; i < odd.length; i++) {
      odd[i] = (byte) (i * 7 + 1);
    }
    Cipher c = Cipher.getInstance("AES/KWP/NoPadding", new ClavisProvider());
    c.init(Cipher.WRAP_MODE, ring.handle(KeyRef.of(n)));
    byte[] payload = c.wrap(new SecretKeySpec(odd, "Generic"));
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    framed.write(new byte[] {'C', 'L', 'W', 1, (byte) n.length()});
    framed.write(n.getBytes(StandardCharsets.US_ASCII));
    framed.write(ByteBuffer.allocate(4).putInt(1).array());
    framed.write(payload);
    DataKey aligned = ring.generateDataKey(n, 256);
    ring.rotate(n, "test");

    DataKeyRewrap r = ring.rewrapDataKeysReport(List.of(framed.toByteArray(), aligned.wrapped()));

    assertEquals(1, r.inHostMemory(), r.toString());
    assertEquals(1, r.keptInBackend(), r.toString());
    assertTrue(r.notes().get(0).contains("padded to 24 bytes") && r.notes().get(0).contains("RFC 5649"), r.notes().toString());
    assertArrayEquals(odd, ring.unwrapDataKey(r.wrappedDataKeys().get(0)));
    assertArrayEquals(aligned.plaintextKey(), ring.unwrapDataKey(r.wrappedDataKeys().get(1)));
  }
}
