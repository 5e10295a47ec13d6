package dev.seamwatch.e2e.harness;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** Starts and stops the JDK HTTP servers the harness binds to 127.0.0.1. */
final class Loopback {
  static final String HOST = "127.0.0.1";

  static {
    // The JDK reads this once, when the first HttpServer is created; without it every response
    // waits on a delayed ACK (about 40 ms) and every latency the tests see is wrong.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private Loopback() {}

  static HttpServer httpServer(String name, int threads, HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(HOST, 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(threads, daemonThreads(name)));
    server.createContext("/", handler);
    server.start();
    return server;
  }

  static HttpsServer httpsServer(String name, int threads, HttpHandler handler, SSLContext tls)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(HOST, 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newFixedThreadPool(threads, daemonThreads(name)));
    server.createContext("/", handler);
    server.start();
    return server;
  }

  static void stop(HttpServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService executor) {
      executor.shutdownNow();
    }
  }

  /** Daemon threads, so that a server a test forgot to close never keeps the test JVM alive. */
  static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
