package dev.clavis.cli;

import dev.clavis.keyring.spi.OwnerOnlyFiles;
import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole lifecycle in a temporary store, each step explained for a newcomer:
 * create, encrypt, rotate, decrypt old data, rewrap, two-phase rotation, suspend and resume,
 * revoke, destroy, and the audit log's verification. Runs in a few seconds.
 */
@Command(name = "demo", description = {"walk through the lifecycle in a temporary store, explaining each step"})
final class DemoCommand extends CliCommand {

  private static final String KEY = "payments";
  /** With --keep, the demo's random password is left here (0600), so the kept store can be opened. */
  static final String PASSWORD_FILE = "demo.password";

  @Option(names = "--keep", order = 1,
      description = {"keep the demo store (and its password in a file readable by you only) and say how to open it"})
  boolean keep;

  private PrintStream out;
  private int step;

  @Override
  boolean printsJson() {
    return false;
  }

  @Override
  int run(Context ctx) throws IOException {
    out = ctx.out();
    Path dir = Files.createTempDirectory("clavis-demo-");
    boolean done = false;
    try {
      walk(dir);
      done = true;
    } finally {
      if (keep && done) {
        Path store = dir.resolve("demo.store").toAbsolutePath();
        Path pw = dir.resolve(PASSWORD_FILE).toAbsolutePath();
        out.println();
        out.println("Kept the demo store in " + dir + ". Open it with:");
        out.println("  clavis list --store " + store + " --password-file " + pw);
        out.println("  clavis audit --verify --store " + store + " --password-file " + pw);
        out.println("(the password file is readable by you only; delete the directory when done)");
      } else {
        deleteTree(dir);
      }
    }
    return 0;
  }

