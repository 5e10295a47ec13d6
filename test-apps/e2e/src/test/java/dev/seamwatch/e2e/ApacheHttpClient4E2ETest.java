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
import org.junit.jupiter.api.Test;

/** Apache HttpClient 4 classic end to end: one span per execute, propagation, failures. */
class ApacheHttpClient4E2ETest {

  private static final String APP = "dev.seamwatch.testapps.httpclients.ApacheHttpClient4App";

  @Test
  void everyExecuteIsOneSpanWithPropagationAndTheAppIsUnchanged() {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        Upstream upstream = Upstream.start()) {
      int refused = Ports.refusedPort();
      String base = upstream.baseUrl();
      String[] calls = {
        "get=" + base + "/json?key=v",
        "post=" + base + "/echo",
        "get=" + base + "/status/404",
        "target=" + base + "/bytes/32",
        "get=http://127.0.0.1:" + refused + "/down",
      };
      ChildJvm.Result without = app(calls).noAgent().run().assertSuccess();
      ChildJvm.Result with =
          app(calls)
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(with.stdout()).isEqualTo(without.stdout());
      assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
      assertThat(with.stdoutLines()).contains("get status=200 body=19", "post status=200 body=700");

      List<ReceivedSpan> spans =
          receiver.awaitSpans(s -> true, calls.length, Duration.ofSeconds(15));
      assertThat(spans).hasSize(calls.length);
      for (String path : List.of("/json", "/echo", "/status/404", "/bytes/32")) {
        ReceivedSpan span = single(spans, path, upstream.port());
        List<RecordedRequest> requests =
            upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("traceparent")).isNull();
        assertThat(requests.get(1).header("traceparent"))
            .contains(span.traceId())
            .contains(span.spanId());
      }
      assertThat(single(spans, "/json", upstream.port()).attributes())
          .containsEntry("url.full", base + "/json?key=REDACTED")
          .containsEntry("http.response.status_code", 200L)
          .containsEntry("network.protocol.version", "1.1")
          .containsEntry("http.response.body.size", 19L);
      assertThat(single(spans, "/echo", upstream.port()).name()).isEqualTo("POST /echo");
      ReceivedSpan notFound = single(spans, "/status/404", upstream.port());
      assertThat(notFound.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
      assertThat(notFound.attr("error.type")).isEqualTo("404");
      assertThat(single(spans, "/bytes/32", upstream.port()).attr("url.full"))
          .isEqualTo(base + "/bytes/32");
      assertThat(single(spans, "/down", refused).attr("error.type"))
          .isEqualTo("connection_refused");
    }
  }

  private static ChildJvm.Builder app(String[] calls) {
    return ChildJvm.builder()
        .classpath(ChildJvm.httpClientsAppClasspath())
        .mainClass(APP)
        .args(calls);
  }

  private static ReceivedSpan single(List<ReceivedSpan> spans, String path, int port) {
    List<ReceivedSpan> matching =
        spans.stream()
            .filter(s -> Long.valueOf(port).equals(s.attr("server.port")))
            .filter(s -> URI.create((String) s.attr("url.full")).getPath().equals(path))
            .toList();
    assertThat(matching).as("spans for %s on %d", path, port).hasSize(1);
    return matching.get(0);
  }
}
