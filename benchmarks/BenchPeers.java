import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The peers of the macro benchmark (benchmarks/run), in their own JVM, on loopback:
 *
 * <ul>
 *   <li>an OTLP/HTTP receiver ({@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs},
 *       protobuf, gzip or not) that decodes every request's protobuf wire format down to the
 *       spans, metrics and log records and counts them; a request that does not decode is
 *       answered 400 and counted as malformed. {@code GET /stats} answers the counts, {@code POST
 *       /reset} zeroes them;
 *   <li>the upstream the HTTP workloads call: {@code GET /items/<n>} answers a small JSON object.
 * </ul>
 *
 * <p>Each on its own server and threads, so that export load does not queue behind the
 * workload's calls. Prints {@code PEERS otlp=<port> http=<port>} when both listen.
 */
public final class BenchPeers {

  private static final AtomicLong SPANS = new AtomicLong();
  private static final AtomicLong METRICS = new AtomicLong();
  private static final AtomicLong LOGS = new AtomicLong();
  private static final AtomicLong REQUESTS = new AtomicLong();
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicLong MALFORMED = new AtomicLong();

  public static void main(String[] args) throws Exception {
    // Without it the JDK server leaves Nagle on, and each small response waits for a delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    HttpServer otlp = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    otlp.setExecutor(Executors.newFixedThreadPool(2));
    otlp.createContext("/v1/traces", exchange -> receive(exchange, SPANS));
    otlp.createContext("/v1/metrics", exchange -> receive(exchange, METRICS));
    otlp.createContext("/v1/logs", exchange -> receive(exchange, LOGS));
    otlp.createContext(
        "/stats",
        exchange ->
            answer(
                exchange,
                200,
                String.format(
                    "spans=%d metrics=%d logs=%d requests=%d bytes=%d malformed=%d%n",
                    SPANS.get(),
                    METRICS.get(),
                    LOGS.get(),
                    REQUESTS.get(),
                    BYTES.get(),
                    MALFORMED.get())));
    otlp.createContext(
        "/reset",
        exchange -> {
          for (AtomicLong counter : new AtomicLong[] {SPANS, METRICS, LOGS, REQUESTS, BYTES, MALFORMED}) {
            counter.set(0);
          }
          answer(exchange, 200, "ok\n");
        });
    otlp.start();

    HttpServer http = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(2));
    http.createContext(
        "/items/",
        exchange -> {
          String id = exchange.getRequestURI().getPath().substring("/items/".length());
          answer(exchange, 200, "{\"id\":" + id + ",\"name\":\"widget\",\"price\":12.5}");
        });
    http.start();
    System.out.println(
        "PEERS otlp=" + otlp.getAddress().getPort() + " http=" + http.getAddress().getPort());
    System.out.flush();
  }

  private static void receive(HttpExchange exchange, AtomicLong counter) throws IOException {
    try (InputStream raw = exchange.getRequestBody()) {
      byte[] body = raw.readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      REQUESTS.incrementAndGet();
      BYTES.addAndGet(body.length);
      long items;
      try {
        items = countLeaves(body);
      } catch (RuntimeException malformed) {
        MALFORMED.incrementAndGet();
        answer(exchange, 400, "malformed: " + malformed.getMessage());
        return;
      }
      counter.addAndGet(items);
      // An empty Export*ServiceResponse: zero bytes of protobuf, full success.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    } finally {
      exchange.close();
    }
  }

  /**
   * The three OTLP export requests share one shape: field 1 repeats the resource-level message
   * (ResourceSpans, ResourceMetrics, ResourceLogs), whose field 2 repeats the scope-level message,
   * whose field 2 repeats the items (Span, Metric, LogRecord). Counts the items, walking the wire
   * format (every field of every level is parsed, so a malformed message throws).
   */
  static long countLeaves(byte[] body) {
    long count = 0;
    Wire request = new Wire(body, 0, body.length);
    while (request.next()) {
      if (request.field == 1 && request.type == 2) {
        Wire resource = request.message();
        while (resource.next()) {
          if (resource.field == 2 && resource.type == 2) {
            Wire scope = resource.message();
            while (scope.next()) {
              if (scope.field == 2 && scope.type == 2) {
                Wire item = scope.message();
                while (item.next()) {
                  // parsed for validity only
                }
                count++;
              }
            }
          }
        }
      }
    }
    return count;
  }

  /** A cursor over the fields of one protobuf message. */
  static final class Wire {
    private final byte[] bytes;
    private int position;
    private final int end;
    int field;
    int type;
    private int valueStart;
    private int valueEnd;

    Wire(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean next() {
      if (position >= end) {
        return false;
      }
      long key = varint();
      field = (int) (key >>> 3);
      type = (int) (key & 7);
      if (field == 0) {
        throw new IllegalArgumentException("field number 0 at " + position);
      }
      switch (type) {
        case 0:
          varint();
          break;
        case 1:
          skip(8);
          break;
        case 2:
          long length = varint();
          if (length < 0 || length > end - position) {
            throw new IllegalArgumentException("length " + length + " past the end at " + position);
          }
          valueStart = position;
          skip((int) length);
          valueEnd = position;
          break;
        case 5:
          skip(4);
          break;
        default:
          throw new IllegalArgumentException("wire type " + type + " at " + position);
      }
      return true;
    }

    Wire message() {
      return new Wire(bytes, valueStart, valueEnd);
    }

    private void skip(int n) {
      if (n > end - position) {
        throw new IllegalArgumentException("truncated at " + position);
      }
      position += n;
    }

    private long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("truncated varint at " + position);
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long at " + position);
    }
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    exchange.close();
  }
}
