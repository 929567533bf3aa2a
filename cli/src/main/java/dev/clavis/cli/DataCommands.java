package dev.clavis.cli;

import dev.clavis.keyring.KeyRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code encrypt}, {@code decrypt} and {@code rewrap}: bytes from stdin (or {@code --in}) to
 * stdout (or {@code --out}), binary-safe, streamed: {@code encrypt} writes a streaming envelope
 * segment by segment, so memory does not grow with the input. {@code decrypt} and {@code rewrap}
 * also read the one-shot envelopes of the Java API and of earlier versions. The envelope names its
 * key version; the command says which on stderr too. stdout holds the data, so {@code --json}
 * does not apply.
 */
final class DataCommands {

  private DataCommands() {}

  /** What the three share: {@code --aad}, {@code --context}, {@code --in}/{@code --out}, the binary output, no JSON. */
  abstract static class DataCommand extends CliCommand {
    @Option(names = "--aad", paramLabel = "TEXT", order = 1,
        description = {"associated data bound to the envelope (UTF-8); decrypt and rewrap need the same"})
    String aad;

    @Option(names = "--context", paramLabel = "K=V", order = 2,
        description = {"an encryption context pair bound to the envelope and its data key (repeatable);",
            "decrypt and rewrap need the same pairs"})
    List<String> context;

    @Option(names = "--in", paramLabel = "FILE", order = 3, description = {"read this file instead of stdin"})
    String in;

    @Option(names = "--out", paramLabel = "FILE", order = 4,
        description = {"write this file (0600, replaced only when the command succeeds) instead of stdout"})
    String out;

    @Override
    boolean printsJson() {
      return false;
    }

    /** @return {@code --aad} as bytes, or null for none */
    byte[] aad() {
      return aad == null ? null : aad.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the {@code --context} pairs */
    Map<String, String> context() {
      Map<String, String> m = new LinkedHashMap<>();
      if (context != null) {
        for (String kv : context) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw CliException.usage("--context takes K=V with a non-empty key, got '" + kv + "'");
          }
          if (m.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
            throw CliException.usage("--context names the key " + kv.substring(0, eq) + " twice");
          }
        }
      }
      return m;
    }

    /** @return the input, buffered so the format can be told from its first bytes */
    BufferedInputStream input(Context ctx) throws IOException {
      return new BufferedInputStream(in == null ? ctx.in() : OutputFiles.openInput(in), 1 << 16);
    }

    /** Runs {@code body} against the output, publishing an {@code --out} file only if it succeeds. */
    void withOutput(Context ctx, OutputFiles.Body body) throws IOException {
      if (out == null) {
        OutputStream o = new StdoutStream(ctx);
        body.write(o);
        o.flush();
        if (ctx.out().checkError()) {
          throw new CliException("could not write to stdout");
        }
      } else {
        OutputFiles.write(out, body);
      }
    }

    /** Peeks the first bytes (the header) without consuming them. */
    static byte[] peek(BufferedInputStream in) throws IOException {
      in.mark(1024);
      byte[] head = in.readNBytes(1024);
      in.reset();
      return head;
    }
  }

  /** {@code encrypt NAME < plaintext > streaming envelope}. */
  @Command(name = "encrypt", description = {"encrypt stdin under the key's primary (streamed, any size);",
      "the envelope names the version"})
  static final class Encrypt extends DataCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Override
    int run(Context ctx) throws IOException {
      String n = LifecycleCommands.name(name);
      Map<String, String> c = context();
      long[] count = new long[1];
      byte[][] head = new byte[1][];
      try (InputStream src = input(ctx)) {
        withOutput(ctx, o -> {
          HeadKeeper keep = new HeadKeeper(o);
          try (OutputStream enc = ctx.keyring().newEncryptingStream(n, c, aad(), keep)) {
            count[0] = src.transferTo(enc);
          }
          head[0] = keep.head();
        });
      }
      ctx.note("encrypted " + count[0] + " bytes under " + Envelopes.describe(head[0]));
      return 0;
    }
  }

  /** {@code decrypt < envelope > plaintext}. */
  @Command(name = "decrypt", description = {"decrypt an envelope made under any version that still decrypts"})
  static final class Decrypt extends DataCommand {
    @Option(names = "--allow-compromised", order = 5, description = {"decrypt even under a COMPROMISED version"})
    boolean allowCompromised;

    @Override
    int run(Context ctx) throws IOException {
      Map<String, String> c = context();
      long[] count = new long[1];
      byte[] head;
      try (BufferedInputStream src = input(ctx)) {
        head = peek(src);
        withOutput(ctx, o -> {
          if (Envelopes.isStream(head)) {
            try (InputStream dec = ctx.keyring().newDecryptingStream(src, c, aad(), allowCompromised)) {
              count[0] = dec.transferTo(o);
            }
          } else {
            // a one-shot envelope of the Java API or an earlier Clavis: made in memory, read in memory
            byte[] plaintext = ctx.keyring().decrypt(src.readAllBytes(), aad(), c, allowCompromised);
            try {
              o.write(plaintext);
              count[0] = plaintext.length;
            } finally {
              Arrays.fill(plaintext, (byte) 0);
            }
          }
        });
      }
      ctx.note("decrypted " + count[0] + " bytes made under " + Envelopes.describe(head));
      return 0;
    }
  }

  /** {@code rewrap < envelope > envelope}. */
  @Command(name = "rewrap", description = {"re-encrypt an envelope under the current primary (a stream's data key",
      "is rewrapped, its segments copied as they are); the context stays"})
  static final class Rewrap extends DataCommand {
    @Option(names = "--allow-compromised", order = 2, description = {"move data off a COMPROMISED version to the"
        + " primary in one audited step"})
    boolean allowCompromised;

    @Override
    int run(Context ctx) throws IOException {
      Map<String, String> c = context();
      byte[] head;
      String[] to = new String[1];
      try (BufferedInputStream src = input(ctx)) {
        head = peek(src);
        withOutput(ctx, o -> {
          if (Envelopes.isStream(head)) {
            KeyRef now = ctx.keyring().rewrapStream(src, o, c, allowCompromised);
            to[0] = now.toString();
          } else {
            byte[] rewrapped = ctx.keyring().rewrap(src.readAllBytes(), aad(), c, allowCompromised);
            o.write(rewrapped);
            to[0] = Envelopes.describe(rewrapped);
          }
        });
      }
      ctx.note("rewrapped from " + Envelopes.describe(head) + " to " + to[0]);
      return 0;
    }
  }

  /** stdout as a plain stream whose close does not close stdout. */
  private static final class StdoutStream extends OutputStream {
    private final Context ctx;

    StdoutStream(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public void write(int b) {
      ctx.out().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ctx.out().write(b, off, len);
      if (ctx.out().checkError()) {
        throw new CliException("could not write to stdout");
      }
    }

    @Override
    public void flush() {
      ctx.out().flush();
    }

    @Override
    public void close() {
      flush();
    }
  }

  /** Keeps the first bytes written (the envelope's header, for the note) and does not close its target. */
  private static final class HeadKeeper extends OutputStream {
    private final OutputStream target;
    private final byte[] head = new byte[512];
    private int kept;

    HeadKeeper(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = Math.min(len, head.length - kept);
      System.arraycopy(b, off, head, kept, n);
      kept += n;
      target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() throws IOException {
      target.flush();
    }

    byte[] head() {
      return Arrays.copyOf(head, kept);
    }
  }
}
