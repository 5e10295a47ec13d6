package dev.seamwatch.e2e.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP upstream for the HTTP client tests. It records every request and answers by path:
 * {@code /status/{code}}, {@code /delay/{ms}}, {@code /bytes/{n}} (with Content-Length), {@code
 * /chunked/{n}}, {@code /redirect/<path>} (302 to {@code /<path>}), {@code /json}, {@code
 * /json-error} (200 with an {@code errors} body), {@code /echo} (the request body's length);
 * anything else gets 200 "ok".
 */
public final class Upstream implements AutoCloseable {
  private static final byte[] FILL = new byte[8192];

  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private final String scheme;

  private Upstream(SelfSignedCertificate certificate) throws IOException {
    // Enough threads that slow /delay calls do not queue the fast ones behind them.
    if (certificate == null) {
      server = Loopback.httpServer("upstream", 16, this::handle);
      scheme = "http";
    } else {
      server = Loopback.httpsServer("upstream-tls", 16, this::handle, certificate.serverContext());
      scheme = "https";
    }
  }

  public static Upstream start() {
    return start(null);
  }

  /** The same upstream over TLS (HTTP/1.1), presenting {@code certificate}. */
  public static Upstream startTls(SelfSignedCertificate certificate) {
    return start(certificate);
  }

  private static Upstream start(SelfSignedCertificate certificate) {
    try {
      return new Upstream(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the upstream server", e);
    }
  }

  public String baseUrl() {
    return scheme + "://" + Loopback.HOST + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public RecordedRequest awaitRequest(Predicate<RecordedRequest> filter, Duration timeout) {
    return Await.until(
        () -> requests.stream().filter(filter).findFirst().orElse(null),
        timeout,
        () -> "no matching request within " + timeout + "; received: " + requests);
  }

  @Override
  public void close() {
    Loopback.stop(server);
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      long bodyBytes = exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      String path = exchange.getRequestURI().getPath();
      // Recorded before answering, so a client that has its response can already see it here.
      requests.add(record(exchange, path, bodyBytes));
      try {
        respond(exchange, path, bodyBytes);
      } catch (NumberFormatException badPath) {
        exchange.sendResponseHeaders(400, -1);
      }
    } catch (IOException clientGaveUp) {
      // Clients under test time out and disconnect on purpose.
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
    }
  }

  private static RecordedRequest record(HttpExchange exchange, String path, long bodyBytes) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    return new RecordedRequest(
        exchange.getRequestMethod(),
        path,
        exchange.getRequestURI().getRawQuery(),
        Collections.unmodifiableMap(headers),
        bodyBytes);
  }

  private static void respond(HttpExchange exchange, String path, long bodyBytes)
      throws IOException, InterruptedException {
    if (path.startsWith("/status/")) {
      int code = (int) number(path, "/status/");
      send(exchange, code, "status " + code, "text/plain");
    } else if (path.startsWith("/delay/")) {
      Thread.sleep(number(path, "/delay/"));
      send(exchange, 200, "ok", "text/plain");
    } else if (path.startsWith("/bytes/")) {
      long n = number(path, "/bytes/");
      exchange.sendResponseHeaders(200, n == 0 ? -1 : n);
      fill(exchange.getResponseBody(), n);
    } else if (path.startsWith("/chunked/")) {
      exchange.sendResponseHeaders(200, 0);
      fill(exchange.getResponseBody(), number(path, "/chunked/"));
    } else if (path.startsWith("/redirect/")) {
      // One hop to the path after the prefix: /redirect/json answers 302 to /json.
      exchange.getResponseHeaders().set("Location", path.substring("/redirect".length()));
      send(exchange, 302, "moved", "text/plain");
    } else if (path.equals("/json")) {
      send(exchange, 200, "{\"id\":1,\"name\":\"x\"}", "application/json");
    } else if (path.equals("/json-error")) {
      // A 200 whose body says the call failed.
      send(exchange, 200, "{\"errors\":[{\"message\":\"quota exceeded\"}]}", "application/json");
    } else if (path.equals("/echo")) {
      send(exchange, 200, Long.toString(bodyBytes), "text/plain");
    } else {
      send(exchange, 200, "ok", "text/plain");
    }
  }

  private static long number(String path, String prefix) {
    return Long.parseLong(path.substring(prefix.length()));
  }

  private static void send(HttpExchange exchange, int code, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    // HEAD, 204 and 304 answers must not carry a body; -1 is how HttpServer says so.
    boolean bodiless = exchange.getRequestMethod().equals("HEAD") || code == 204 || code == 304;
    exchange.sendResponseHeaders(code, bodiless ? -1 : bytes.length);
    if (!bodiless) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static void fill(OutputStream out, long n) throws IOException {
    for (long left = n; left > 0; left -= FILL.length) {
      out.write(FILL, 0, (int) Math.min(left, FILL.length));
    }
  }
}
