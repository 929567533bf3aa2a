package dev.clavis.conformance.attacks;

import dev.clavis.provider.ClavisProvider;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Security;
import javax.crypto.spec.SecretKeySpec;

/**
 * Does what keytool does, with a pause where keytool would be slow: {@code load(FileInputStream)},
 * one {@code setKeyEntry}, {@code store} into a byte buffer, then (after a line on stdin) writes
 * the buffer over the file with a {@code FileOutputStream}, exactly as keytool's {@code Main} does.
 * Args: store file, password, alias, and optionally {@code partial}: the rewrite then stops half
 * way (as a full disk or an exception inside keytool would leave it).
 */
public final class KeytoolLikeWorker {

  private KeytoolLikeWorker() {}

  public static void main(String[] args) throws Exception {
    Security.addProvider(new ClavisProvider());
    char[] pw = args[1].toCharArray();
    KeyStore ks = KeyStore.getInstance("Clavis");
    try (FileInputStream in = new FileInputStream(args[0])) {
      ks.load(in, pw);
    }
    ks.setKeyEntry(args[2], new SecretKeySpec(new byte[32], "AES"), pw, null);
    ByteArrayOutputStream bout = new ByteArrayOutputStream();
    ks.store(bout, pw);
    System.out.println("STORED");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    try (FileOutputStream out = new FileOutputStream(args[0])) {
      byte[] b = bout.toByteArray();
      out.write(b, 0, args.length > 3 && args[3].equals("partial") ? b.length / 2 : b.length);
    }
    System.out.println("REWRITTEN");
  }
}
