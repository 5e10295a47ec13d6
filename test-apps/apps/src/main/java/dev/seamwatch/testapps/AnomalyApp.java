package dev.seamwatch.testapps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real application whose integrations change behaviour after a normal period, for the anomaly
 * tests: {@code AnomalyApp <scenario> [client]}. It serves its own upstream (a JDK HTTP server on
 * loopback) and uses an in-memory H2 database. The first {@code NORMAL} calls of a scenario are
 * normal (jittered, varied, deterministic); the calls after them carry the anomaly. It prints one
 * line per call, the same with and without the agent.
 *
 * <p>HTTP scenarios ({@code client} = {@code jdk} or {@code huc}): {@code size}, {@code shape},
 * {@code error}, {@code empty}, {@code latency}, {@code partial} (reads part of a large body, then
 * closes). JDBC scenarios: {@code rows}, {@code row-cap}, {@code db-empty}, {@code repeated},
 * {@code columns}, {@code columns-reused} (one prepared statement for the whole run).
 */
public final class AnomalyApp {

  static final int NORMAL = 60;
  static final int ANOMALOUS = 5;

  private static final Random RANDOM = new Random(42);
  private static final AtomicInteger CALL = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    String client = args.length > 1 ? args[1] : "jdk";
    switch (scenario) {
      case "readiness":
        readiness();
        return;
      case "rows":
      case "row-cap":
      case "db-empty":
      case "repeated":
      case "columns":
      case "columns-reused":
        database(scenario);
        return;
      default:
        http(scenario, client);
    }
  }

  // ---- Readiness: the same calls with and without timeouts, each pair on its own integration.

  private static void readiness() throws Exception {
    HttpServer[] servers = new HttpServer[4];
    String[] bases = new String[4];
    for (int i = 0; i < servers.length; i++) {
      servers[i] = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      servers[i].createContext(
          "/",
          exchange -> {
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(ok);
            }
          });
      servers[i].start();
      bases[i] = "http://127.0.0.1:" + servers[i].getAddress().getPort() + "/ping";
    }
    try {
      HttpClient bare = HttpClient.newHttpClient();
      HttpResponse<String> a =
          bare.send(
              HttpRequest.newBuilder(URI.create(bases[0])).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpClient careful =
          HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
      HttpResponse<String> b =
          careful.send(
              HttpRequest.newBuilder(URI.create(bases[1]))
                  .timeout(java.time.Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println("jdk bare=" + a.statusCode() + " careful=" + b.statusCode());
      HttpURLConnection plain = (HttpURLConnection) new URL(bases[2]).openConnection();
      HttpURLConnection bounded = (HttpURLConnection) new URL(bases[3]).openConnection();
      bounded.setConnectTimeout(2000);
      bounded.setReadTimeout(5000);
      System.out.println(
          "huc plain=" + plain.getResponseCode() + " bounded=" + bounded.getResponseCode());
      plain.getInputStream().close();
      bounded.getInputStream().close();
    } finally {
      for (HttpServer server : servers) {
        server.stop(0);
      }
    }
    for (String name : new String[] {"unbounded", "bounded"}) {
      try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:" + name, "sa", "");
          PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
        if (name.equals("bounded")) {
          statement.setQueryTimeout(5);
        }
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          System.out.println("jdbc " + name + "=" + result.getInt(1));
        }
      }
    }
    System.exit(0);
  }

  // ---- HTTP

  private static void http(String scenario, String client) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> answer(scenario, exchange));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    HttpClient jdk = HttpClient.newHttpClient();
    try {
      int total = NORMAL + ANOMALOUS;
      for (int i = 0; i < total; i++) {
        CALL.set(i);
        String url = base + "/orders/" + (1000 + i);
        if (scenario.equals("partial")) {
          System.out.println("call " + i + " " + readPart(client, jdk, url, i % 2 == 0 ? 100 : -1));
        } else {
          System.out.println("call " + i + " " + get(client, jdk, url));
        }
      }
    } finally {
      server.stop(0);
      System.exit(0);
    }
  }

  private static void answer(String scenario, HttpExchange exchange) throws IOException {
    int call =
        Integer.parseInt(exchange.getRequestURI().getPath().substring("/orders/".length())) - 1000;
    boolean anomalous = call >= NORMAL;
    String body;
    long delayMillis = 2 + Math.floorMod(call * 7919, 5);
    switch (scenario) {
      case "size":
        body = anomalous ? items(3000, call) : items(20 + Math.floorMod(call * 31, 10), call);
        break;
      case "shape":
        body =
            anomalous
                ? "{\"id\":" + call + ",\"state\":\"SHIPPED\",\"amount\":12.5,\"currency\":\"EUR\"}"
                : "{\"id\":"
                    + call
                    + ",\"status\":\"OPEN\",\"total\":"
                    + (call * 3)
                    + ",\"lines\":["
                    + "{\"sku\":\"a\",\"qty\":"
                    + call
                    + "}]}";
        break;
      case "error":
        body =
            anomalous
                ? "{\"errors\":[{\"message\":\"quota exceeded\",\"code\":429}]}"
                : "{\"data\":{\"order\":" + call + "},\"errors\":[]}";
        break;
      case "empty":
        body = anomalous ? "[]" : items(5 + Math.floorMod(call * 13, 6), call);
        break;
      case "latency":
        body = items(10, call);
        if (anomalous) {
          delayMillis = 600;
        }
        break;
      case "partial":
        body = items(2000, call);
        break;
      default:
        body = "{}";
    }
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String items(int count, int seed) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"sku\":\"item-")
          .append(seed)
          .append('-')
          .append(i)
          .append("\",\"qty\":")
          .append((seed + i) % 7)
          .append(",\"price\":")
          .append(10 + (seed * i) % 90)
          .append('}');
    }
    return b.append(']').toString();
  }

  private static String get(String client, HttpClient jdk, String url) throws Exception {
    if (client.equals("jdk")) {
      HttpResponse<String> response =
          jdk.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      return "status="
          + response.statusCode()
          + " sha="
          + sha(response.body().getBytes(StandardCharsets.UTF_8));
    }
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      return "status=" + status + " sha=" + sha(in.readAllBytes());
    }
  }

  /** Reads {@code limit} bytes of the body (all when negative), then closes it. */
  private static String readPart(String client, HttpClient jdk, String url, int limit)
      throws Exception {
    InputStream in;
    int status;
    if (client.equals("jdk")) {
      HttpResponse<InputStream> response =
          jdk.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      status = response.statusCode();
      in = response.body();
    } else {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      status = connection.getResponseCode();
      in = connection.getInputStream();
    }
    try (InputStream body = in) {
      byte[] read = limit < 0 ? body.readAllBytes() : body.readNBytes(limit);
      int first = read.length > 0 ? read[0] : -1;
      return "status=" + status + " read=" + read.length + " first=" + first + " sha=" + sha(read);
    }
  }

  private static String sha(byte[] bytes) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(digest[i] & 0xf, 16));
    }
    return hex.toString();
  }

  // ---- JDBC

  private static void database(String scenario) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:anomalies", "sa", "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE items (id INT PRIMARY KEY, category INT, name VARCHAR(40))");
        statement.execute(
            "INSERT INTO items SELECT x, MOD(x, 1000), CONCAT('item-', x) FROM SYSTEM_RANGE(1, 13000)");
      }
      // One statement for the whole run, as a service that keeps its prepared statements: H2
      // prepares it again after the ALTER TABLE, and the same statement returns the renamed
      // column (as many columns as before, one label changed).
      PreparedStatement reused =
          scenario.equals("columns-reused")
              ? connection.prepareStatement("SELECT * FROM items WHERE category = ?")
              : null;
      int total = NORMAL + ANOMALOUS;
      for (int i = 0; i < total; i++) {
        boolean anomalous = i >= NORMAL;
        String outcome;
        switch (scenario) {
          case "rows":
            // Normally one category (13 rows); then a range of them.
            outcome =
                query(
                    connection,
                    "SELECT id, name FROM items WHERE category BETWEEN ? AND ?",
                    i % 900,
                    anomalous ? i % 900 + 300 : i % 900);
            break;
          case "row-cap":
            outcome =
                query(
                    connection,
                    "SELECT id, name FROM items WHERE category BETWEEN ? AND ?",
                    i % 900,
                    anomalous ? 1000 : i % 900);
            break;
          case "db-empty":
            // Normally an existing category; then one past the end.
            outcome =
                query(
                    connection,
                    "SELECT id, name FROM items WHERE category BETWEEN ? AND ?",
                    anomalous ? 5000 : i % 900,
                    anomalous ? 5000 : i % 900);
            break;
          case "repeated":
            // A few lookups one by one, then a pause longer than the detection window, as a
            // service between requests; the last round looks up many in a row: the N+1 pattern.
            if (i % 8 != 7 && !anomalous) {
              continue;
            }
            int lookups = anomalous ? 25 : 3 + RANDOM.nextInt(4);
            int found = 0;
            for (int k = 0; k < lookups; k++) {
              found +=
                  count(
                      connection, "SELECT name FROM items WHERE id = ?", 1 + RANDOM.nextInt(13000));
            }
            outcome = "lookups=" + lookups + " found=" + found;
            Thread.sleep(anomalous ? 0 : 300);
            break;
          case "columns":
            if (i == NORMAL) {
              try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE items ADD COLUMN discount INT DEFAULT 0");
              }
            }
            outcome = query(connection, "SELECT * FROM items WHERE category = ?", i % 900, 0);
            break;
          case "columns-reused":
            if (i == NORMAL) {
              try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE items ALTER COLUMN name RENAME TO title");
              }
            }
            reused.setInt(1, i % 900);
            outcome = read(reused);
            break;
          default:
            throw new IllegalArgumentException(scenario);
        }
        System.out.println("call " + i + " " + outcome);
      }
    }
  }

  private static String query(Connection connection, String sql, int from, int to)
      throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, from);
      if (sql.indexOf('?') != sql.lastIndexOf('?')) {
        statement.setInt(2, to);
      }
      return read(statement);
    }
  }

  private static String read(PreparedStatement statement) throws Exception {
    int rows = 0;
    long sum = 0;
    try (ResultSet result = statement.executeQuery()) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        rows++;
        sum += result.getInt(1);
      }
      return "rows=" + rows + " sum=" + sum + " columns=" + columns;
    }
  }

  private static int count(Connection connection, String sql, int value) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, value);
      int rows = 0;
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows++;
        }
      }
      return rows;
    }
  }
}
