package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.conformance.pkcs11.IaikSessions;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.testkit.ChildJvm;
import dev.clavis.testkit.SoftHsm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: watch a KEK rotation's rewrap of data keys on a token for the data keys' plaintext
 * reaching the host. A child JVM opens the keyring through OpenSC's {@code pkcs11-spy} (a real
 * PKCS#11 module that logs every call of the process, arguments and results, before passing it to
 * SoftHSM2) and runs {@code rewrapDataKeysReport}; the test reads the calls the rewrap made: no
 * {@code C_GetAttributeValue} asks for {@code CKA_VALUE}, no {@code C_Decrypt} or
 * {@code C_CreateObject} runs, one {@code C_UnwrapKey} and one {@code C_WrapKey} per data key; no
 * session object is left (the IAIK wrapper in the child lists them); the data keys' bytes appear in
 * none of the rewrap's calls (while the spy does show them where they were made: the control); and
 * the IAIK wrapper, and SunPKCS11 where the JDK has KWP, unwrap the result under the new KEK
 * version to the original data keys.
 */
class TokenRewrapHostMemoryAttackTest {

  private static final Path SPY = Path.of("/usr/lib/x86_64-linux-gnu/pkcs11-spy.so");
  private static final int N = 12;

  @TempDir
  Path dir;

