package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import dev.clavis.testkit.SoftHsm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret hygiene (issue 6 §5): with logging at its most verbose ({@code --debug}, which turns every
 * java.util.logging logger to ALL and prints stack traces), no password and no key material
 * appears in the CLI's or the demo's stdout or stderr, in the audit log or in any exception
 * message; destroyed keys say so and are zeroed.
 */
class SecretHygieneTest {

  private static final String WRONG_PASSWORD = "wrong-pw-7f3a9c";
  /** Runs of hex or Base64 long enough to be a 128-bit key. */
  private static final Pattern KEYISH = Pattern.compile("[0-9a-fA-F]{32,}|[A-Za-z0-9+/]{43,}={0,2}");

  @TempDir Path dir;

  private final StringBuilder transcript = new StringBuilder();

  private byte[] cli(Map<String, String> env, byte[] stdin, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--debug");
    Process p = ChildJvm.builder(dev.clavis.cli.Main.class, env, argv.toArray(new String[0])).directory(dir.toFile()).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // exited before reading stdin
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // ended
      }
    });
    t.start();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    t.join();
    // The command name only: the arguments of the --password case hold a secret on purpose.
    transcript.append("$ clavis ").append(args[0]).append('\n')
        .append(out.toString(StandardCharsets.ISO_8859_1)).append(err.toString(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Test
  void cliAndDemo_atMostVerbose_printNoPasswordAndNoKeyMaterial() throws Exception {
    byte[] material = new byte[32];
    new Random(0xC1A5L).nextBytes(material);
    Files.write(dir.resolve("key.bin"), material);
    Files.writeString(dir.resolve("pw.txt"), TestStores.PASSWORD + "\n");
    Map<String, String> env = Map.of("CLAVIS_PASSWORD", TestStores.PASSWORD);
    Map<String, String> noEnv = Map.of();
    byte[] text = "nothing secret here".getBytes(StandardCharsets.US_ASCII);

    cli(env, null, "init", "--store", "s.store");
    cli(noEnv, null, "import", "byok", "--key-file", "key.bin", "--exportable", "--store", "s.store", "--password-file", "pw.txt");
    cli(env, null, "create", "made", "--store", "s.store", "--usage-limit", "3");
    cli(env, null, "list", "--json", "--store", "s.store");
    cli(env, null, "show", "byok", "--store", "s.store");
    byte[] env1 = cli(env, text, "encrypt", "byok", "--store", "s.store");
    cli(env, env1, "decrypt", "--store", "s.store");
    cli(env, null, "rotate", "byok", "--store", "s.store");
    cli(env, env1, "rewrap", "--store", "s.store");
    cli(env, null, "suspend", "byok#1", "--store", "s.store");
    cli(env, env1, "decrypt", "--store", "s.store"); // refused: the message names the state, not the key
    cli(env, null, "resume", "byok#1", "--store", "s.store");
    cli(env, null, "compromise", "byok#1", "--store", "s.store", "--reason", "test");
    cli(env, env1, "decrypt", "--allow-compromised", "--store", "s.store");
    cli(env, new byte[] {'C', 'L', 'V', 1, 4, 'b', 'y', 'o', 'k', 0, 0, 0, 1, 9, 9}, "decrypt", "--store", "s.store");
    cli(env, null, "destroy", "byok#1", "--now", "--store", "s.store");
    cli(env, null, "audit", "--json", "--store", "s.store");
    cli(env, null, "audit", "--verify", "--store", "s.store");
    cli(Map.of("CLAVIS_PASSWORD", WRONG_PASSWORD), null, "list", "--store", "s.store");
    cli(env, null, "list", "--password", WRONG_PASSWORD);
    String cliTranscript = transcript.toString();
    cli(noEnv, null, "demo");
    String demoTranscript = transcript.substring(cliTranscript.length());

    List<String> secrets = secretsOf(material);
    assertNoSecret("CLI transcript", cliTranscript, secrets);
    assertNoSecret("demo transcript", demoTranscript, secrets);
    assertFalse(KEYISH.matcher(demoTranscript).find(), () -> "demo printed something key-like: " + KEYISH.matcher(demoTranscript).results().findFirst().get().group());
    assertTrue(cliTranscript.contains("FINE") || cliTranscript.contains("clavis:"), "the transcript is empty");

    // The audit log and every other file beside the store, and the store itself.
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().equals("key.bin") || f.getFileName().toString().equals("pw.txt")) {
          continue;
        }
        assertNoSecret(f.getFileName().toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), secrets);
      }
    }
  }

  private static List<String> secretsOf(byte[] material) {
    HexFormat hex = HexFormat.of();
    return List.of(TestStores.PASSWORD, WRONG_PASSWORD,
        hex.formatHex(material), hex.withUpperCase().formatHex(material),
        Base64.getEncoder().encodeToString(material).substring(0, 40),
        Base64.getUrlEncoder().encodeToString(material).substring(0, 40),
        new String(material, 0, 16, StandardCharsets.ISO_8859_1),
        new String(material, 16, 16, StandardCharsets.ISO_8859_1));
  }

  private static void assertNoSecret(String where, String text, List<String> secrets) {
    for (String s : secrets) {
      assertFalse(text.contains(s), () -> where + " contains a secret (" + s.length() + " chars)");
    }
  }

  @Test
  void exceptionMessagesAndTraces_carryNoPasswordOrMaterial() throws Exception {
    Path store = dir.resolve("x.store");
    byte[] material = new byte[32];
    new Random(0xBADL).nextBytes(material);
    List<Throwable> thrown = new ArrayList<>();
    try (Keyring k = TestStores.open(store)) {
      k.importKey("byok", KeyAlgorithm.AES_256, material, KeyPolicy.defaults());
      byte[] env = k.encrypt("byok", "data".getBytes(StandardCharsets.US_ASCII), null);
      k.suspend(KeyRef.of("byok", 1), "hygiene");
      thrown.add(assertThrows(RuntimeException.class, () -> k.decrypt(env, null)));
      thrown.add(assertThrows(RuntimeException.class, () -> k.encrypt("byok", new byte[1], null)));
      k.resume(KeyRef.of("byok", 1));
      byte[] bad = env.clone();
      bad[bad.length - 1] ^= 1;
      thrown.add(assertThrows(RuntimeException.class, () -> k.decrypt(bad, null)));
      thrown.add(assertThrows(RuntimeException.class, () -> k.decrypt(env, "other aad".getBytes(StandardCharsets.US_ASCII))));
      thrown.add(assertThrows(RuntimeException.class, () -> k.importKey("short", KeyAlgorithm.AES_256, new byte[7], KeyPolicy.defaults())));
      thrown.add(assertThrows(RuntimeException.class, () -> k.unwrapDataKey(material)));
      thrown.add(assertThrows(RuntimeException.class, () -> k.rotate("nosuch", "x")));
    }
    thrown.add(assertThrows(RuntimeException.class, () -> Keyrings.openFile(store, WRONG_PASSWORD.toCharArray())));
    List<String> secrets = secretsOf(material);
    for (Throwable t : thrown) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      assertNoSecret("exception " + t.getClass().getSimpleName() + ": " + t.getMessage(), w.toString(), secrets);
      assertTrue(t.getMessage() != null && !t.getMessage().isBlank(), "an exception without a message: " + t);
    }
  }

  @Test
  void destroyedDataKey_isDestroyedAndZeroed() throws Exception {
    try (Keyring k = TestStores.open(dir.resolve("d.store"))) {
      k.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      DataKey dk = k.generateDataKey("kek", 256);
      byte[] copy = dk.plaintextKey();
      assertEquals(32, copy.length);
      assertFalse(dk.toString().contains(HexFormat.of().formatHex(copy)));
      dk.destroy();
      assertTrue(dk.isDestroyed());
      assertThrows(IllegalStateException.class, dk::plaintextKey);
      Field f = DataKey.class.getDeclaredField("key");
      f.setAccessible(true);
      byte[] inside = (byte[]) f.get(dk);
      for (byte b : inside) {
        assertEquals(0, b, "a destroyed DataKey still holds material");
      }
    }
  }

  @Test
  void managedKey_serializationRefused_destroyInvalidates_destroyedVersionHandsOutNothing() throws Exception {
    byte[] material = new byte[32];
    new Random(0xFEEDL).nextBytes(material);
    try (Keyring k = TestStores.open(dir.resolve("m.store"))) {
      k.importKey("exp", KeyAlgorithm.AES_256, material, KeyPolicy.builder().exportable(true).build());
      ManagedKey h = k.handle(KeyRef.of("exp", 1));
      assertTrue(java.util.Arrays.equals(material, h.getEncoded()), "an exportable handle hands out its material");
      assertFalse(h.toString().contains(HexFormat.of().formatHex(material)), h.toString());
      NotSerializableException e = assertThrows(NotSerializableException.class,
          () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(h));
      assertNoSecret("serialization refusal", e.getMessage(), secretsOf(material));

      h.destroy();
      assertTrue(h.isDestroyed());
      assertThrows(IllegalStateException.class, h::getEncoded);

      k.destroyNow(KeyRef.of("exp", 1), true); // the primary may still encrypt: only forced
      ManagedKey again = k.handle(KeyRef.of("exp", 1));
      RuntimeException gone = assertThrows(RuntimeException.class, again::getEncoded);
      assertNoSecret("destroyed version", gone.getMessage(), secretsOf(material));
      assertThrows(RuntimeException.class, () -> k.exportKey(KeyRef.of("exp", 1)));
    }
  }

  @Test
  void extendedPrivateKey_serializationRefused_destroyedKeyHandsOutNothing() throws Exception {
    dev.clavis.hd.ExtendedPrivateKey k = (dev.clavis.hd.ExtendedPrivateKey) java.security.KeyFactory
        .getInstance("BIP32", new dev.clavis.provider.ClavisProvider())
        .generatePrivate(new dev.clavis.spec.HDKeySpec(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"), "m/0H/1"));
    byte[] priv = k.getPrivateKeyBytes();
    String privHex = HexFormat.of().formatHex(priv);
    assertFalse(k.toString().contains(privHex) || k.toString().contains(k.toBase58()), k.toString());
    NotSerializableException e = assertThrows(NotSerializableException.class,
        () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(k));
    assertFalse(e.getMessage().contains(privHex));
    k.destroy();
    assertTrue(k.isDestroyed());
    assertThrows(IllegalStateException.class, k::getPrivateKeyBytes);
    assertThrows(IllegalStateException.class, k::toBase58);
  }

  @Test
  void cliOnToken_atMostVerbose_printsNoPin() throws Exception {
    String pin = "pin-7Q4z-91xK";
    String wrongPin = "pin-wrong-3Jd8";
    Path conf = SoftHsm.freshToken(dir, "hygiene", "so-pin-12345", pin).conf();
    Files.writeString(dir.resolve("token.cfg"), "name = softhsm\nlibrary = /usr/lib/softhsm/libsofthsm2.so\n"
        + "tokenLabel = hygiene\npin = env:CLAVIS_PIN\n");
    Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString(), "CLAVIS_PIN", pin);
    cli(env, null, "create", "t", "--hsm", "token.cfg");
    byte[] e = cli(env, "x".getBytes(StandardCharsets.US_ASCII), "encrypt", "t", "--hsm", "token.cfg");
    cli(env, e, "decrypt", "--hsm", "token.cfg");
    cli(env, null, "list", "--json", "--hsm", "token.cfg");
    cli(Map.of("SOFTHSM2_CONF", conf.toString(), "CLAVIS_PIN", wrongPin), null, "list", "--hsm", "token.cfg");
    Files.writeString(dir.resolve("pin.txt"), wrongPin + "\n");
    cli(Map.of("SOFTHSM2_CONF", conf.toString()), null, "list", "--hsm", "token.cfg", "--password-file", "pin.txt");
    String t = transcript.toString();
    assertTrue(t.contains("created t#1") && t.contains("\"name\":\"t\""), t);
    assertTrue(t.contains("clavis: error:"), "the wrong PIN was not refused:\n" + t);
    assertNoSecret("token CLI transcript", t, List.of(pin, wrongPin));
  }
}
