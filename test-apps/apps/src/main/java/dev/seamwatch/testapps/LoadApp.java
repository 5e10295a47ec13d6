package dev.seamwatch.testapps;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A burst of calls from several threads at once, for the load tests: {@code LoadApp <threads>
 * <calls per thread>}, each a GET of {@code /load} on its own loopback server. Prints the number of
 * calls that succeeded.
 */
public final class LoadApp {

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int perThread = Integer.parseInt(args[1]);
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.createContext(
        "/load",
        exchange -> {
          byte[] ok = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(ok);
          }
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/load";
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                  HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
                  connection.setConnectTimeout(5000);
                  connection.setReadTimeout(5000);
                  try (InputStream in = connection.getInputStream()) {
                    in.readAllBytes();
                    ok++;
                  }
                }
                return ok;
              }));
    }
    int ok = 0;
    for (Future<Integer> result : results) {
      ok += result.get();
    }
    pool.shutdown();
    server.stop(0);
    System.out.println("calls ok=" + ok);
    System.exit(0);
  }
}
