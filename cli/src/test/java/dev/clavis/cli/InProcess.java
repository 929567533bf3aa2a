package dev.clavis.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs {@link Main#run} in this JVM with byte streams: fast enough for the parser and help tests,
 * where a child JVM per case ({@link CliProcess}) would cost seconds each.
 */
final class InProcess {

  private final Map<String, String> env;

  InProcess(Map<String, String> env) {
    this.env = env;
  }

  CliProcess.Result run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), o, e, env);
    }
    return new CliProcess.Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  CliProcess.Result run(String... args) {
    return run(null, args);
  }
}
