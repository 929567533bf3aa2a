package dev.clavis.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second "host" on this machine: a Linux network namespace joined to the root namespace by a
 * veth pair on a private /30 ({@code 10.213.x.y}: the root end is {@link #hostAddress()}, the
 * namespace's end {@link #namespaceAddress()}). Processes started through {@link #command} see
 * only that link (and a loopback that is down), as a separate machine on a cable would; taking
 * the link down ({@link #cutLink}) drops their packets without a reset, as a pulled cable does;
 * {@link #dropSilently} loses them further away, as a dead switch does.
 *
 * <pre>{@code
 * try (NetworkNamespace ns = NetworkNamespace.create()) {
 *   Process p = new ProcessBuilder(ns.command(ChildJvm.command(Main.class.getName()))).start();
 *   ns.cutLink();      // the network is gone
 *   ns.restoreLink();  // and back
 * }                    // the namespace and the veth pair are deleted
 * }</pre>
 *
 * <p>Needs root (or CAP_NET_ADMIN) and the {@code ip} tool (iproute2). Without them it fails with
 * {@code ip}'s own message: a test that needs a second host must not pass without one.
 */
public final class NetworkNamespace implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final String hostEnd;
  private final String namespaceEnd;
  private final String hostAddress;
  private final String namespaceAddress;
  private boolean closed;

  private NetworkNamespace(String tag, int third, int fourth) {
    this.name = "clavis-" + tag;
    this.hostEnd = "cvh" + tag;
    this.namespaceEnd = "cvn" + tag;
    this.hostAddress = "10.213." + third + "." + (fourth + 1);
    this.namespaceAddress = "10.213." + third + "." + (fourth + 2);
  }

  /**
   * Creates the namespace, the veth pair and the /30 between them, both ends up.
   *
   * @return the namespace
   * @throws IllegalStateException with {@code ip}'s message if any step fails (everything made so far is deleted)
   */
  public static NetworkNamespace create() {
    byte[] r = new byte[3];
    RANDOM.nextBytes(r);
    String tag = HexFormat.of().formatHex(r); // interface names: 3 + 6 characters, under IFNAMSIZ
    String used = ip("-4", "-o", "addr", "show");
    int third = RANDOM.nextInt(256);
    int fourth = RANDOM.nextInt(64) * 4;
    for (int i = 0; used.contains("10.213." + third + "."); i++) {
      if (i > 50) {
        throw new IllegalStateException("no free /30 under 10.213.0.0/16 for a test network namespace");
      }
      third = RANDOM.nextInt(256);
    }
    NetworkNamespace ns = new NetworkNamespace(tag, third, fourth);
    try {
      ns.setUp();
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  private void setUp() {
    ip("netns", "add", name);
    ip("link", "add", hostEnd, "type", "veth", "peer", "name", namespaceEnd);
    ip("link", "set", namespaceEnd, "netns", name);
    ip("addr", "add", hostAddress + "/30", "dev", hostEnd);
    ip("link", "set", hostEnd, "up");
    ip("-n", name, "addr", "add", namespaceAddress + "/30", "dev", namespaceEnd);
    ip("-n", name, "link", "set", namespaceEnd, "up");
  }

  /** @return the namespace's name (for {@code ip netns exec}) */
  public String name() {
    return name;
  }

  /** @return the root namespace's address on the link (where a server for the namespace listens) */
  public String hostAddress() {
    return hostAddress;
  }

  /** @return the namespace's own address on the link */
  public String namespaceAddress() {
    return namespaceAddress;
  }

  /** @return the link's subnet, {@code 10.213.x.y/30} (for an access rule such as pg_hba) */
  public String subnet() {
    String[] p = hostAddress.split("\\.");
    return p[0] + "." + p[1] + "." + p[2] + "." + (Integer.parseInt(p[3]) - 1) + "/30";
  }

  /**
   * @param command a command line
   * @return it, run inside the namespace ({@code ip netns exec NAME command...})
   */
  public List<String> command(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(command);
    return cmd;
  }

  /**
   * The network is gone: the root end of the link goes down. The namespace's end loses its
   * carrier and keeps its address and route, so its packets are dropped silently: no reset, no
   * "unreachable", established connections just stop answering.
   */
  public void cutLink() {
    ip("link", "set", hostEnd, "down");
  }

  /** The network is back: the root end of the link comes up again. */
  public void restoreLink() {
    ip("link", "set", hostEnd, "up");
  }

  /**
   * The network is gone further away, as across a dead switch: the link stays up with its carrier,
   * but each end sends its frames to a hardware address nobody has (a permanent neighbour entry),
   * so the other end discards them. Unlike {@link #cutLink}, the sender's kernel sees every packet
   * leave: TCP retransmits with its usual back-off (200 ms, 400 ms, ... doubling), as it would for
   * a far failure.
   */
  public void dropSilently() {
    ip("-n", name, "neigh", "replace", hostAddress, "lladdr", NOBODY, "dev", namespaceEnd, "nud", "permanent");
    ip("neigh", "replace", namespaceAddress, "lladdr", NOBODY, "dev", hostEnd, "nud", "permanent");
  }

  /** Undoes {@link #dropSilently}: the neighbour entries are removed and learnt again by ARP. */
  public void stopDropping() {
    ip("-n", name, "neigh", "del", hostAddress, "dev", namespaceEnd);
    ip("neigh", "del", namespaceAddress, "dev", hostEnd);
  }

  /** A locally administered unicast address no interface here has. */
  private static final String NOBODY = "02:00:5e:c1:a0:01";

  /** Deletes the veth pair and the namespace (processes still inside lose their network). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<String> problems = new ArrayList<>();
    try {
      ip("link", "del", hostEnd); // deletes both ends
    } catch (IllegalStateException e) {
      if (!e.getMessage().contains("Cannot find device")) {
        problems.add(e.getMessage());
      }
    }
    try {
      ip("netns", "del", name);
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("could not delete the test network namespace " + name + ": "
          + String.join("; ", problems));
    }
  }

  @Override
  public String toString() {
    return "network namespace " + name + " (" + namespaceAddress + " <-> " + hostAddress + ")";
  }

  private static String ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text.trim()
            + " (a test network namespace needs root or CAP_NET_ADMIN and iproute2's ip)");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run ip (iproute2) for a test network namespace: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    }
  }
}
