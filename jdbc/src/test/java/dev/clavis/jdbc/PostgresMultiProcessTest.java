package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers in separate JVMs (real processes, {@link PgWriterMain}) on one keyring: rotations from 4
 * processes at once are all kept; writers SIGKILLed at seeded random moments lose no acknowledged
 * rotation (every envelope a writer printed still decrypts) and leave no partial rotation.
 */
class PostgresMultiProcessTest {

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  /** A running writer and the envelopes it acknowledged. */
  private final class Writer {
    final Process process;
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final Thread reader;
    volatile boolean ready;

    Writer(int count) {
      process = ChildJvm.start(PgWriterMain.class, Map.of("PG_WRITER_PASSWORD", TestStores.PASSWORD), pgk.url,
          "main", marks.resolve("host.mark").toString(), "orders", Integer.toString(count));
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.equals("ready")) {
              ready = true;
            } else if (line.startsWith("ok ")) {
              acknowledged.add(line.substring(3));
            }
          }
        } catch (java.io.IOException e) {
          // the process was killed
        }
      });
      reader.start();
    }

    void await() throws Exception {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "writer did not finish");
      reader.join(5000);
      assertEquals(0, process.exitValue(), "writer failed");
    }

    void kill() throws Exception {
      process.destroyForcibly(); // SIGKILL
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(5000);
    }
  }

  private void assertAllDecrypt(Keyring k, List<String> envelopes) {
    for (String e : envelopes) {
      k.decrypt(HexFormat.of().parseHex(e), PgWriterMain.AAD);
    }
  }

  @Test
  void fourProcessesRotatingAtOnceLoseNoRotation() throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", dev.clavis.keyring.KeyAlgorithm.AES_256, dev.clavis.keyring.KeyPolicy.defaults());
    }
    List<Writer> ws = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ws.add(new Writer(8));
    }
    List<String> all = new ArrayList<>();
    for (Writer w : ws) {
      w.await();
      all.addAll(w.acknowledged);
    }
    assertEquals(32, all.size());
    try (Keyring k = pgk.keyring("main")) {
      assertEquals(33, k.find("orders").orElseThrow().versions().size());
      assertAllDecrypt(k, all);
      assertTrue(k.auditLog().verify() >= 33);
    }
  }

  @Test
  void writersKilledAtRandomMomentsLoseNoAcknowledgedRotation() throws Exception {
    int kills = Integer.getInteger("clavis.test.pgKills", 50);
    long seed = Long.getLong("clavis.test.seed", 20261207L);
    Random random = new Random(seed);
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", dev.clavis.keyring.KeyAlgorithm.AES_256, dev.clavis.keyring.KeyPolicy.defaults());
    }
    List<String> acknowledged = new ArrayList<>();
    int done = 0;
    while (done < kills) {
      Writer a = new Writer(0);
      Writer b = new Writer(0);
      long until = System.nanoTime() + 20_000_000_000L;
      while (!(a.ready && b.ready) && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(400));
      a.kill();
      Thread.sleep(random.nextInt(50));
      b.kill();
      done += 2;
      acknowledged.addAll(a.acknowledged);
      acknowledged.addAll(b.acknowledged);
    }
    try (Keyring k = pgk.keyring("main")) {
      int versions = k.find("orders").orElseThrow().versions().size();
      // each killed writer may have committed one rotation it could not acknowledge any more
      assertTrue(versions >= 1 + acknowledged.size() && versions <= 1 + acknowledged.size() + kills,
          versions + " versions, " + acknowledged.size() + " acknowledged, " + kills + " kills (seed " + seed + ")");
      assertEquals(Integer.toString(versions), pgk.psql("SELECT count(*) FROM clavis_key_version"));
      assertAllDecrypt(k, acknowledged);
      assertTrue(k.auditLog().verify() >= versions);
    }
    assertTrue(acknowledged.size() > 0, "no writer got a rotation acknowledged before it was killed");
  }
}