  @Test
  void rewrapOnTheToken_neverBringsADataKeyIntoHostMemory_andSunPkcs11UnwrapsTheResult() throws Exception {
    Path base = SoftHsm.configFile();
    assertTrue(Files.isRegularFile(SPY), "OpenSC's pkcs11-spy is needed at " + SPY + " (apt-get install opensc)");
    Pkcs11Config shared = Pkcs11Config.parse(base);
    Path spyCfg = dir.resolve("spy.cfg");
    // the same token and the same audit log as the test JVM's keyring; only the library differs
    Files.writeString(spyCfg, "name = spy\nlibrary = " + SPY + "\ntokenLabel = " + SoftHsm.LABEL + "\npin = "
        + SoftHsm.PIN + "\nauditLog = " + shared.auditLog() + "\n");
    Path log = dir.resolve("spy.log");
    Files.writeString(log, "");
    String kek = "rewrap-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("PKCS11SPY", SoftHsm.LIBRARY.toString());
    env.put("PKCS11SPY_OUTPUT", log.toString());
    ProcessBuilder pb = ChildJvm.builder(TokenRewrapWorker.class, env, spyCfg.toString(), SoftHsm.LIBRARY.toString(),
        SoftHsm.LABEL, SoftHsm.PIN, kek, Integer.toString(N), log.toString());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      out = b.toString(StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the worker finished");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("DONE"), out);
    Map<String, String> lines = new HashMap<>();
    for (String l : out.split("\n")) {
      int sp = l.indexOf(' ', l.startsWith("DEK") || l.startsWith("NEW") ? l.indexOf(' ') + 1 : 0);
      if (sp > 0) {
        lines.put(l.substring(0, sp), l.substring(sp + 1).trim());
      }
    }


    String all = Files.readString(log, StandardCharsets.ISO_8859_1);
    int begin = Integer.parseInt(lines.get("SPY-BEGIN"));
    int end = Integer.parseInt(lines.get("SPY-END"));
    assertTrue(end > begin, "the spy logged the rewrap's calls (" + begin + ".." + end + ")");
    String segment = all.substring(begin, end);
    Map<String, Integer> calls = new HashMap<>();
    int valueReads = 0;
    int secretKeysCreated = 0;
    for (String entry : segment.split("\n(?=\\d+: C_)")) {
      Matcher m = Pattern.compile("^\\d+: (C_\\w+)").matcher(entry.trim());
      if (!m.find()) {
        continue;
      }
      calls.merge(m.group(1), 1, Integer::sum);
      if (m.group(1).equals("C_GetAttributeValue") && Pattern.compile("(?m)^\\s+CKA_VALUE\\s").matcher(entry).find()) {
        valueReads++;
      }
      if (m.group(1).equals("C_CreateObject") && entry.contains("CKO_SECRET_KEY")) {
        secretKeysCreated++;
      }
    }
    HexFormat upper = HexFormat.of().withUpperCase();
    for (int i = 0; i < N; i++) {
      byte[] head = Arrays.copyOf(HexFormat.of().parseHex(lines.get("DEK " + i)), 8);
      // the spy dumps buffers as "5E DE 58 20 ..." and attribute values as "5EDE5820 1FDAC07E"
      String spaced = upper.withDelimiter(" ").formatHex(head);
      String grouped = upper.formatHex(head, 0, 4) + " " + upper.formatHex(head, 4, 8);
      assertTrue(all.substring(0, begin).contains(spaced) || all.substring(0, begin).contains(grouped),
          "control: the spy shows data key " + i + " where it was made (wrapped from host memory)");
      assertTrue(!segment.contains(spaced) && !segment.contains(grouped),
          "data key " + i + "'s bytes appear in no call of the rewrap");
    }
    assertEquals(0, valueReads, "no C_GetAttributeValue(CKA_VALUE) during the rewrap: " + calls);
    assertEquals(0, calls.getOrDefault("C_Decrypt", 0) + calls.getOrDefault("C_DecryptUpdate", 0),
        "no C_Decrypt during the rewrap: " + calls);
    assertEquals(0, secretKeysCreated, "no key value sent to the token (C_CreateObject of a secret key): " + calls);
    assertEquals(N, calls.getOrDefault("C_UnwrapKey", 0), "one C_UnwrapKey per data key: " + calls);
    assertEquals(N, calls.getOrDefault("C_WrapKey", 0), "one C_WrapKey per data key: " + calls);
    assertTrue(calls.getOrDefault("C_DestroyObject", 0) >= N, "every held key destroyed: " + calls);
    assertEquals(Integer.toString(N), lines.get("KEPT"), "every data key stayed on the token: " + lines.get("INHOST"));
    String[] objects = lines.get("SESSION-OBJECTS").split(" ");
    assertEquals(objects[0], objects[1], "no data key object is left on the token after the rewrap");

    // clients nobody here wrote unwrap the new forms under kek#2 to the data keys the worker made:
    // the IAIK wrapper always, SunPKCS11 where the JDK offers KWP (JDK 18 and later)
    HexFormat hex = HexFormat.of();
    int headerLength = 4 + 1 + kek.length() + 4;
    Session iaik = iaikSession();
    long kekHandle = iaik.findObjectsSingle(AttributeVector.newSecretKey().label(kek + "#2"), 2)[0];
    Provider sun = sunPkcs11(shared);
    KeyStore ks = KeyStore.getInstance("PKCS11", sun);
    ks.load(null, SoftHsm.PIN.toCharArray());
    Key sunKek = ks.getKey(kek + "#2", null);
    boolean sunKwp = sun.getService("Cipher", "AES/KWP/NoPadding") != null;
    for (int i = 0; i < N; i++) {
      byte[] dek = hex.parseHex(lines.get("DEK " + i));
      byte[] framed = hex.parseHex(lines.get("NEW " + i));
      assertEquals(2, java.nio.ByteBuffer.wrap(framed, headerLength - 4, 4).getInt(), "rewrapped under #2");
      byte[] payload = Arrays.copyOfRange(framed, headerLength, framed.length);
      long h = iaik.unwrapKey(new Mechanism(PKCS11Constants.CKM_AES_KEY_WRAP_PAD), kekHandle, payload,
          AttributeVector.newSecretKey(PKCS11Constants.CKK_GENERIC_SECRET).token(false).sensitive(false).extractable(true));
      try {
        assertArrayEquals(dek, iaik.getAttrValues(h, PKCS11Constants.CKA_VALUE).value(),
            "the IAIK wrapper unwraps data key " + i);
      } finally {
        iaik.destroyObject(h);
      }
      if (sunKwp) {
        Cipher c = Cipher.getInstance("AES/KWP/NoPadding", sun);
        c.init(Cipher.UNWRAP_MODE, sunKek);
        Key k = c.unwrap(payload, "AES", Cipher.SECRET_KEY);
        Cipher viaSun = Cipher.getInstance("AES/ECB/NoPadding", sun);
        viaSun.init(Cipher.ENCRYPT_MODE, k);
        Cipher viaJdk = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        viaJdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dek, "AES"));
        byte[] block = new byte[16];
        block[3] = (byte) i;
        assertArrayEquals(viaJdk.doFinal(block), viaSun.doFinal(block), "SunPKCS11 unwraps data key " + i);
      }
    }
    iaik.closeSession();
  }

  private Provider sunPkcs11(Pkcs11Config shared) throws Exception {
    long slot = Pkcs11Token.locate(shared).slotId();
    Path sunCfg = Files.writeString(dir.resolve("sun.cfg"), "name = RewrapProof\nlibrary = " + SoftHsm.LIBRARY
        + "\nslot = " + slot + "\n");
    return Security.getProvider("SunPKCS11").configure(sunCfg.toString());
  }

  private static Session iaikSession() throws Exception {
    return IaikSessions.userSession(SoftHsm.LIBRARY.toString(), SoftHsm.LABEL, SoftHsm.PIN.toCharArray(), false);
  }
}
