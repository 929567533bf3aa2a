package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkNamespaceTest {

  @Test
  void aProcessInTheNamespaceReachesTheServerOnlyWhileTheLinkIsUpAndNothingIsLeftAfterClose() throws Exception {
    Postgres pg = Postgres.require();
    String name;
    String hostEnd;
    try (NetworkNamespace ns = NetworkNamespace.create()) {
      name = ns.name();
      hostEnd = "cvh" + name.substring("clavis-".length());
      pg.allowHost(ns.hostAddress(), ns.subnet());
      assertTrue(ns.subnet().endsWith("/30"), ns.subnet());
      assertEquals(0, tcp(ns, ns.hostAddress(), pg.port()), "the server through the link");
      assertFalse(tcp(ns, "127.0.0.1", pg.port()) == 0, "the root namespace's loopback is not the namespace's");
      ns.cutLink();
      assertFalse(tcp(ns, ns.hostAddress(), pg.port()) == 0, "the link is cut");
      ns.restoreLink();
      assertEquals(0, tcp(ns, ns.hostAddress(), pg.port()), "the link is back");
    }
    assertFalse(run(List.of("ip", "netns", "list")).contains(name), "namespace deleted");
    assertFalse(run(List.of("ip", "-o", "link", "show")).contains(hostEnd), "veth deleted");
    String db = pg.createDatabase();
    pg.restart(); // the address the server also listened on is gone: it starts on the others
    assertEquals("1", pg.psql(db, "SELECT 1"));
  }

  /** @return the exit code of a 2-second TCP connect from inside the namespace (0: connected) */
  private static int tcp(NetworkNamespace ns, String host, int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(ns.command(List.of("timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + host + "/" + port))).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return p.exitValue();
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
