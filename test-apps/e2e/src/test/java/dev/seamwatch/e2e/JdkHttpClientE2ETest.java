package dev.seamwatch.e2e;

import static dev.seamwatch.e2e.JdkHttpScenarios.PASSWORD;
import static dev.seamwatch.e2e.JdkHttpScenarios.SECRET;
import static dev.seamwatch.e2e.JdkHttpScenarios.contextOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.JdkHttpScenarios.Call;
import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.Jdks;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.Upstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End-to-end tests of the java.net.http instrumentation: {@code JdkHttpClientApp} runs in a child
 * JVM with the packaged agent against a real upstream and a real OTLP receiver.
 *
 * <p>One application run makes every call of {@link JdkHttpScenarios#coreCalls} and most tests
 * assert on its output; a baseline run of the same calls without the agent runs alongside it. The
 * Temurin 25, OTLP/gRPC and default-protocol runs belong to their own tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdkHttpClientE2ETest {
  /** Children flush before they exit, so this only bounds how long a failure takes to show. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String SCOPE = "dev.seamwatch";
  private static final String DURATION_METRIC = "http.client.request.duration";
  private static final List<Double> DURATION_BOUNDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final Set<String> METRIC_ATTRIBUTES =
      Set.of(
          "http.request.method",
          "url.scheme",
          "server.address",
          "server.port",
          "seamwatch.integration.name",
          "http.response.status_code",
          "network.protocol.version",
          "error.type");
  private static final String STARTED = "\\[seamwatch\\] Seamwatch \\S+ started in \\d+ ms.*";

  /** The index of the call with user-info in {@link JdkHttpScenarios#coreCalls}. */
  private static final int USER_INFO = 15;

  private OtlpReceiver receiver;
  private Upstream upstream;
  private Upstream baselineUpstream;
  private int refusedPort;
  private List<Call> calls;
  private ChildJvm.Result withAgent;
  private ChildJvm.Result withoutAgent;

  /** Every span of the run with the agent, once the child has exited and flushed. */
  private List<ReceivedSpan> spans;

  /**
   * Whether this JDK sends a URL with user-info at all (JDK 17 does); decided without the agent.
   */
  private boolean userInfoSent;

  @BeforeAll
  void runTheAppWithAndWithoutTheAgent() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
    baselineUpstream = Upstream.start();
    refusedPort = Ports.refusedPort();
    calls = JdkHttpScenarios.coreCalls(upstream.baseUrl(), refusedPort);
    // Own upstream for the baseline, so that its requests never mix with the traced ones.
    List<Call> baselineCalls = JdkHttpScenarios.coreCalls(baselineUpstream.baseUrl(), refusedPort);
    CompletableFuture<ChildJvm.Result> baseline =
        CompletableFuture.supplyAsync(() -> JdkHttpScenarios.withoutAgent(baselineCalls).run());

    withAgent = JdkHttpScenarios.withAgent(receiver, "jdk-http-e2e", calls).run().assertSuccess();
    withoutAgent = join(baseline).assertSuccess();

    userInfoSent = !withoutAgent.stdoutLines().get(USER_INFO).contains("IllegalArgumentException");
    int sent = calls.size() - (userInfoSent ? 0 : 1);
    try {
      receiver.awaitSpans(s -> true, sent, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nchild JVM with the agent: " + withAgent, e);
    }
    spans = receiver.spans();
    assertThat(spans).as("spans of the run with the agent\n%s", withAgent).hasSize(sent);
  }

  @AfterAll
  void stopPeers() {
    for (AutoCloseable peer : new AutoCloseable[] {receiver, upstream, baselineUpstream}) {
      if (peer != null) {
        try {
          peer.close();
        } catch (Exception ignored) {
          // Nothing to do about a peer that fails to stop after the tests.
        }
      }
    }
  }

  @Test
  void agentStartsAndTheAppRunsEveryCall() {
    assertThat(withAgent.seamwatchLines()).anyMatch(line -> line.matches(STARTED));
    assertThat(withAgent.stdoutLines())
        .extracting(line -> line.split(" ")[0])
        .containsExactlyElementsOf(calls.stream().map(Call::scenario).toList());
  }

  @Test
  void syncCallsRecordOneClientSpanEachWithTheStandardAttributes() {
    ReceivedSpan json = single("/json");
    assertThat(json.name()).isEqualTo("GET /json");
    assertThat(json.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(json.scopeName()).isEqualTo(SCOPE);
    assertThat(json.parentSpanId()).isEmpty();
    assertThat(json.statusCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(json.attributes())
        .containsAllEntriesOf(
            okAttributes("GET", upstream.baseUrl() + "/json?token=REDACTED&page=REDACTED", "/json"))
        .containsEntry("http.response.body.size", 19L)
        .doesNotContainKey("error.type");
    // A GET has no body: the size is absent or zero, never anything else.
    assertThat(json.attributes().getOrDefault("http.request.body.size", 0L)).isEqualTo(0L);
    assertThat(json.resource()).containsEntry("service.name", "jdk-http-e2e");

    ReceivedSpan bytes = single("/bytes/777");
    assertThat(bytes.name()).isEqualTo("GET /bytes/{id}");
    assertThat(bytes.attributes())
        .containsAllEntriesOf(okAttributes("GET", upstream.baseUrl() + "/bytes/777", "/bytes/{id}"))
        .containsEntry("http.response.body.size", 777L)
        .doesNotContainKey("error.type");

    ReceivedSpan discarded = single("/bytes/321");
    assertThat(discarded.name()).isEqualTo("GET /bytes/{id}");
    assertThat(discarded.attributes())
        .containsAllEntriesOf(okAttributes("GET", upstream.baseUrl() + "/bytes/321", "/bytes/{id}"))
        .containsEntry("http.response.body.size", 321L)
        .doesNotContainKey("error.type");

    ReceivedSpan post = single("/echo");
    assertThat(post.name()).isEqualTo("POST /echo");
    assertThat(post.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(post.attributes())
        .containsAllEntriesOf(okAttributes("POST", upstream.baseUrl() + "/echo", "/echo"))
        .containsEntry("http.request.body.size", 1234L)
        .containsEntry("http.response.body.size", 4L)
        .doesNotContainKey("error.type");

    for (ReceivedSpan span : List.of(json, bytes, discarded, post)) {
      assertPropagated(span);
    }
  }

  @Test
  void http2RequestAnsweredOverHttp11RecordsProtocolVersion11() {
    ReceivedSpan span = single("/h2");
    assertThat(span.name()).isEqualTo("GET /h2");
    assertThat(span.attributes())
        .containsAllEntriesOf(okAttributes("GET", upstream.baseUrl() + "/h2", "/h2"));
    assertPropagated(span);
  }

  @Test
  void asyncCallsRecordOneEndedSpanEachAndPropagate() {
    // async uses the two-argument sendAsync, which calls the three-argument one inside the JDK.
    for (String path : List.of("/async-two", "/async-three")) {
      ReceivedSpan span = single(path);
      assertThat(span.name()).isEqualTo("GET " + path);
      assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.statusCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
      assertThat(span.attributes())
          .containsAllEntriesOf(okAttributes("GET", upstream.baseUrl() + path, path))
          .containsEntry("http.response.body.size", 2L)
          .doesNotContainKey("error.type");
      assertThat(span.duration()).isPositive();
      assertPropagated(span);
    }
  }

  @Test
  void followedRedirectIsOneSpanAndEveryHopCarriesItsContext() {
    ReceivedSpan span = single("/redirect/followed");
    assertThat(span.attributes())
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("url.full", upstream.baseUrl() + "/redirect/followed")
        .doesNotContainKey("error.type");
    assertThat(at("/followed")).as("no span of its own for the second hop").isEmpty();
    List<RecordedRequest> hops = new ArrayList<>(requestsAt("/redirect/followed"));
    hops.addAll(requestsAt("/followed"));
    assertThat(hops).hasSize(2);
    assertThat(hops)
        .allSatisfy(
            r -> assertThat(singleTraceparent(r)).contains(span.traceId()).contains(span.spanId()));
  }

  @Test
  void httpErrorStatusesAreClassifiedByStatusCode() {
    List<ReceivedSpan> serverErrors = at("/status/500");
    assertThat(serverErrors).as("one span per call to /status/500").hasSize(2);
    for (ReceivedSpan span : serverErrors) {
      assertThat(span.name()).isEqualTo("GET /status/{id}");
      assertError(span, "500");
      assertThat(span.attributes())
          .containsEntry("http.response.status_code", 500L)
          .containsEntry("url.template", "/status/{id}");
    }
    assertThat(serverErrors).extracting(ReceivedSpan::traceId).doesNotHaveDuplicates();
    List<RecordedRequest> requests = requestsAt("/status/500");
    assertThat(requests).hasSize(2);
    assertThat(requests)
        .extracting(r -> contextOf(singleTraceparent(r)))
        .containsExactlyInAnyOrderElementsOf(
            serverErrors.stream().map(JdkHttpScenarios::contextOf).toList());

    ReceivedSpan notFound = single("/status/404");
    assertError(notFound, "404");
    assertThat(notFound.attributes()).containsEntry("http.response.status_code", 404L);
    assertPropagated(notFound);
  }

  @Test
  void refusedConnectionIsClassifiedAsConnectionRefused() {
    List<ReceivedSpan> refused =
        spans.stream()
            .filter(s -> Objects.equals(s.attr("server.port"), (long) refusedPort))
            .toList();
    assertThat(refused).as("spans to the refused port among %s", spans).hasSize(1);
    ReceivedSpan span = refused.get(0);
    assertThat(span.name()).isEqualTo("GET /refused");
    assertError(span, "connection_refused");
    assertThat(span.attributes())
        .containsEntry("url.full", "http://127.0.0.1:" + refusedPort + "/refused")
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("peer.service", "http://127.0.0.1:" + refusedPort)
        .doesNotContainKey("http.response.status_code");
    assertThat(line("get", 10)).isEqualTo("get failed java.net.ConnectException");
  }

  @Test
  void requestTimeoutsAreClassifiedAsReadTimeoutSyncAndAsync() {
    for (String path : List.of("/delay/2000", "/delay/2001")) {
      ReceivedSpan span = single(path);
      assertThat(span.name()).isEqualTo("GET /delay/{id}");
      assertError(span, "read_timeout");
      assertThat(span.attributes()).doesNotContainKey("http.response.status_code");
      // The timeout is 300 ms and the upstream answers after 2 s: the span ends at the timeout.
      assertThat(span.duration()).isBetween(Duration.ofMillis(250), Duration.ofMillis(1900));
      assertPropagated(span);
    }
    assertThat(line("timeout", 11)).isEqualTo("timeout failed java.net.http.HttpTimeoutException");
    assertThat(line("async-timeout", 12))
        .isEqualTo("async-timeout failed java.net.http.HttpTimeoutException");
  }

  @Test
  void cancelledAsyncCallEndsItsSpanExactlyOnceAsCancelled() {
    assertThat(line("cancel", 13)).isEqualTo("cancel cancelled=true done=true");
    ReceivedSpan span = single("/delay/1500");
    assertThat(span.name()).isEqualTo("GET /delay/{id}");
    assertError(span, "cancelled");
    assertThat(span.attributes()).doesNotContainKey("http.response.status_code");
  }

  @Test
  void urlQueryValuesUserInfoAndFragmentAreRedactedEverywhere() {
    assertThat(single("/json").attr("url.full"))
        .isEqualTo(upstream.baseUrl() + "/json?token=REDACTED&page=REDACTED");
    if (userInfoSent) {
      assertThat(line("get", USER_INFO)).isEqualTo("get status=200 body=2");
      // As the semantic conventions write it: both parts of the user-info replaced.
      assertThat(single("/private").attr("url.full"))
          .isEqualTo(
              upstream.baseUrl().replace("http://", "http://REDACTED:REDACTED@")
                  + "/private?token=REDACTED&page=REDACTED");
    } else {
      assertThat(line("get", USER_INFO)).isEqualTo("get failed java.lang.IllegalArgumentException");
      assertThat(at("/private")).isEmpty();
    }

    ReceivedMetric metric = receiver.awaitMetric(DURATION_METRIC, WAIT);
    List<String> exported = JdkHttpScenarios.exportedStrings(spans, receiver.metrics());
    assertThat(exported).as("what was exported").isNotEmpty().anyMatch(s -> s.contains("REDACTED"));
    assertThat(exported).noneMatch(s -> s.contains(SECRET)).noneMatch(s -> s.contains(PASSWORD));
    assertThat(exported).noneMatch(s -> s.contains("frag"));
    assertThat(metric.points()).isNotEmpty();
    assertThat(withAgent.seamwatchLines())
        .noneMatch(l -> l.contains(SECRET))
        .noneMatch(l -> l.contains("user:" + PASSWORD));
  }

  @Test
  void applicationBehavesExactlyAsWithoutTheAgent() {
    assertThat(withoutAgent.stdoutLines()).hasSize(calls.size());
    assertThat(withoutAgent.stdoutLines().get(0)).isEqualTo("get status=200 body=19");
    assertThat(withAgent.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(withAgent.exitCode()).isEqualTo(withoutAgent.exitCode());
    // Everything the application or the JVM writes must match, including no CDS warning: the
    // bridge is defined in the bootstrap loader without appending to its search path.
    assertThat(withAgent.appStderrLines()).isEqualTo(withoutAgent.appStderrLines());

    String ownRequest = line("own-request", 14);
    assertThat(ownRequest)
        .isEqualTo("own-request status=200 body=2 headers-unchanged=true {x-app=[1]}")
        .doesNotContainIgnoringCase("traceparent");
    // The agent did inject into the request it sent: only the application's object is untouched.
    RecordedRequest sent = upstream.awaitRequest(r -> r.path().equals("/own"), WAIT);
    assertThat(sent.header("x-app")).isEqualTo("1");
    assertThat(contextOf(singleTraceparent(sent))).isEqualTo(contextOf(single("/own")));
  }

  @Test
  void durationHistogramCountsEveryCallWithLowCardinalityAttributes() {
    int upstreamCalls = at(upstream.port()).size();
    assertThat(upstreamCalls).isEqualTo(calls.size() - (userInfoSent ? 1 : 2));
    ReceivedMetric metric =
        receiver.awaitMetric(
            DURATION_METRIC,
            m -> totalCount(m, upstream.port()) == upstreamCalls && totalCount(m, refusedPort) == 1,
            WAIT);

    assertThat(metric.type()).isEqualTo(ReceivedMetric.Type.HISTOGRAM);
    assertThat(metric.unit()).isEqualTo("s");
    assertThat(metric.scopeName()).isEqualTo(SCOPE);
    assertThat(metric.resource()).containsEntry("service.name", "jdk-http-e2e");
    for (ReceivedMetric.Point point : metric.points()) {
      assertThat(point.explicitBounds()).containsExactlyElementsOf(DURATION_BOUNDS);
      assertThat(point.bucketCounts().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(point.count());
      assertThat(point.attributes().keySet()).isSubsetOf(METRIC_ATTRIBUTES);
    }

    // Per status, every call of the run is counted once.
    // The followed redirect counts once, with its final status.
    assertThat(count(metric, upstream.port(), 200L, null)).isEqualTo(userInfoSent ? 10 : 9);
    assertThat(count(metric, upstream.port(), 500L, "500")).isEqualTo(2);
    assertThat(count(metric, upstream.port(), 404L, "404")).isEqualTo(1);
    assertThat(count(metric, upstream.port(), null, "read_timeout")).isEqualTo(2);
    assertThat(count(metric, upstream.port(), null, "cancelled")).isEqualTo(1);
    assertThat(count(metric, refusedPort, null, "connection_refused")).isEqualTo(1);

    ReceivedMetric.Point post =
        metric.points().stream()
            .filter(p -> "POST".equals(p.attr("http.request.method")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no POST point in " + metric));
    assertThat(post.count()).isEqualTo(1);
    assertThat(post.attributes())
        .containsOnly(
            Map.entry("http.request.method", "POST"),
            Map.entry("url.scheme", "http"),
            Map.entry("server.address", "127.0.0.1"),
            Map.entry("server.port", (long) upstream.port()),
            Map.entry("seamwatch.integration.name", upstream.baseUrl()),
            Map.entry("http.response.status_code", 200L),
            Map.entry("network.protocol.version", "1.1"));

    // The same calls grouped the same way from the spans give the same counts.
    Map<List<Object>, Long> fromSpans = new HashMap<>();
    spans.forEach(s -> fromSpans.merge(metricKey(s.attributes()), 1L, Long::sum));
    Map<List<Object>, Long> fromMetric = new HashMap<>();
    metric.points().forEach(p -> fromMetric.merge(metricKey(p.attributes()), p.count(), Long::sum));
    assertThat(fromMetric).isEqualTo(fromSpans);
  }

  @Test
  void agentDoesNotTraceItsOwnExport() {
    int receiverPort = URI.create(receiver.httpEndpoint()).getPort();
    assertThat(receiver.traceRequests()).isPositive();
    assertThat(receiver.metricRequests()).isPositive();
    assertThat(at(receiverPort)).isEmpty();
    assertThat(spans)
        .noneMatch(s -> String.valueOf(s.attr("url.full")).contains("/v1/"))
        .allMatch(
            s ->
                Objects.equals(s.attr("server.port"), (long) upstream.port())
                    || Objects.equals(s.attr("server.port"), (long) refusedPort));
    ReceivedMetric metric = receiver.awaitMetric(DURATION_METRIC, WAIT);
    assertThat(metric.pointsWith("server.port", (long) receiverPort)).isEmpty();
  }

  @Test
  void otlpGoesOverHttpProtobufWhenOnlyTheEndpointIsSet() {
    // The design's own example: an :4318-style endpoint and no protocol. The SDK's autoconfigure
    // alone would pick gRPC; Seamwatch must export http/protobuf, as its startup line says.
    try (OtlpReceiver defaultReceiver = OtlpReceiver.start();
        Upstream defaultUpstream = Upstream.start()) {
      List<Call> one = List.of(new Call("get", defaultUpstream.baseUrl() + "/json"));
      ChildJvm.Result result =
          JdkHttpScenarios.withAgentDefaults(defaultReceiver, "jdk-http-e2e-default", one)
              .run()
              .assertSuccess();

      assertThat(result.stdoutLines()).containsExactly("get status=200 body=19");
      assertThat(result.seamwatchLines())
          .anyMatch(line -> line.matches(STARTED) && line.contains("traces otlp http/protobuf"));
      try {
        defaultReceiver.awaitSpans(s -> s.name().equals("GET /json"), 1, WAIT);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "\nrequests received: "
                + defaultReceiver.traceRequests()
                + " traces, "
                + defaultReceiver.metricRequests()
                + " metrics over "
                + defaultReceiver.transportsSeen()
                + "\nchild JVM: "
                + result,
            e);
      }
      assertThat(defaultReceiver.spans()).hasSize(1);
      assertThat(defaultReceiver.transportsSeen()).containsExactly("http/protobuf");
      assertThat(defaultReceiver.protocolErrors()).isEmpty();
    }
  }

  @Test
  void coreCallsAreTracedAndPropagatedOnTemurin25() {
    Path temurin25 = Jdks.temurin25();
    assertThat(Jdks.featureVersion(temurin25)).isEqualTo(25);
    try (OtlpReceiver jdk25Receiver = OtlpReceiver.start();
        Upstream jdk25Upstream = Upstream.start()) {
      List<Call> smoke = JdkHttpScenarios.smokeCalls(jdk25Upstream.baseUrl());
      ChildJvm.Result result =
          JdkHttpScenarios.withAgent(jdk25Receiver, "jdk-http-e2e-25", smoke)
              .javaHome(temurin25)
              .run()
              .assertSuccess();

      assertThat(result.seamwatchLines()).anyMatch(line -> line.matches(STARTED));
      assertThat(result.stdoutLines())
          .containsExactly(
              "get status=200 body=19",
              "post status=200 body=4",
              "async status=200 body=2",
              "get status=500 body=10");
      assertSmokeRun(jdk25Receiver, jdk25Upstream, smoke, result);
      assertThat(jdk25Receiver.transportsSeen()).containsExactly("http/protobuf");
    }
  }

  @Test
  void spansAndMetricsArriveOverOtlpGrpc() {
    try (OtlpReceiver grpcReceiver = OtlpReceiver.start();
        Upstream grpcUpstream = Upstream.start()) {
      List<Call> smoke = JdkHttpScenarios.smokeCalls(grpcUpstream.baseUrl());
      ChildJvm.Result result =
          JdkHttpScenarios.withAgent(grpcReceiver, "jdk-http-e2e-grpc", smoke)
              .sysProp("otel.exporter.otlp.protocol", "grpc")
              .sysProp("otel.exporter.otlp.endpoint", grpcReceiver.grpcEndpoint())
              // The gRPC sender (OkHttp) loads on its first export, at exit here; on a loaded
              // 2-core machine that can pass the default 3 s bound. This test is about the
              // protocol; the exit bound has tests of its own.
              .sysProp("seamwatch.shutdown.timeout.ms", "15000")
              .run()
              .assertSuccess();

      assertSmokeRun(grpcReceiver, grpcUpstream, smoke, result);
      ReceivedMetric metric =
          grpcReceiver.awaitMetric(
              DURATION_METRIC, m -> totalCount(m, grpcUpstream.port()) == smoke.size(), WAIT);
      assertThat(metric.unit()).isEqualTo("s");
      assertThat(count(metric, grpcUpstream.port(), 500L, "500")).isEqualTo(1);
      assertThat(grpcReceiver.transportsSeen()).containsExactly("grpc");
      assertThat(grpcReceiver.protocolErrors()).isEmpty();
      int grpcPort = URI.create(grpcReceiver.grpcEndpoint()).getPort();
      assertThat(grpcReceiver.spans())
          .noneMatch(s -> Objects.equals(s.attr("server.port"), (long) grpcPort));
    }
  }

  /** The smoke calls each gave one span with the right name and status, and their traceparent. */
  private static void assertSmokeRun(
      OtlpReceiver receiver, Upstream upstream, List<Call> smoke, ChildJvm.Result result) {
    receiver.awaitSpans(s -> true, smoke.size(), WAIT);
    List<ReceivedSpan> received = receiver.spans();
    assertThat(received)
        .as("spans of\n%s", result)
        .extracting(ReceivedSpan::name)
        .containsExactlyInAnyOrder("GET /json", "POST /echo", "GET /async-two", "GET /status/{id}");
    for (ReceivedSpan span : received) {
      assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.scopeName()).isEqualTo(SCOPE);
      assertThat(span.attr("server.port")).isEqualTo((long) upstream.port());
      String path = URI.create((String) span.attr("url.full")).getPath();
      RecordedRequest request = upstream.awaitRequest(r -> r.path().equals(path), WAIT);
      assertThat(contextOf(singleTraceparent(request))).isEqualTo(contextOf(span));
    }
    ReceivedSpan json = byName(received, "GET /json");
    assertThat(json.attributes())
        .containsEntry("url.full", upstream.baseUrl() + "/json?token=REDACTED")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("network.protocol.version", "1.1");
    assertThat(byName(received, "POST /echo").attr("http.request.body.size")).isEqualTo(1234L);
    assertThat(byName(received, "GET /async-two").attr("http.response.status_code"))
        .isEqualTo(200L);
    ReceivedSpan error = byName(received, "GET /status/{id}");
    assertThat(error.attr("error.type")).isEqualTo("500");
    assertThat(error.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(JdkHttpScenarios.exportedStrings(received, List.of()))
        .noneMatch(s -> s.contains(SECRET));
  }

  private Map<String, Object> okAttributes(String method, String urlFull, String template) {
    Map<String, Object> expected = new HashMap<>();
    expected.put("http.request.method", method);
    expected.put("url.full", urlFull);
    expected.put("url.scheme", "http");
    expected.put("server.address", "127.0.0.1");
    expected.put("server.port", (long) upstream.port());
    expected.put("url.template", template);
    expected.put("peer.service", upstream.baseUrl());
    expected.put("seamwatch.integration.name", upstream.baseUrl());
    expected.put("seamwatch.operation.name", method + " " + template);
    expected.put("http.response.status_code", 200L);
    expected.put("network.protocol.version", "1.1");
    return expected;
  }

  private static void assertError(ReceivedSpan span, String errorType) {
    assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.attr("error.type")).as("error.type of %s", span).isEqualTo(errorType);
    assertThat(span.statusCode()).as("status of %s", span).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(span.statusMessage()).isEqualTo(errorType);
  }

  /** The upstream got this span's call once, carrying this span's trace context. */
  private void assertPropagated(ReceivedSpan span) {
    String path = URI.create((String) span.attr("url.full")).getPath();
    upstream.awaitRequest(r -> r.path().equals(path), WAIT);
    List<RecordedRequest> requests = requestsAt(path);
    assertThat(requests).as("requests to %s", path).hasSize(1);
    assertThat(contextOf(singleTraceparent(requests.get(0)))).isEqualTo(contextOf(span));
  }

  private static String singleTraceparent(RecordedRequest request) {
    assertThat(request.headers().get("traceparent"))
        .as("traceparent headers of %s", request)
        .hasSize(1);
    return request.header("traceparent");
  }

  private List<RecordedRequest> requestsAt(String path) {
    return upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The spans of calls to this path on the upstream. */
  private List<ReceivedSpan> at(String path) {
    return at(upstream.port()).stream()
        .filter(
            s -> s.attr("url.full") instanceof String url && URI.create(url).getPath().equals(path))
        .toList();
  }

  private List<ReceivedSpan> at(int port) {
    return spans.stream().filter(s -> Objects.equals(s.attr("server.port"), (long) port)).toList();
  }

  private ReceivedSpan single(String path) {
    List<ReceivedSpan> matching = at(path);
    assertThat(matching).as("spans for %s among %s", path, spans).hasSize(1);
    return matching.get(0);
  }

  private static ReceivedSpan byName(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> matching = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(matching).as("spans named %s among %s", name, spans).hasSize(1);
    return matching.get(0);
  }

  /** The app's stdout line for the call at this index, checked to be that scenario's line. */
  private String line(String scenario, int index) {
    assertThat(calls.get(index).scenario()).isEqualTo(scenario);
    List<String> lines = withAgent.stdoutLines();
    assertThat(lines).as("stdout\n%s", withAgent).hasSize(calls.size());
    return lines.get(index);
  }

  private static long totalCount(ReceivedMetric metric, int port) {
    return metric.pointsWith("server.port", (long) port).stream()
        .mapToLong(ReceivedMetric.Point::count)
        .sum();
  }

  private static long count(ReceivedMetric metric, int port, Long status, String errorType) {
    return metric.pointsWith("server.port", (long) port).stream()
        .filter(p -> Objects.equals(p.attr("http.response.status_code"), status))
        .filter(p -> Objects.equals(p.attr("error.type"), errorType))
        .mapToLong(ReceivedMetric.Point::count)
        .sum();
  }

  private static List<Object> metricKey(Map<String, Object> attributes) {
    List<Object> key = new ArrayList<>();
    for (String name :
        Arrays.asList(
            "http.request.method",
            "server.port",
            "http.response.status_code",
            "error.type",
            "network.protocol.version")) {
      key.add(attributes.get(name));
    }
    return key;
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
