package dev.seamwatch.testapps;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

/**
 * A service that calls many distinct URLs and runs many distinct SQL strings, for the cardinality
 * test: {@code CardinalityApp <calls>}. Each URL path and each SQL text is new (letters only, so
 * that no templating folds them together). It prints the heap used after a full GC once the first
 * tenth of the calls is done and again at the end, in KiB: an agent that kept something per
 * distinct URL or statement would grow between the two.
 */
public final class CardinalityApp {

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args[0]);
    // Without it, each small response waits for the client's delayed acknowledgement (~40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/",
        exchange -> {
          byte[] ok = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(ok);
          }
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    long early = 0;
    Callable<Object> settle =
        () -> {
          HttpURLConnection http =
              (HttpURLConnection) new URL(base + "/settle/results").openConnection();
          try (InputStream in = http.getInputStream()) {
            in.readAllBytes();
          }
          try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:many", "sa", "");
              Statement statement = connection.createStatement();
              ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
          }
          return null;
        };
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:many", "sa", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
      statement.execute("INSERT INTO items VALUES (1, 'one')");
      for (int i = 0; i < calls; i++) {
        String word = letters(i);
        HttpURLConnection http =
            (HttpURLConnection) new URL(base + "/search/" + word + "/results").openConnection();
        try (InputStream in = http.getInputStream()) {
          in.readAllBytes();
        }
        try (ResultSet result =
            statement.executeQuery(
                "SELECT name AS n_" + word + " FROM items WHERE name <> '" + word + "'")) {
          result.next();
        }
        if (i + 1 == calls / 10) {
          early = heapAfterGc(settle);
        }
      }
    }
    long end = heapAfterGc(settle);
    server.stop(0);
    System.out.println("calls=" + calls + " heapEarlyKiB=" + early + " heapEndKiB=" + end);
    System.exit(0);
  }

  /** The number in letters g to p: never numeric, never hexadecimal. */
  private static String letters(int i) {
    String digits = Integer.toString(i);
    StringBuilder word = new StringBuilder(digits.length());
    for (int k = 0; k < digits.length(); k++) {
      word.append((char) ('g' + (digits.charAt(k) - '0')));
    }
    return word.toString();
  }

  /**
   * The heap used after full GCs, in KiB. Between them the service makes one more call of each kind
   * (the same URL and SQL every time, so no new key): a map of calls by weakly held request or
   * statement objects (an agent's, or a library's) learns of the objects a GC collected only when
   * it is next written, so until then it still holds their calls, an eden's worth of them. Without
   * the call, single readings moved by ±6 MiB with when the last young GC happened. What a leak
   * keeps stays in every reading; the least one is returned.
   */
  private static long heapAfterGc(Callable<?> call) throws Exception {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      call.call();
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least / 1024;
  }
}
