package dev.clavis.conformance.attacks;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * A short-lived application for {@link UsageCountAttackTest}: opens a store through the
 * {@code KeyStore} API (which has no {@code close}), encrypts {@code count} times with {@code
 * AES/GCM/NoPadding} under a managed key, prints {@code ENCRYPTED n}, and then either returns from
 * {@code main} (a normal JVM exit) or, with {@code hang}, waits to be killed.
 *
 * <p>Arguments: {@code STORE KEY COUNT exit|hang}; the password comes from {@code CLAVIS_PASSWORD}.
 */
public final class UsageCountWorker {

  private UsageCountWorker() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    String key = args[1];
    int count = Integer.parseInt(args[2]);
    boolean hang = args[3].equals("hang");
    Provider p = new ClavisProvider();
    KeyStore ks = KeyStore.getInstance("Clavis", p);
    ks.load(new KeyringParameter(store, System.getenv("CLAVIS_PASSWORD").toCharArray()));
    SecretKey k = (SecretKey) ks.getKey(key, null);
    for (int i = 0; i < count; i++) {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
      c.init(Cipher.ENCRYPT_MODE, k);
      c.doFinal(("message " + i).getBytes(StandardCharsets.UTF_8));
    }
    System.out.println("ENCRYPTED " + count);
    System.out.flush();
    if (hang) {
      Thread.sleep(600_000);
    }
    // no close: the KeyStore API has none; the JVM exits normally here
  }
}
