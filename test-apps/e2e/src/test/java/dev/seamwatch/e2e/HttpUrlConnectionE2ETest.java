package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.Http2Upstream;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.Upstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code HttpURLConnection} end to end: one span per connection however the application reads it,
 * propagation, failures, HTTPS, and output identical to a run without the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpUrlConnectionE2ETest {

  private static final String APP = "dev.seamwatch.testapps.HttpUrlConnectionApp";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private OtlpReceiver receiver;
  private Upstream upstream;
  private Http2Upstream tls;
  private int refusedPort;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private List<ReceivedSpan> spans;

  @BeforeAll
  void run() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
    tls = Http2Upstream.start();
    refusedPort = Ports.refusedPort();
    String base = upstream.baseUrl();
    String[] calls = {
      "get=" + base + "/json?token=s3cret",
      "asked-twice=" + base + "/bytes/300",
      "post=" + base + "/echo",
      "error-stream=" + base + "/status/404",
      "input-stream-throws=" + base + "/status/500",
      "interleaved=" + base + "/first",
      "get=http://127.0.0.1:" + refusedPort + "/down",
      "get=" + tls.httpsBaseUrl() + "/json",
    };
    without = app(calls).noAgent().run().assertSuccess();
    int before = upstream.requests().size();
    with =
        app(calls)
            .agent(ChildJvm.agentJar())
            .sysProp("otel.service.name", "huc-e2e")
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    assertThat(before).isPositive();
    spans = receiver.awaitSpans(s -> true, 9, WAIT);
  }

  private ChildJvm.Builder app(String[] calls) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsJar())
        .mainClass(APP)
        .args(calls)
        .sysProp("javax.net.ssl.trustStore", tls.trustStorePath().toString())
        .sysProp("javax.net.ssl.trustStorePassword", tls.trustStorePassword());
  }

  @AfterAll
  void stop() {
    receiver.close();
    upstream.close();
    tls.close();
  }

  @Test
  void applicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdout()).isEqualTo(without.stdout());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertThat(with.stdoutLines())
        .contains(
            "get status=200 body=19",
            "asked-twice status=200/200 body=300",
            "error-stream status=404 error-body=10",
            "get failed java.net.ConnectException");
  }

  @Test
  void oneSpanPerConnectionWithPropagation() {
    ReceivedSpan get = single("/json", upstream.port());
    assertThat(get.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(get.name()).isEqualTo("GET /json");
    assertThat(get.attributes())
        .containsEntry("http.request.method", "GET")
        .containsEntry("url.full", upstream.baseUrl() + "/json?token=REDACTED")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("network.protocol.version", "1.1")
        .containsEntry("http.response.body.size", 19L)
        .doesNotContainKey("error.type");
    assertPropagated(get, "/json");

    // getResponseCode, getInputStream, getResponseCode: one request, one span.
    ReceivedSpan twice = single("/bytes/300", upstream.port());
    assertThat(twice.attr("http.response.body.size")).isEqualTo(300L);
    assertPropagated(twice, "/bytes/300");

    ReceivedSpan post = single("/echo", upstream.port());
    assertThat(post.name()).isEqualTo("POST /echo");
    assertThat(post.attr("http.response.status_code")).isEqualTo(200L);
    assertPropagated(post, "/echo");
  }

  @Test
  void errorStatusesAreClassifiedByStatusEvenWhenTheClientThrows() {
    ReceivedSpan notFound = single("/status/404", upstream.port());
    assertThat(notFound.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(notFound.attributes())
        .containsEntry("error.type", "404")
        .containsEntry("http.response.status_code", 404L);
    ReceivedSpan serverError = single("/status/500", upstream.port());
    assertThat(serverError.attributes())
        .containsEntry("error.type", "500")
        .containsEntry("http.response.status_code", 500L);
  }

  @Test
  void refusedConnectionEndsTheSpanWithTheException() {
    ReceivedSpan refused = single("/down", refusedPort);
    assertThat(refused.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(refused.attributes())
        .containsEntry("error.type", "connection_refused")
        .doesNotContainKey("http.response.status_code");
  }

  @Test
  void aRequestMadeBetweenAnotherOnesConnectAndReadIsItsOwnSpan() {
    ReceivedSpan first = single("/first", upstream.port());
    ReceivedSpan second = single("/first-other", upstream.port());
    assertThat(second.parentSpanId()).as("not nested in the first").isEmpty();
    assertThat(second.traceId()).isNotEqualTo(first.traceId());
    assertPropagated(first, "/first");
    assertPropagated(second, "/first-other");
  }

  @Test
  void httpsIsRecordedWithItsScheme() {
    ReceivedSpan https = single("/json", tls.httpsPort());
    assertThat(https.attributes())
        .containsEntry("url.scheme", "https")
        .containsEntry("url.full", tls.httpsBaseUrl() + "/json")
        .containsEntry("http.response.status_code", 200L);
    List<Http2Upstream.Received> received =
        tls.requests().stream().filter(r -> r.path().equals("/json")).toList();
    assertThat(received).hasSize(2);
    assertThat(received.get(1).header("traceparent"))
        .contains(https.traceId())
        .contains(https.spanId());
  }

  @Test
  void failuresInsideTheRecorderNeverReachTheApplication() {
    // An upstream of its own, so that the other tests' request counts stay as they are.
    try (Upstream own = Upstream.start()) {
      ChildJvm.Result failing =
          app(new String[] {
                "get=" + own.baseUrl() + "/json",
                "post=" + own.baseUrl() + "/echo",
                "error-stream=" + own.baseUrl() + "/status/404",
                "get=http://127.0.0.1:" + refusedPort + "/down",
              })
              .agent(ChildJvm.agentJar())
              .sysProp("seamwatch.debug.failing-recorder", "true")
              .sysProp("otel.traces.exporter", "none")
              .sysProp("otel.metrics.exporter", "none")
              .run()
              .assertSuccess();
      assertThat(failing.stdoutLines())
          .containsExactly(
              "get status=200 body=19",
              "post status=200 body=5",
              "error-stream status=404 error-body=10",
              "get failed java.net.ConnectException");
      assertThat(failing.appStderrLines()).isEmpty();
      assertThat(own.requests()).hasSize(3);
    }
  }

  @Test
  void noSpanForTheAgentsOwnExport() {
    int receiverPort = URI.create(receiver.httpEndpoint()).getPort();
    assertThat(spans).noneMatch(s -> Long.valueOf(receiverPort).equals(s.attr("server.port")));
    assertThat(spans).hasSize(9);
  }

  private ReceivedSpan single(String path, int port) {
    List<ReceivedSpan> matching =
        spans.stream()
            .filter(s -> Long.valueOf(port).equals(s.attr("server.port")))
            .filter(s -> URI.create((String) s.attr("url.full")).getPath().equals(path))
            .toList();
    assertThat(matching).as("spans for %s on %d", path, port).hasSize(1);
    return matching.get(0);
  }

  /** The request the agent sent (the second one to that path; the first was the plain run). */
  private void assertPropagated(ReceivedSpan span, String path) {
    List<RecordedRequest> requests =
        upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).header("traceparent")).isNull();
    assertThat(requests.get(1).header("traceparent"))
        .contains(span.traceId())
        .contains(span.spanId());
  }
}