  private void walk(Path dir) throws IOException {
    Path store = dir.resolve("demo.store");
    char[] password = randomPassword();
    if (keep) {
      keepPassword(dir.resolve(PASSWORD_FILE), password);
    }
    long t0 = System.nanoTime();
    say("A fresh encrypted store",
        "Clavis keeps keys in one encrypted file. The demo makes a throw-away one at",
        "  " + store,
        "with a random password. Every record in it is sealed with AES-256-GCM under a key derived",
        "from the password with " + DemoStores.kdfDescription() + ": a light setting so the demo",
        "runs in seconds. Real stores ('clavis init') use Argon2id t=3, m=64 MiB, p=4.");
    try (Keyring k = DemoStores.open(store, password)) {
      Arrays.fill(password, '\0');

      KeyInfo info = k.create(KEY, KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(1_000_000).build());
      say("Create a key",
          "'clavis create " + KEY + "' makes a named key. Its first version is the primary:");
      versions(k);

      byte[] secret = "card 4111-1111-1111-1111, exp 12/29".getBytes(StandardCharsets.UTF_8);
      byte[] oldEnvelope = k.encrypt(KEY, secret, null);
      say("Encrypt",
          "'clavis encrypt " + KEY + "' seals data under the primary version. The output is an",
          "envelope of " + oldEnvelope.length + " bytes for " + secret.length + " bytes of data: it names the key version",
          "(" + Envelopes.describe(oldEnvelope) + "), a random nonce, the ciphertext and the GCM tag.");

      KeyVersionInfo v2 = k.rotate(KEY, "demo: scheduled rotation");
      say("Rotate",
          "'clavis rotate " + KEY + "' makes a new version the primary (" + v2.ref() + "). The old one is",
          "DEPRECATED: it encrypts nothing new but still decrypts what it made.");
      versions(k);

      byte[] plain = k.decrypt(oldEnvelope, null);
      say("Decrypt old data",
          "The envelope made before the rotation still decrypts, because it names its version:",
          "  \"" + new String(plain, StandardCharsets.UTF_8) + "\"");
      Arrays.fill(plain, (byte) 0);

      byte[] rewrapped = k.rewrap(oldEnvelope, null);
      say("Rewrap",
          "'clavis rewrap' re-encrypts the envelope under the current primary without handing the",
          "plaintext out: " + Envelopes.describe(oldEnvelope) + " -> " + Envelopes.describe(rewrapped) + ".");

      KeyVersionInfo staged = k.beginRotation(KEY);
      say("Two-phase rotation, phase one",
          "'clavis rotate " + KEY + " --begin' stages " + staged.ref() + " as PRE_ACTIVE: it already decrypts, so",
          "readers can pick it up first, while the old primary (now ROTATING) keeps encrypting.");
      versions(k);
      byte[] during = k.encrypt(KEY, secret, null);
      out.println("  data encrypted now is still made under " + Envelopes.describe(during) + ".");

      KeyVersionInfo done = k.completeRotation(KEY);
      say("Two-phase rotation, phase two",
          "'clavis rotate " + KEY + " --complete' switches: " + done.ref() + " is ACTIVE, the old primary DEPRECATED.");
      versions(k);

      KeyRef first = KeyRef.of(KEY, 1);
      k.suspend(first, "demo: investigating");
      say("Suspend and resume",
          "'clavis suspend " + first + "' stops a version reversibly. Decrypting its data now fails:");
      refused(() -> k.decrypt(oldEnvelope, null));
      k.resume(first);
      out.println("  'clavis resume " + first + "' brings it back: decrypts " + k.decrypt(oldEnvelope, null).length + " bytes again.");

      k.revoke(first, "demo: retired after migration");
      say("Revoke",
          "'clavis revoke " + first + " --reason ...' withdraws a version for good, with a reason.",
          "Data still under it cannot be read any more - rewrap data before revoking its version:");
      refused(() -> k.decrypt(oldEnvelope, null));
      out.println("  the rewrapped copy still decrypts: " + k.decrypt(rewrapped, null).length + " bytes.");

      k.destroyNow(first);
      say("Destroy",
          "'clavis destroy " + first + " --now' erases the material; the metadata stays as a tombstone.",
          "Without --now, destruction is scheduled after a window (7 days by default) and",
          "'clavis cancel-destroy NAME' can still undo it.");
      versions(k);

      List<AuditEvent> events = k.auditLog().events();
      long verified = k.auditLog().verify();
      say("Audit",
          "Every change above went to a hash-chained, MAC'ed audit log next to the store.",
          "'clavis audit --verify' checked " + verified + " records: an edited, removed or reordered record",
          "would be reported. The last few (metadata only, never key material):");
      for (AuditEvent e : events.subList(Math.max(0, events.size() - 5), events.size())) {
        out.println("  " + e.sequence() + "  " + e.action() + "  " + e.key() + (e.details().isEmpty() ? "" : "  " + e.details()));
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    out.println();
    out.println("Done in " + ms + " ms. Try it on your own store: 'clavis init', then 'clavis create NAME'");
    out.println("and 'clavis help' for every command.");
  }

  private void say(String title, String... lines) {
    out.println();
    out.println(++step + ". " + title);
    for (String l : lines) {
      out.println("  " + l);
    }
  }

  private void versions(Keyring k) {
    KeyInfo info = k.find(KEY).orElseThrow();
    for (KeyVersionInfo v : info.versions()) {
      out.println("    " + v.ref() + "  " + v.state() + (info.primary().map(p -> p.version() == v.version()).orElse(false) ? "  (primary)" : ""));
    }
  }

  private void refused(Runnable r) {
    try {
      r.run();
      throw new IllegalStateException("the demo expected a refusal here and got none");
    } catch (KeyringException e) {
      out.println("  refused: " + e.getMessage());
    }
  }

  /** Writes the password, created 0600 (where POSIX permissions exist) before a byte goes in. */
  private static void keepPassword(Path file, char[] password) throws IOException {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    Arrays.fill(encoded.array(), (byte) 0);
    try {
      try (java.nio.channels.FileChannel ch = OwnerOnlyFiles.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static char[] randomPassword() {
    SecureRandom rnd = new SecureRandom();
    char[] pw = new char[24];
    String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < pw.length; i++) {
      pw[i] = alphabet.charAt(rnd.nextInt(alphabet.length()));
    }
    return pw;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
