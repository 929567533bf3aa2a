package dev.clavis.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code encrypt}, {@code decrypt} and {@code rewrap}: bytes from stdin to stdout, binary-safe.
 * The envelope names its key version; the command says which on stderr too. stdout holds the
 * data, so {@code --json} does not apply.
 */
final class DataCommands {

  private DataCommands() {}

  /** What the three share: {@code --aad}, the binary output, no JSON. */
  abstract static class DataCommand extends CliCommand {
    @Option(names = "--aad", paramLabel = "TEXT", order = 1,
        description = {"associated data bound to the envelope (UTF-8); decrypt and rewrap need the same"})
    String aad;

    @Override
    boolean printsJson() {
      return false;
    }

    /** @return {@code --aad} as bytes, or null for none */
    byte[] aad() {
      return aad == null ? null : aad.getBytes(StandardCharsets.UTF_8);
    }

    static void write(Context ctx, byte[] data) {
      ctx.out().write(data, 0, data.length);
      ctx.out().flush();
      if (ctx.out().checkError()) {
        throw new CliException("could not write to stdout");
      }
    }
  }

  /** {@code encrypt NAME < plaintext > envelope}. */
  @Command(name = "encrypt", description = {"encrypt stdin under the key's primary; the envelope names the version"})
  static final class Encrypt extends DataCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Override
    int run(Context ctx) throws IOException {
      String n = LifecycleCommands.name(name);
      byte[] plaintext = ctx.in().readAllBytes();
      try {
        byte[] envelope = ctx.keyring().encrypt(n, plaintext, aad());
        write(ctx, envelope);
        ctx.note("encrypted " + plaintext.length + " bytes under " + Envelopes.describe(envelope));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
      return 0;
    }
  }

  /** {@code decrypt < envelope > plaintext}. */
  @Command(name = "decrypt", description = {"decrypt an envelope made under any version that still decrypts"})
  static final class Decrypt extends DataCommand {
    @Option(names = "--allow-compromised", order = 2, description = {"decrypt even under a COMPROMISED version"})
    boolean allowCompromised;

    @Override
    int run(Context ctx) throws IOException {
      byte[] envelope = ctx.in().readAllBytes();
      byte[] plaintext = ctx.keyring().decrypt(envelope, aad(), allowCompromised);
      try {
        write(ctx, plaintext);
        ctx.note("decrypted " + plaintext.length + " bytes made under " + Envelopes.describe(envelope));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
      return 0;
    }
  }

  /** {@code rewrap < envelope > envelope}. */
  @Command(name = "rewrap", description = {"re-encrypt an envelope under the current primary"})
  static final class Rewrap extends DataCommand {
    @Option(names = "--allow-compromised", order = 2, description = {"move data off a COMPROMISED version to the"
        + " primary in one audited step"})
    boolean allowCompromised;

    @Override
    int run(Context ctx) throws IOException {
      byte[] envelope = ctx.in().readAllBytes();
      byte[] rewrapped = ctx.keyring().rewrap(envelope, aad(), allowCompromised);
      write(ctx, rewrapped);
      ctx.note("rewrapped from " + Envelopes.describe(envelope) + " to " + Envelopes.describe(rewrapped));
      return 0;
    }
  }
}
