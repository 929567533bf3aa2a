package dev.clavis.jdbc;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A writer process of the multi-process tests: opens the keyring (creating key {@code name} if
 * absent), then rotates it {@code count} times (0: until killed), printing after each acknowledged
 * rotation {@code ok <envelope hex>}: a message encrypted under the new primary, which the test must
 * still decrypt at the end. Arguments: url keyring commitMark name count. Password: PG_WRITER_PASSWORD.
 */
public final class PgWriterMain {

  static final byte[] AAD = "multi-process".getBytes(StandardCharsets.UTF_8);

  private PgWriterMain() {}

  public static void main(String[] args) {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, args[1]);
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, args[2]);
    String name = args[3];
    int count = Integer.parseInt(args[4]);
    char[] pw = System.getenv("PG_WRITER_PASSWORD").toCharArray();
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(args[0], p, pw, TestStores.FAST_KDF, true))) {
      if (k.find(name).isEmpty()) {
        try {
          k.create(name, KeyAlgorithm.AES_256, KeyPolicy.defaults());
        } catch (dev.clavis.keyring.KeyringException e) {
          // another writer created it first
        }
      }
      System.out.println("ready");
      System.out.flush();
      for (int i = 0; count == 0 || i < count; i++) {
        k.rotate(name, "writer " + ProcessHandle.current().pid() + " #" + i);
        byte[] env = k.encrypt(name, ("m" + i).getBytes(StandardCharsets.UTF_8), AAD);
        System.out.println("ok " + HexFormat.of().formatHex(env));
        System.out.flush();
      }
    }
    System.out.println("done");
  }
}
