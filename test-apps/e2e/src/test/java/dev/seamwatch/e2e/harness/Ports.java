package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Loopback ports picked at run time, for peers the tests start and for connection failures. */
public final class Ports {
  private Ports() {}

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(Loopback.HOST, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
  }

  /** Sockets that hold the ports {@link #refusedPort} handed out, for the test JVM's life. */
  private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

  /**
   * A port on 127.0.0.1 where every connection attempt is refused while the tests run. A port that
   * was merely free a moment ago can be handed out again to a server a later test starts (one test
   * class reused such a port for half a minute, and a collector started meanwhile answered its
   * "refused" request with 404): the port is held by a socket bound to it that never listens, so no
   * server can take it and the kernel refuses every connection to it.
   */
  public static int refusedPort() {
    Socket held = new Socket();
    try {
      held.bind(new InetSocketAddress(Loopback.HOST, 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port", e);
    }
    int port = held.getLocalPort();
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(Loopback.HOST, port), 1000);
      throw new AssertionError("a connection to held port " + port + " was accepted");
    } catch (ConnectException refused) {
      HELD.add(held);
      return port;
    } catch (IOException other) {
      throw new AssertionError("a connection to held port " + port + " failed oddly: " + other);
    }
  }
}
