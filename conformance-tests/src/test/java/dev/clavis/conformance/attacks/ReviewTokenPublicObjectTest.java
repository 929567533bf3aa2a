package dev.clavis.conformance.attacks;

import dev.clavis.testkit.SoftHsm;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Review (issue 9, the token backend): Clavis creates every object of a token keyring private
 * ({@code CKA_PRIVATE}), but finds them by class, token and {@code CKA_ID} or application only,
 * so public objects count too. A process that knows no PIN may create public token objects. Here
 * it plants an AES key, with a value it knows, under the {@code CKA_ID} of an existing version;
 * a keyring opened afterwards must not encrypt under it. The planting is a real JVM that never
 * logs in.
 */
class ReviewTokenPublicObjectTest {

  private static Path cfg;

  @BeforeAll
  static void token() throws Exception {
    SoftHsm.require();
    cfg = SoftHsm.configFile();
  }

  private static void destroyPublicKeysWithId(String id) throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(Pkcs11Config.parse(cfg), SoftHsm.PIN.toCharArray())) {
      t.call(s -> {
        for (long h : s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).bool(CKA.TOKEN, true)
            .bool(CKA.PRIVATE, false).bytes(CKA.ID, id.getBytes(StandardCharsets.UTF_8)).build())) {
          s.destroyObject(h);
        }
        return null;
      });
    }
  }

  @Test
  void publicKeyPlantedWithoutThePin_underAVersionsId_isNotUsedToEncrypt() throws Exception {
    String name = "review-sub-" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    try (Keyring ring = Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(name, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    byte[] known = new byte[32];
    new SecureRandom().nextBytes(known);
    String id = "clavis:" + name + "#1;" + KeyAlgorithm.AES_256.name();
    TokenAttackJvm w = TokenAttackJvm.start(ReviewPublicObjectPlanter.class, cfg.toString(), "aes-key", id,
        HexFormat.of().formatHex(known));
    assertEquals(0, w.finish(120), w.lines().toString());
    List<String> out = w.lines();
    assertTrue(out.contains("LOGGED IN false") && out.contains("PLANTED"), out.toString());
    try {
      byte[] pt = "attack at dawn".getBytes(StandardCharsets.UTF_8);
      byte[] env;
      try (Keyring ring = Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
        env = ring.encrypt(name, pt, null);
      }
      // the envelope: header (magic, name, version, IV), then GCM output; the header is the AAD
      int head = env.length - pt.length - 16;
      byte[] aad = Arrays.copyOf(env, head);
      byte[] iv = Arrays.copyOfRange(env, head - 12, head);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(known, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      assertThrows(AEADBadTagException.class, () -> c.doFinal(env, head, env.length - head),
          "the keyring encrypted under a key planted by a process that never logged in (its value is known)");
    } finally {
      destroyPublicKeysWithId(id);
    }
  }
}
