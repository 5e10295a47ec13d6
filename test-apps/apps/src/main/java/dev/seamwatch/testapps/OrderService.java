package dev.seamwatch.testapps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The demo: an order service with the integrations a real one has, started here on loopback so that
 * the demo needs no install: a pricing API and a payments API (real HTTP servers), an orders
 * database (H2 behind a HikariCP pool) and an order-events queue (an embedded ActiveMQ Artemis
 * broker, spoken to over TCP with the Jakarta JMS client).
 *
 * <p>It takes 150 orders. Partway through, its dependencies start misbehaving the way they do in
 * production, and the integration report at exit shows what Seamwatch is for:
 *
 * <ul>
 *   <li>the pricing API starts answering {@code 200 OK} with an error body (a rate limit);
 *   <li>the "customer history" query's rows explode when a wholesale customer appears;
 *   <li>an order-event message grows fifty-fold (someone attached the whole cart);
 *   <li>the payments client was written with no timeouts, and the order lines are read one query
 *       per line (N+1).
 * </ul>
 */
public final class OrderService {

  private static final int ORDERS = 150;
  private static final int TROUBLE_FROM = 110;
  private static final AtomicBoolean RATE_LIMITED = new AtomicBoolean();

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer partners = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partners.setExecutor(Executors.newFixedThreadPool(4));
    partners.createContext("/prices/", OrderService::price);
    partners.createContext(
        "/payments",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          boolean declined = exchange.getRequestURI().getPath().endsWith("7");
          respond(
              exchange,
              declined ? 402 : 201,
              declined ? "{\"error\":\"card declined\"}" : "{\"status\":\"captured\"}");
        });
    partners.start();
    String base = "http://127.0.0.1:" + partners.getAddress().getPort();

    int brokerPort = freePort();
    EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    broker.setConfiguration(
        new ConfigurationImpl()
            .setPersistenceEnabled(false)
            .setSecurityEnabled(false)
            .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort));
    broker.start();

    HikariConfig poolConfig = new HikariConfig();
    poolConfig.setJdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
    poolConfig.setUsername("sa");
    poolConfig.setPassword("");
    poolConfig.setMaximumPoolSize(4);
    poolConfig.setPoolName("orders-pool");

    HttpClient pricing = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Random random = new Random(7);
    int priced = 0;
    int rateLimited = 0;
    int declined = 0;
    long historyRows = 0;
    try (HikariDataSource pool = new HikariDataSource(poolConfig);
        ActiveMQConnectionFactory factory =
            new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        JMSContext jms = factory.createContext()) {
      createSchema(pool);
      Queue events = jms.createQueue("order-events");
      JMSProducer producer = jms.createProducer();
      for (int order = 1; order <= ORDERS; order++) {
        boolean trouble = order >= TROUBLE_FROM;
        RATE_LIMITED.set(trouble);
        String sku = "SKU-" + (100 + random.nextInt(40));
        HttpResponse<String> price =
            pricing.send(
                HttpRequest.newBuilder(URI.create(base + "/prices/" + sku))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (price.body().contains("\"error\"")) {
          rateLimited++;
        } else {
          priced++;
        }
        int customer = trouble && order % 10 == 0 ? 1 : 2 + random.nextInt(300);
        historyRows += saveOrder(pool, order, customer, 1 + random.nextInt(4));
        if (payment(base + "/payments/" + order) >= 400) {
          declined++;
        }
        StringBuilder event = new StringBuilder("{\"order\":" + order + ",\"sku\":\"" + sku + "\"");
        if (trouble && order % 10 == 5) {
          event.append(",\"cart\":\"").append("x".repeat(60_000)).append('"');
        }
        producer.send(events, event.append('}').toString());
        Thread.sleep(40);
      }
    } finally {
      broker.stop();
      partners.stop(0);
    }
    System.out.println(
        "order service done: "
            + ORDERS
            + " orders, "
            + priced
            + " priced, "
            + rateLimited
            + " rate-limited by pricing (with 200 OK), "
            + declined
            + " payments declined, "
            + historyRows
            + " customer history rows read");
    System.exit(0);
  }

  /** Normally a price; once the rate limit starts, 200 OK with an error body. */
  private static void price(HttpExchange exchange) throws IOException {
    String sku = exchange.getRequestURI().getPath().substring("/prices/".length());
    sleep(3);
    respond(
        exchange,
        200,
        RATE_LIMITED.get()
            ? "{\"error\":{\"code\":\"RATE_LIMITED\",\"retryAfter\":30}}"
            : "{\"sku\":\""
                + sku
                + "\",\"price\":"
                + (sku.hashCode() % 90 + 10)
                + ",\"currency\":\"EUR\"}");
  }

  private static void createSchema(HikariDataSource pool) throws Exception {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(5);
      statement.execute(
          "CREATE TABLE orders (id INT PRIMARY KEY, customer INT, total DECIMAL(10,2))");
      statement.execute("CREATE TABLE order_lines (order_id INT, line INT, sku VARCHAR(20))");
      // A wholesale customer with years of history.
      statement.execute("INSERT INTO orders SELECT 100000 + x, 1, x FROM SYSTEM_RANGE(1, 20000)");
    }
  }

  /** Saves the order, reads its lines back one query per line, and the customer's history. */
  private static long saveOrder(HikariDataSource pool, int order, int customer, int lines)
      throws Exception {
    try (Connection connection = pool.getConnection()) {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
        insert.setQueryTimeout(5);
        insert.setInt(1, order);
        insert.setInt(2, customer);
        insert.setInt(3, order * 7 % 200);
        insert.executeUpdate();
      }
      try (PreparedStatement line =
          connection.prepareStatement("INSERT INTO order_lines VALUES (?, ?, ?)")) {
        line.setQueryTimeout(5);
        for (int i = 1; i <= lines; i++) {
          line.setInt(1, order);
          line.setInt(2, i);
          line.setString(3, "SKU-" + i);
          line.addBatch();
        }
        line.executeBatch();
      }
      // The N+1: one query per line, where one query for the order would do.
      try (PreparedStatement byLine =
          connection.prepareStatement(
              "SELECT sku FROM order_lines WHERE order_id = ? AND line = ?")) {
        byLine.setQueryTimeout(5);
        for (int i = 1; i <= (order % 25 == 0 ? 12 : lines); i++) {
          byLine.setInt(1, order);
          byLine.setInt(2, i);
          try (ResultSet row = byLine.executeQuery()) {
            row.next();
          }
        }
      }
      long rows = 0;
      try (PreparedStatement history =
          connection.prepareStatement("SELECT id, total FROM orders WHERE customer = ?")) {
        history.setQueryTimeout(5);
        history.setInt(1, customer);
        try (ResultSet result = history.executeQuery()) {
          while (result.next()) {
            rows++;
          }
        }
      }
      return rows;
    }
  }

  /** The payments client: written in a hurry, with no timeouts at all. */
  private static int payment(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    byte[] body = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);
    connection.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    try (InputStream in =
        status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
