package dev.clavis.conformance.attacks;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The second (and third) process of the IV-reuse attack: opens the store, first tries to
 * encrypt under a fixed caller IV (the attack: two processes each using IV 00..00 would encrypt
 * twice under it), then encrypts {@code n} times under the name's handle and prints each IV.
 *
 * <p>Output: {@code caller-iv refused <message>} or {@code caller-iv accepted}, then one hex IV a line.
 */
public final class IvReuseWorker {

  private IvReuseWorker() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    String name = args[1];
    int n = Integer.parseInt(args[2]);
    Provider clavis = new ClavisProvider();
    StringBuilder out = new StringBuilder();
    try (Keyring ring = Keyrings.openFile(store, GcmLimitChildJvm.PASSWORD.toCharArray(),
        TestStores.LIGHTEST_KDF)) {
      ManagedKey h = ring.handle(KeyRef.of(name));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding", clavis);
      try {
        c.init(Cipher.ENCRYPT_MODE, h, new GCMParameterSpec(128, new byte[12]));
        c.doFinal(new byte[16]);
        out.append("caller-iv accepted\n");
      } catch (GeneralSecurityException e) {
        out.append("caller-iv refused ").append(e.getClass().getSimpleName()).append(' ')
            .append(e.getMessage()).append('\n');
      }
      HexFormat hex = HexFormat.of();
      for (int i = 0; i < n; i++) {
        c.init(Cipher.ENCRYPT_MODE, h);
        c.doFinal(new byte[1]);
        out.append(hex.formatHex(c.getIV())).append('\n');
      }
    }
    System.out.print(out);
    System.out.flush();
  }
}
