package dev.clavis.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code encrypt}, {@code decrypt} and {@code rewrap}: bytes from stdin to stdout, binary-safe.
 * The envelope names its key version; the command says which on stderr too.
 */
final class DataCommands {

  private DataCommands() {}

  static int encrypt(Context ctx) throws IOException {
    ctx.args().expectPositionals(1, 1, "encrypt NAME [--aad TEXT] < plaintext > envelope");
    String name = LifecycleCommands.name(ctx.args().positionals().get(0));
    byte[] plaintext = ctx.in().readAllBytes();
    try {
      byte[] envelope = ctx.keyring().encrypt(name, plaintext, aad(ctx));
      write(ctx, envelope);
      ctx.note("encrypted " + plaintext.length + " bytes under " + Envelopes.describe(envelope));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    return 0;
  }

  static int decrypt(Context ctx) throws IOException {
    ctx.args().expectPositionals(0, 0, "decrypt [--aad TEXT] [--allow-compromised] < envelope > plaintext");
    byte[] envelope = ctx.in().readAllBytes();
    byte[] plaintext = ctx.keyring().decrypt(envelope, aad(ctx), ctx.args().flag("--allow-compromised"));
    try {
      write(ctx, plaintext);
      ctx.note("decrypted " + plaintext.length + " bytes made under " + Envelopes.describe(envelope));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    return 0;
  }

  static int rewrap(Context ctx) throws IOException {
    ctx.args().expectPositionals(0, 0, "rewrap [--aad TEXT] < envelope > envelope");
    byte[] envelope = ctx.in().readAllBytes();
    byte[] rewrapped = ctx.keyring().rewrap(envelope, aad(ctx));
    write(ctx, rewrapped);
    ctx.note("rewrapped from " + Envelopes.describe(envelope) + " to " + Envelopes.describe(rewrapped));
    return 0;
  }

  private static void write(Context ctx, byte[] data) {
    ctx.out().write(data, 0, data.length);
    ctx.out().flush();
    if (ctx.out().checkError()) {
      throw new CliException("could not write to stdout");
    }
  }

  /** {@code --aad TEXT}: associated data bound to the envelope (UTF-8); none by default. */
  private static byte[] aad(Context ctx) {
    String a = ctx.args().option("--aad");
    return a == null ? null : a.getBytes(StandardCharsets.UTF_8);
  }
}
