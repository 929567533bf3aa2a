package dev.clavis.jdbcmodule;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;

/**
 * Opens a database keyring with clavis-provider and clavis-jdbc on the module path (this class,
 * on the class path, uses the public API only; its package is in neither module). Prints the
 * modules it ran in. Arguments: the JDBC URL, the commit mark file.
 */
public final class ModulePathMain {

  private ModulePathMain() {}

  public static void main(String[] args) {
    Properties p = new Properties();
    p.setProperty("clavis.keyring", "modules");
    p.setProperty("clavis.commitMark", args[1]);
    byte[] aad = "aad".getBytes(StandardCharsets.UTF_8);
    byte[] plain = "on the module path".getBytes(StandardCharsets.UTF_8);
    try (Keyring k = Keyrings.open(KeyringOptions.database(args[0], p).password("module-pw".toCharArray())
        .kdfForNew(KdfParameters.argon2id(1, 64, 1).allowingWeak()))) {
      k.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = k.encrypt("m", plain, aad);
      if (!Arrays.equals(plain, k.decrypt(env, aad))) {
        throw new AssertionError("decrypted something else");
      }
      System.out.println("ok provider=" + Keyring.class.getModule().getName() + " backend="
          + k.getClass().getModule().getName());
    }
  }
}
