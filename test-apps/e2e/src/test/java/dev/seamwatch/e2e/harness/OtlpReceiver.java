package dev.seamwatch.e2e.harness;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real OTLP endpoint for the end-to-end tests. It decodes what the OpenTelemetry exporter sends
 * over http/protobuf and over gRPC, keeps it for assertions, and can be told to fail or to hang.
 *
 * <p>Every request is counted and its transport recorded, but its data is stored only when the
 * receiver accepted it, as a collector would.
 */
public final class OtlpReceiver implements AutoCloseable {
  static final String HTTP = "http/protobuf";
  static final String GRPC = "grpc";

  /** What {@link #admit} returns when a request must be left unanswered. */
  static final int HANG = -1;

  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  enum Signal {
    TRACES,
    METRICS,
    LOGS
  }

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
  private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
  private final Map<Signal, AtomicInteger> requests = new EnumMap<>(Signal.class);
  private final Set<String> transports = ConcurrentHashMap.newKeySet();
  private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile int failStatus;
  private volatile boolean hanging;
  private HttpServer http;
  private Server grpc;
  private ExecutorService grpcExecutor;

  private OtlpReceiver() {
    for (Signal signal : Signal.values()) {
      requests.put(signal, new AtomicInteger());
    }
  }

  public static OtlpReceiver start() {
    OtlpReceiver receiver = new OtlpReceiver();
    try {
      receiver.http = Loopback.httpServer("otlp-http", 8, new OtlpHttpHandler(receiver));
      receiver.grpcExecutor = Executors.newFixedThreadPool(4, Loopback.daemonThreads("otlp-grpc"));
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(Loopback.HOST, 0))
              .executor(receiver.grpcExecutor)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES);
      OtlpGrpcServices.of(receiver).forEach(builder::addService);
      receiver.grpc = builder.build().start();
      return receiver;
    } catch (IOException e) {
      receiver.close();
      throw new UncheckedIOException("cannot start the OTLP receiver", e);
    }
  }

  /** The base URL; the exporter appends /v1/traces, /v1/metrics and /v1/logs. */
  public String httpEndpoint() {
    return "http://" + Loopback.HOST + ":" + http.getAddress().getPort();
  }

  public String grpcEndpoint() {
    return "http://" + Loopback.HOST + ":" + grpc.getPort();
  }

  /**
   * Makes every following request fail with this HTTP status (gRPC: UNAVAILABLE for 502-504,
   * RESOURCE_EXHAUSTED for 429, the nearest code otherwise); 0 restores normal answers.
   */
  public void respondWith(int httpStatus) {
    this.failStatus = httpStatus;
  }

  /**
   * Makes both transports accept requests and never answer them, until this is undone or closed.
   */
  public void hang(boolean hang) {
    this.hanging = hang;
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** One entry per metric per export batch, in arrival order; see {@link #awaitMetric}. */
  public List<ReceivedMetric> metrics() {
    return List.copyOf(metrics);
  }

  public List<ReceivedLog> logs() {
    return List.copyOf(logs);
  }

  public int traceRequests() {
    return requests.get(Signal.TRACES).get();
  }

  public int metricRequests() {
    return requests.get(Signal.METRICS).get();
  }

  public int logRequests() {
    return requests.get(Signal.LOGS).get();
  }

  /** "http/protobuf" and/or "grpc". */
  public Set<String> transportsSeen() {
    return Set.copyOf(transports);
  }

  /** Requests the receiver could not decode: wrong content type, bad gzip, bad protobuf. */
  public List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  /** Forgets everything received so far, so that one receiver can serve several phases. */
  public void clear() {
    spans.clear();
    metrics.clear();
    logs.clear();
    requests.values().forEach(count -> count.set(0));
    transports.clear();
    protocolErrors.clear();
  }

  public List<ReceivedSpan> awaitSpans(
      Predicate<ReceivedSpan> filter, int atLeast, Duration timeout) {
    return Await.until(
        () -> {
          List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
          return matching.size() >= atLeast ? matching : null;
        },
        timeout,
        () ->
            "expected at least "
                + atLeast
                + " matching spans within "
                + timeout
                + ", got "
                + spans.stream().filter(filter).count()
                + describe(spans));
  }

  public List<ReceivedLog> awaitLogs(Predicate<ReceivedLog> filter, int atLeast, Duration timeout) {
    return Await.until(
        () -> {
          List<ReceivedLog> matching = logs.stream().filter(filter).toList();
          return matching.size() >= atLeast ? matching : null;
        },
        timeout,
        () ->
            "expected at least "
                + atLeast
                + " matching log records within "
                + timeout
                + ", got "
                + logs.stream().filter(filter).count()
                + describe(logs));
  }

  /**
   * Waits for a metric by name and returns it merged over every export batch so far, keeping the
   * latest point of each attribute set (see {@link ReceivedMetric#latestPoints}).
   */
  public ReceivedMetric awaitMetric(String name, Duration timeout) {
    return awaitMetric(name, metric -> true, timeout);
  }

  /** As {@link #awaitMetric(String, Duration)}, waiting until the merged metric satisfies until. */
  public ReceivedMetric awaitMetric(
      String name, Predicate<ReceivedMetric> until, Duration timeout) {
    return Await.until(
        () -> {
          ReceivedMetric merged = merged(name);
          return merged != null && until.test(merged) ? merged : null;
        },
        timeout,
        () ->
            "metric "
                + name
                + " did not arrive as expected within "
                + timeout
                + "; merged: "
                + merged(name)
                + describe(metrics));
  }

  @Override
  public void close() {
    closed.countDown();
    if (http != null) {
      Loopback.stop(http);
    }
    if (grpc != null) {
      grpc.shutdownNow();
      try {
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (grpcExecutor != null) {
      grpcExecutor.shutdownNow();
    }
  }

  /** Counts a request and tells its transport what to answer: 0 to accept, a status, or HANG. */
  int admit(Signal signal, String transport) {
    requests.get(signal).incrementAndGet();
    transports.add(transport);
    return hanging ? HANG : failStatus;
  }

  /** Blocks an HTTP handler thread of a hanging receiver until the receiver closes. */
  void awaitClose() throws InterruptedException {
    closed.await();
  }

  void accept(ExportTraceServiceRequest request) {
    spans.addAll(OtlpDecoding.spans(request));
  }

  void accept(ExportMetricsServiceRequest request) {
    metrics.addAll(OtlpDecoding.metrics(request));
  }

  void accept(ExportLogsServiceRequest request) {
    logs.addAll(OtlpDecoding.logs(request));
  }

  void protocolError(String message) {
    protocolErrors.add(message);
  }

  private ReceivedMetric merged(String name) {
    List<ReceivedMetric> batches = metrics.stream().filter(m -> m.name().equals(name)).toList();
    return batches.isEmpty() ? null : ReceivedMetric.latestPoints(batches);
  }

  private String describe(List<?> received) {
    StringBuilder out = new StringBuilder("; received " + received.size() + ":");
    received.forEach(item -> out.append("\n  ").append(item));
    if (!protocolErrors.isEmpty()) {
      out.append("\nprotocol errors: ").append(protocolErrors);
    }
    return out.toString();
  }
}
