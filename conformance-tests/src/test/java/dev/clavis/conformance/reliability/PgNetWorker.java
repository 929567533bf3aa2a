package dev.clavis.conformance.reliability;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A host of {@link PostgresNetworkNamespaceTest}: one JVM holding one keyring of a PostgreSQL
 * database, driven line by line on standard input, one answer line per command on standard output:
 * {@code ok ...} or {@code err <exception class> <message>}. Commands: {@code create NAME},
 * {@code rotate NAME}, {@code encrypt NAME TEXT} ({@code ok <envelope hex> <version>}),
 * {@code decrypt HEX} ({@code ok <text>}), {@code key NAME} ({@code ok <primary> <number of
 * versions>}), {@code quit}. Arguments: jdbcUrl keyring commitMark maxStaleness; the password
 * comes in {@code PG_NET_PASSWORD}.
 */
public final class PgNetWorker {

  static final byte[] AAD = "netns".getBytes(StandardCharsets.UTF_8);

  private PgNetWorker() {}

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, args[1]);
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, args[2]);
    p.setProperty(PostgresBackendFactory.MAX_STALENESS, args[3]);
    char[] pw = System.getenv("PG_NET_PASSWORD").toCharArray();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(args[0], p, pw, TestStores.FAST_KDF, true))) {
      answer("ok ready");
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        String[] c = line.split(" ", 3);
        try {
          answer("ok " + run(k, c));
        } catch (KeyringException | IllegalArgumentException e) {
          answer("err " + e.getClass().getName() + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
      }
    }
  }

  private static String run(Keyring k, String[] c) {
    switch (c[0]) {
      case "create":
        return Integer.toString(k.create(c[1], KeyAlgorithm.AES_256, KeyPolicy.defaults()).latest().version());
      case "rotate":
        return Integer.toString(k.rotate(c[1], "netns worker " + ProcessHandle.current().pid()).version());
      case "encrypt": {
        byte[] env = k.encrypt(c[1], c[2].getBytes(StandardCharsets.UTF_8), AAD);
        return HexFormat.of().formatHex(env) + " " + CrashWorker.EnvelopeHeader.ref(env).version().getAsInt();
      }
      case "decrypt":
        return new String(k.decrypt(HexFormat.of().parseHex(c[1]), AAD), StandardCharsets.UTF_8);
      case "key": {
        KeyInfo i = k.find(c[1]).orElseThrow(() -> new IllegalArgumentException("no key " + c[1]));
        return i.primary().map(v -> v.version()).orElse(0) + " " + i.versions().size();
      }
      default:
        throw new IllegalArgumentException("unknown command " + c[0]);
    }
  }

  private static void answer(String s) {
    System.out.println(s);
    System.out.flush();
  }
}
