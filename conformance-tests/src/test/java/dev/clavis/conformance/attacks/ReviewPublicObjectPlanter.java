package dev.clavis.conformance.attacks;

import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Module;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The attacker of {@link ReviewTokenPinVerifierTest} and {@link ReviewTokenPublicObjectTest}, as a
 * process that knows no PIN and never logs in. It plants a public token object ({@code CKA_PRIVATE}
 * false, which a public read/write session may create, PKCS#11 v2.40 §4.4 and §5.1):
 * {@code CONFIG verifier PIN} one that looks like Clavis's PIN verifier and vouches for {@code PIN};
 * {@code CONFIG aes-key CKA_ID HEXVALUE} an AES key with Clavis's id of a key version and a value
 * the attacker knows. Prints whether it was logged in, and {@code PLANTED}.
 */
public final class ReviewPublicObjectPlanter {

  private ReviewPublicObjectPlanter() {}

  public static void main(String[] args) throws Exception {
    Pkcs11Config cfg = Pkcs11Config.parse(Path.of(args[0]));
    long slot = Pkcs11Token.locate(cfg).slotId();
    Pkcs11Module m = Pkcs11Module.open(cfg.library());
    try (Session s = m.openSession(slot, true)) {
      System.out.println("LOGGED IN " + s.isLoggedIn());
      if (args[1].equals("aes-key")) {
        s.createObject(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES)
            .bool(CKA.TOKEN, true).bool(CKA.PRIVATE, false).bool(CKA.SENSITIVE, false).bool(CKA.EXTRACTABLE, true)
            .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).bool(CKA.WRAP, true).bool(CKA.UNWRAP, true)
            .bytes(CKA.ID, args[2].getBytes(StandardCharsets.UTF_8)).string(CKA.LABEL, "planted")
            .bytes(CKA.VALUE, HexFormat.of().parseHex(args[3])).build());
        System.out.println("PLANTED");
        System.out.flush();
        return;
      }
      // PinVerifier's encoding: version 1, a 16-byte salt, PBKDF2-HMAC-SHA256(pin, salt, 20,000, 32 bytes)
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      byte[] d = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(args[2].toCharArray(), salt, 20_000, 256)).getEncoded();
      byte[] enc = new byte[49];
      enc[0] = 1;
      System.arraycopy(salt, 0, enc, 1, 16);
      System.arraycopy(d, 0, enc, 17, 32);
      s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, false)
          .bytes(CKA.APPLICATION, "dev.clavis.pin-verifier".getBytes(StandardCharsets.UTF_8))
          .string(CKA.LABEL, "planted").bytes(CKA.VALUE, enc).build());
      System.out.println("PLANTED");
    }
    System.out.flush();
  }
}
