package dev.clavis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 in front of a server, for tests that must lose a connection at a
 * chosen moment: {@link #cutAll()} resets every forwarded connection at once (the client sees its
 * socket fail, the server sees its client gone, neither is told anything else), and
 * {@link #refuseNew(boolean)} turns new connections away, as a network that has just failed, and
 * {@link #silence(boolean)} drops every byte of the connections forwarded (neither side is told: a
 * cut cable, or a NAT that forgot them). {@link #bytesToClients()} counts what the server sent, for
 * tests of how much a client downloads.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to("127.0.0.1", pg.port())) {
 *   String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/db";
 *   ...
 *   proxy.cutAll();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;
  private volatile boolean silent;
  private volatile boolean closed;
  private final AtomicLong toClients = new AtomicLong();

  private TcpProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /**
   * @param host the server's host
   * @param port the server's port
   * @return a running proxy on a free port of 127.0.0.1
   * @throws IOException if no port can be bound
   */
  public static TcpProxy to(String host, int port) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    TcpProxy p = new TcpProxy(s, new InetSocketAddress(host, port));
    Thread t = new Thread(p::accept, "tcp-proxy-" + s.getLocalPort());
    t.setDaemon(true);
    t.start();
    return p;
  }

  /** @return the port to connect to instead of the server's */
  public int port() {
    return server.getLocalPort();
  }

  /** Resets every connection forwarded now (RST both ways); new ones are forwarded as before. */
  public void cutAll() {
    for (Socket s : open) {
      reset(s);
    }
    open.clear();
  }

  /** @param refuse whether new connections are closed at once instead of forwarded */
  public void refuseNew(boolean refuse) {
    refusing = refuse;
  }

  /** @return how many bytes the server has sent to the clients through this proxy so far */
  public long bytesToClients() {
    return toClients.get();
  }

  /** @param silence whether the bytes of forwarded connections are dropped instead of delivered */
  public void silence(boolean silence) {
    silent = silence;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    cutAll();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (refusing) {
        reset(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5000);
      } catch (IOException e) {
        reset(client);
        continue;
      }
      open.add(client);
      open.add(upstream);
      pump(client, upstream, new AtomicLong());
      pump(upstream, client, toClients);
    }
  }

  private void pump(Socket from, Socket to, AtomicLong count) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!silent) {
            out.write(buf, 0, n);
            out.flush();
            count.addAndGet(n);
          }
        }
      } catch (IOException e) {
        // one side is gone: so is the other
      } finally {
        reset(from);
        reset(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST, as a failed network or a killed peer
    } catch (SocketException e) {
      // already closed
    }
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
