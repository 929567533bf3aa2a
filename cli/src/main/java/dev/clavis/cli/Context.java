package dev.clavis.cli;

import dev.clavis.keyring.Keyring;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs with: the global options, the three standard streams, the environment, and
 * the keyring, opened on first use and closed when the command ends.
 */
final class Context implements AutoCloseable {

  private final GlobalOptions options;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final StoreOpener opener;
  private Keyring keyring;

  Context(GlobalOptions options, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this.options = options;
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
    this.opener = new StoreOpener(options, env);
  }

  GlobalOptions options() { return options; }
  InputStream in() { return in; }
  PrintStream out() { return out; }
  PrintStream err() { return err; }
  Map<String, String> env() { return env; }
  StoreOpener opener() { return opener; }

  /** @return whether {@code --json} asks for the result as JSON */
  boolean json() {
    return options.json;
  }

  /** @return the keyring of {@code --store}/{@code --hsm}, opened once; it must exist already */
  Keyring keyring() {
    if (keyring == null) {
      keyring = KeyringLog.wrap(opener.openExisting());
    }
    return keyring;
  }

  /** Prints the result of a command: {@code json} as one JSON value with {@code --json}, else {@code text}. */
  void result(String text, Object json) {
    out.println(options.json ? Json.write(json) : text);
  }

  /** Prints a progress or result note on stderr, so stdout stays clean for data. */
  void note(String line) {
    err.println("clavis: " + line);
  }

  @Override
  public void close() {
    if (keyring != null) {
      Keyring k = keyring;
      keyring = null;
      k.close();
    }
  }
}
