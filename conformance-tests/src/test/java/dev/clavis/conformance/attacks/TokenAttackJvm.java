package dev.clavis.conformance.attacks;

import dev.clavis.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A worker of the token attacks in a JVM of its own (a separate PKCS#11 application: its own
 * login state, its own sessions), with the test class path and the test JVM's environment
 * (SOFTHSM2_CONF, so it sees the same token). Its standard output is collected line by line.
 */
final class TokenAttackJvm {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private TokenAttackJvm(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          lines.add(l);
        }
      } catch (IOException e) {
        lines.add("IO " + e);
      }
    });
    reader.start();
  }

  static TokenAttackJvm start(Class<?> main, String... args) throws IOException {
    List<String> cmd = ChildJvm.command(List.of("-Xmx128m"), main.getName(), args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().remove("CLAVIS_PASSWORD");
    return new TokenAttackJvm(pb.start());
  }

  /** @return whether a line starting with {@code prefix} arrived within the time */
  boolean await(String prefix, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
        return true;
      }
      if (!process.isAlive() && !reader.isAlive()) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** Waits for the exit. @return the exit code */
  int finish(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join(2000);
      throw new AssertionError("worker did not finish in " + seconds + " s; output: " + lines);
    }
    reader.join(5000);
    return process.exitValue();
  }

  /** @return the output lines so far */
  List<String> lines() {
    return List.copyOf(lines);
  }
}
