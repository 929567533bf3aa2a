package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import dev.clavis.testkit.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link PgNetWorker} JVM, in the root network namespace or in a test one, and the test's end
 * of its line protocol: a command is answered within a time limit or the test fails saying so
 * (a call that hangs is a finding, not a slow test).
 */
final class PgNetHost implements AutoCloseable {

  /** One answer and how long it took. */
  record Answer(String line, Duration took) {
    boolean ok() {
      return line.startsWith("ok ");
    }

    String value() {
      return line.substring(3);
    }
  }

  private final String label;
  private final Process process;
  private final Writer in;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private PgNetHost(String label, Process process, Path stderr) {
    this.label = label;
    this.process = process;
    this.stderr = stderr;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException e) {
        lines.add("err (stdout of " + label + " broke: " + e.getMessage() + ")");
      }
    }, "pgnet-" + label);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Starts a worker and waits until its keyring is open.
   *
   * @param ns the namespace to run it in, or null for the root namespace
   */
  static PgNetHost start(String label, NetworkNamespace ns, String url, String keyring, Path dir, String maxStaleness) {
    List<String> java = ChildJvm.command(List.of("-Xmx128m"), PgNetWorker.class.getName(), url, keyring,
        dir.resolve(label + ".mark").toString(), maxStaleness);
    ProcessBuilder pb = new ProcessBuilder(ns == null ? java : ns.command(java));
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().put("PG_NET_PASSWORD", TestStores.PASSWORD);
    Path err = dir.resolve(label + ".stderr");
    pb.redirectError(err.toFile());
    PgNetHost h;
    try {
      h = new PgNetHost(label, pb.start(), err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the worker " + label, e);
    }
    Answer ready = h.next(Duration.ofSeconds(60));
    if (!ready.line().equals("ok ready")) {
      h.close();
      fail(label + " did not open its keyring: " + ready.line() + h.stderrTail());
    }
    return h;
  }

  /** Sends one command; fails the test if no answer comes within {@code limit}. */
  Answer call(String command, Duration limit) {
    try {
      in.write(command + "\n");
      in.flush();
    } catch (IOException e) {
      fail(label + " is gone (" + e.getMessage() + ") before '" + abbreviated(command) + "'" + stderrTail());
    }
    return next(limit, command);
  }

  /** Sends one command that must succeed within 15 s; returns its value. */
  String ok(String command) {
    Answer a = call(command, Duration.ofSeconds(15));
    if (!a.ok()) {
      fail(label + ": '" + abbreviated(command) + "' failed: " + a.line() + stderrTail());
    }
    return a.value();
  }

  private Answer next(Duration limit) {
    return next(limit, "(start)");
  }

  private Answer next(Duration limit, String command) {
    long t0 = System.nanoTime();
    String l;
    try {
      l = lines.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (l == null) {
      fail(label + " did not answer '" + abbreviated(command) + "' within " + limit + (process.isAlive() ? ""
          : " (exited " + process.exitValue() + ")") + stderrTail());
    }
    return new Answer(l, took);
  }

  String label() {
    return label;
  }

  String stderrTail() {
    try {
      String s = Files.exists(stderr) ? Files.readString(stderr) : "";
      return s.isBlank() ? "" : "\n--- stderr of " + label + " ---\n" + s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "";
    }
  }

  private static String abbreviated(String command) {
    return command.length() > 40 ? command.substring(0, 40) + "..." : command;
  }

  @Override
  public void close() {
    try {
      in.write("quit\n");
      in.flush();
    } catch (IOException e) {
      // gone already
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
