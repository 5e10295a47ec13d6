package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.ChildJvmProbe;
import dev.seamwatch.e2e.harness.Jdks;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.Upstream;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Checks the end-to-end harness itself, with hand-built OTLP requests and a probe application. */
class HarnessSelfTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
  private static final String PARENT_ID = "1112131415161718";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void receiverDecodesSpansSentOverHttpAndGrpc() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertThat(postTraces(receiver, "http-span", true).statusCode()).isEqualTo(200);
      withGrpc(
          receiver,
          channel -> TraceServiceGrpc.newBlockingStub(channel).export(traces("grpc-span")));

      List<ReceivedSpan> spans = receiver.awaitSpans(s -> true, 2, WAIT);

      assertThat(spans).extracting(ReceivedSpan::name).containsExactly("http-span", "grpc-span");
      ReceivedSpan span = spans.get(0);
      assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.traceId()).isEqualTo(TRACE_ID);
      assertThat(span.spanId()).isEqualTo("2122232425262728");
      assertThat(span.parentSpanId()).isEqualTo(PARENT_ID);
      assertThat(span.attributes())
          .containsExactlyEntriesOf(
              orderedMap(
                  "http.request.method",
                  "GET",
                  "http.response.status_code",
                  503L,
                  "ratio",
                  1.5,
                  "retried",
                  true,
                  "tags",
                  List.of("a", "b")));
      assertThat(span.statusCode())
          .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(span.eventAttributes("seamwatch.anomaly")).containsEntry("kind", "slow");
      assertThat(span.resource()).containsEntry("service.name", "selftest");
      assertThat(span.scopeName()).isEqualTo("selftest-scope");
      assertThat(span.scopeVersion()).isEqualTo("1.0");
      assertThat(receiver.transportsSeen()).containsExactlyInAnyOrder("http/protobuf", "grpc");
      assertThat(receiver.traceRequests()).isEqualTo(2);
      assertThat(receiver.protocolErrors()).isEmpty();
    }
  }

  @Test
  void receiverMergesMetricBatchesKeepingTheLatestPointPerAttributeSet() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      HttpResponse<String> response =
          post(
              receiver.httpEndpoint() + "/v1/metrics",
              histogram(Map.of("a", 1L)).toByteArray(),
              false);
      assertThat(response.statusCode()).isEqualTo(200);
      withGrpc(
          receiver,
          channel ->
              MetricsServiceGrpc.newBlockingStub(channel)
                  .export(histogram(Map.of("a", 3L, "b", 1L))));

      ReceivedMetric metric =
          receiver.awaitMetric("selftest.duration", m -> m.points().size() == 2, WAIT);

      assertThat(metric.type()).isEqualTo(ReceivedMetric.Type.HISTOGRAM);
      assertThat(metric.unit()).isEqualTo("s");
      assertThat(metric.scopeName()).isEqualTo("selftest-scope");
      ReceivedMetric.Point hostA = metric.pointsWith("host", "a").get(0);
      assertThat(hostA.count()).isEqualTo(3);
      assertThat(hostA.sum()).isEqualTo(0.75);
      assertThat(hostA.explicitBounds()).containsExactly(0.1, 1.0);
      assertThat(hostA.bucketCounts()).containsExactly(2L, 1L, 0L);
      assertThat(receiver.metrics()).hasSize(2);
      assertThat(receiver.metricRequests()).isEqualTo(2);
      assertThat(receiver.transportsSeen()).containsExactlyInAnyOrder("http/protobuf", "grpc");
    }
  }

  @Test
  void failingReceiverAnswersTheConfiguredStatusAndStoresNothing() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      receiver.respondWith(503);
      assertThat(postTraces(receiver, "refused", false).statusCode()).isEqualTo(503);
      assertThat(grpcFailure(receiver)).isEqualTo(Status.Code.UNAVAILABLE);
      receiver.respondWith(429);
      assertThat(postTraces(receiver, "refused", false).statusCode()).isEqualTo(429);
      assertThat(grpcFailure(receiver)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

      receiver.respondWith(0);
      assertThat(postTraces(receiver, "accepted", false).statusCode()).isEqualTo(200);

      assertThat(receiver.awaitSpans(s -> true, 1, WAIT))
          .extracting(ReceivedSpan::name)
          .containsExactly("accepted");
      assertThat(receiver.traceRequests()).isEqualTo(5);
    }
  }

  @Test
  void hangingReceiverNeverAnswersAndStillClosesPromptly() throws Exception {
    OtlpReceiver receiver = OtlpReceiver.start();
    receiver.hang(true);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(receiver.httpEndpoint() + "/v1/traces"))
            .timeout(Duration.ofMillis(300))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(traces("hung").toByteArray()))
            .build();
    assertThatThrownBy(() -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(grpcFailure(receiver)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    long start = System.nanoTime();
    receiver.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.traceRequests()).isEqualTo(2);
  }

  @Test
  void awaitSpansFailsListingWhatArrived() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      postTraces(receiver, "present", false);
      receiver.awaitSpans(s -> s.name().equals("present"), 1, WAIT);

      assertThatThrownBy(
              () -> receiver.awaitSpans(s -> s.name().equals("absent"), 1, Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("got 0")
          .hasMessageContaining("present SPAN_KIND_CLIENT");
    }
  }

  @Test
  void childJvmCapturesExitCodeAndBothStreamsApart() {
    ChildJvm.Result result =
        probe().args("a", "b").sysProp("probe.prop", "p").env("PROBE_ENV", "e").run();

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdoutLines()).containsExactly("a b", "prop=p", "env=e");
    assertThat(result.seamwatchLines()).containsExactly("[seamwatch] probe");
    assertThat(result.appStderrLines()).containsExactly("err");
    assertThatThrownBy(result::assertSuccess)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exit code 3")
        .hasMessageContaining("prop=p")
        .hasMessageContaining("[seamwatch] probe\nerr");
  }

  @Test
  void childJvmTimeoutKillsTheChildAndItsDescendants() throws Exception {
    long start = System.nanoTime();
    AssertionError timeout =
        assertThrows(
            AssertionError.class, () -> probe().args("spawn").timeout(Duration.ofSeconds(2)).run());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(timeout).hasMessageContaining("still running after PT2S");
    String message = timeout.getMessage();
    assertThat(message).contains("grandchild=");
    long grandchild = Long.parseLong(message.replaceAll("(?s).*grandchild=(\\d+).*", "$1"));
    ProcessHandle.of(grandchild).ifPresent(HarnessSelfTest::awaitExit);
    assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void childJvmRequiresAnExplicitAgentChoice() {
    assertThatThrownBy(() -> ChildJvm.builder().mainClass("x").run())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void upstreamServesEachRouteAndRecordsTheRequests() throws Exception {
    try (Upstream upstream = Upstream.start()) {
      String base = upstream.baseUrl();
      assertThat(get(base + "/status/503").statusCode()).isEqualTo(503);
      HttpResponse<String> bytes = get(base + "/bytes/1000");
      assertThat(bytes.body()).hasSize(1000);
      assertThat(bytes.headers().firstValue("content-length")).hasValue("1000");
      HttpResponse<String> chunked = get(base + "/chunked/20000");
      assertThat(chunked.body()).hasSize(20000);
      assertThat(chunked.headers().firstValue("transfer-encoding")).hasValue("chunked");
      HttpResponse<String> json = get(base + "/json");
      assertThat(json.body()).isEqualTo("{\"id\":1,\"name\":\"x\"}");
      assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(post(base + "/echo", new byte[1234], false).body()).isEqualTo("1234");
      long start = System.nanoTime();
      assertThat(get(base + "/delay/150").body()).isEqualTo("ok");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(150));
      HttpRequest tagged =
          HttpRequest.newBuilder(URI.create(base + "/anything?x=1")).header("X-Test", "v").build();
      assertThat(HTTP.send(tagged, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");

      RecordedRequest recorded = upstream.awaitRequest(r -> r.path().equals("/anything"), WAIT);
      assertThat(recorded.method()).isEqualTo("GET");
      assertThat(recorded.rawQuery()).isEqualTo("x=1");
      assertThat(recorded.header("x-test")).isEqualTo("v");
      assertThat(upstream.requests()).hasSize(7);
      assertThat(upstream.requests())
          .filteredOn(r -> r.path().equals("/echo"))
          .extracting(RecordedRequest::bodyBytes)
          .containsExactly(1234L);
    }
  }

  @Test
  void refusedPortRefusesConnections() {
    int port = Ports.refusedPort();
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1000))
        .isInstanceOf(ConnectException.class);
    assertThat(Ports.freePort()).isBetween(1, 65535);
  }

  @Test
  void jdksReportTheirFeatureVersions() {
    assertThat(Jdks.featureVersion(Jdks.current())).isEqualTo(Runtime.version().feature());
    assertThat(Jdks.featureVersion(Jdks.temurin25())).isEqualTo(25);
  }

  private static ChildJvm.Builder probe() {
    return ChildJvm.builder()
        .noAgent()
        .classpath(System.getProperty("java.class.path"))
        .mainClass(ChildJvmProbe.class.getName());
  }

  private static void awaitExit(ProcessHandle handle) {
    try {
      handle.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("grandchild " + handle.pid() + " still alive", e);
    }
  }

  private static Status.Code grpcFailure(OtlpReceiver receiver) throws Exception {
    try {
      withGrpc(
          receiver,
          channel ->
              TraceServiceGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                  .export(traces("refused")));
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the gRPC export succeeded");
  }

  private interface GrpcCall {
    void call(ManagedChannel channel);
  }

  private static void withGrpc(OtlpReceiver receiver, GrpcCall call) throws InterruptedException {
    URI endpoint = URI.create(receiver.grpcEndpoint());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .usePlaintext()
            .build();
    try {
      call.call(channel);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> postTraces(OtlpReceiver receiver, String name, boolean gzip)
      throws Exception {
    return post(receiver.httpEndpoint() + "/v1/traces", traces(name).toByteArray(), gzip);
  }

  private static HttpResponse<String> post(String url, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-protobuf");
    if (gzip) {
      request.header("Content-Encoding", "gzip");
      body = gzip(body);
    }
    return HTTP.send(
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
  }

  private static ExportTraceServiceRequest traces(String name) {
    Span span =
        Span.newBuilder()
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setTraceId(ByteString.fromHex(TRACE_ID))
            .setSpanId(ByteString.fromHex("2122232425262728"))
            .setParentSpanId(ByteString.fromHex(PARENT_ID))
            .addAttributes(kv("http.request.method", AnyValue.newBuilder().setStringValue("GET")))
            .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(503)))
            .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(1.5)))
            .addAttributes(kv("retried", AnyValue.newBuilder().setBoolValue(true)))
            .addAttributes(
                kv(
                    "tags",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a"))
                                .addValues(AnyValue.newBuilder().setStringValue("b")))))
            .setStatus(
                io.opentelemetry.proto.trace.v1.Status.newBuilder()
                    .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("seamwatch.anomaly")
                    .addAttributes(kv("kind", AnyValue.newBuilder().setStringValue("slow"))))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource())
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span)))
        .build();
  }

  /** One histogram point per host, each with the given count. */
  private static ExportMetricsServiceRequest histogram(Map<String, Long> countByHost) {
    Histogram.Builder histogram = Histogram.newBuilder();
    countByHost.forEach(
        (host, count) ->
            histogram.addDataPoints(
                HistogramDataPoint.newBuilder()
                    .addAttributes(kv("host", AnyValue.newBuilder().setStringValue(host)))
                    .setCount(count)
                    .setSum(0.25 * count)
                    .addAllExplicitBounds(List.of(0.1, 1.0))
                    .addAllBucketCounts(List.of(count - 1, 1L, 0L))));
    Metric metric =
        Metric.newBuilder()
            .setName("selftest.duration")
            .setUnit("s")
            .setHistogram(histogram)
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource())
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope()).addMetrics(metric)))
        .build();
  }

  private static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("selftest")))
        .build();
  }

  private static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("selftest-scope").setVersion("1.0").build();
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
