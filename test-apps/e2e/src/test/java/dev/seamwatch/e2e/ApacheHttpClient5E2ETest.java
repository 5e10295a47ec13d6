package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.Upstream;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Apache HttpClient 5 classic end to end: one span per execute, propagation, failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheHttpClient5E2ETest {

  private static final String APP = "dev.seamwatch.testapps.httpclients.ApacheHttpClient5App";

  private OtlpReceiver receiver;
  private Upstream upstream;
  private int refusedPort;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private List<ReceivedSpan> spans;

  @BeforeAll
  void run() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
    refusedPort = Ports.refusedPort();
    String base = upstream.baseUrl();
    String[] calls = {
      "get=" + base + "/json?token=s3cret",
      "post=" + base + "/echo",
      "get=" + base + "/status/503",
      "target=" + base + "/bytes/64",
      "own-request=" + base + "/own",
      "get=http://127.0.0.1:" + refusedPort + "/down",
    };
    without = app(calls).noAgent().run().assertSuccess();
    with =
        app(calls)
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    spans = receiver.awaitSpans(s -> true, calls.length, Duration.ofSeconds(15));
  }

  private ChildJvm.Builder app(String[] calls) {
    return ChildJvm.builder()
        .classpath(ChildJvm.httpClientsAppClasspath())
        .mainClass(APP)
        .args(calls);
  }

  @AfterAll
  void stop() {
    receiver.close();
    upstream.close();
  }

  @Test
  void applicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdoutLines()).hasSize(6);
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    // The context goes on the copy the client sends: the application's request keeps its one
    // header (x-app).
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(with.stdoutLines()).contains("own-request status=200 headers=1");
  }

  @Test
  void oneSpanPerExecuteWithPropagation() {
    assertThat(spans).hasSize(6);
    ReceivedSpan get = single("/json", upstream.port());
    assertThat(get.name()).isEqualTo("GET /json");
    assertThat(get.attributes())
        .containsEntry("url.full", upstream.baseUrl() + "/json?token=REDACTED")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("network.protocol.version", "1.1")
        .containsEntry("http.response.body.size", 19L)
        .doesNotContainKey("error.type");
    assertPropagated(get, "/json");
    ReceivedSpan post = single("/echo", upstream.port());
    assertThat(post.name()).isEqualTo("POST /echo");
    assertPropagated(post, "/echo");
    ReceivedSpan target = single("/bytes/64", upstream.port());
    assertThat(target.attr("url.full")).isEqualTo(upstream.baseUrl() + "/bytes/64");
    assertPropagated(target, "/bytes/64");
  }

  @Test
  void failuresAreClassified() {
    ReceivedSpan unavailable = single("/status/503", upstream.port());
    assertThat(unavailable.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(unavailable.attr("error.type")).isEqualTo("503");
    ReceivedSpan refused = single("/down", refusedPort);
    assertThat(refused.attr("error.type")).isEqualTo("connection_refused");
    assertThat(refused.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
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
