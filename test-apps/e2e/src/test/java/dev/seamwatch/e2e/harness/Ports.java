package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

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

  /** A port on 127.0.0.1 where a connection attempt is refused right now. */
  public static int refusedPort() {
    for (int attempt = 0; attempt < 10; attempt++) {
      int port = freePort();
      // Another process may grab the port between close and use; only a checked refusal counts.
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(Loopback.HOST, port), 1000);
      } catch (ConnectException refused) {
        return port;
      } catch (IOException other) {
        continue;
      }
    }
    throw new AssertionError("found no refused loopback port in 10 attempts");
  }
}
