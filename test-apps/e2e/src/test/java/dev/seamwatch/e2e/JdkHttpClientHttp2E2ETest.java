package dev.seamwatch.e2e;

import static dev.seamwatch.e2e.JdkHttpScenarios.contextOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.JdkHttpScenarios.Call;
import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.Http2Upstream;
import dev.seamwatch.e2e.harness.Http2Upstream.Received;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End-to-end tests of the java.net.http instrumentation over real HTTP/2: {@code JdkHttpClientApp}
 * runs in a child JVM with the packaged agent against {@link Http2Upstream} (Jetty), once over
 * cleartext with an h2c upgrade and three times over TLS, where ALPN settles on h2. A baseline run
 * of the same calls without the agent runs alongside it, against its own upstream.
 *
 * <p>The app makes its calls one after another, and each sends one request, so the upstream's
 * requests arrive in call order: request {@code i} is call {@code i}, and its traceparent names
 * call {@code i}'s span.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdkHttpClientHttp2E2ETest {
  /** Children flush before they exit, so this only bounds how long a failure takes to show. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String SCOPE = "dev.seamwatch";
  private static final String JSON_LINE = "status=200 body=19";

  private OtlpReceiver receiver;
  private Http2Upstream upstream;
  private Http2Upstream baselineUpstream;
  private List<Call> calls;
  private ChildJvm.Result withAgent;
  private ChildJvm.Result withoutAgent;

  /** Every span of the run with the agent, once the child has exited and flushed. */
  private List<ReceivedSpan> spans;

  @BeforeAll
  void runTheAppWithAndWithoutTheAgent() {
    receiver = OtlpReceiver.start();
    upstream = Http2Upstream.start();
    baselineUpstream = Http2Upstream.start();
    calls = calls(upstream);
    List<Call> baselineCalls = calls(baselineUpstream);
    CompletableFuture<ChildJvm.Result> baseline =
        CompletableFuture.supplyAsync(
            () -> trusting(JdkHttpScenarios.withoutAgent(baselineCalls), baselineUpstream).run());

    withAgent =
        trusting(JdkHttpScenarios.withAgent(receiver, "jdk-http2-e2e", calls), upstream)
            .run()
            .assertSuccess();
    withoutAgent = join(baseline).assertSuccess();

    try {
      receiver.awaitSpans(s -> true, calls.size(), WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nchild JVM with the agent: " + withAgent, e);
    }
    spans = receiver.spans();
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

  /** h2c on the cleartext connector; then h2 over TLS, sync and async, 200 and 503. */
  private static List<Call> calls(Http2Upstream upstream) {
    return List.of(
        new Call("http2", upstream.h2cBaseUrl() + "/json"),
        new Call("http2", upstream.httpsBaseUrl() + "/json"),
        new Call("get", upstream.httpsBaseUrl() + "/json"),
        new Call("async", upstream.httpsBaseUrl() + "/status/503"));
  }

  private static ChildJvm.Builder trusting(ChildJvm.Builder child, Http2Upstream upstream) {
    return child
        .sysProp("javax.net.ssl.trustStore", upstream.trustStorePath().toString())
        .sysProp("javax.net.ssl.trustStorePassword", upstream.trustStorePassword())
        .sysProp("javax.net.ssl.trustStoreType", "PKCS12");
  }

  @Test
  void everyCallGivesOneClientSpanWhoseContextItsRequestCarried() {
    assertThat(withAgent.stdoutLines())
        .as("stdout\n%s", withAgent)
        .containsExactly(
            "http2 " + JSON_LINE,
            "http2 " + JSON_LINE,
            "get " + JSON_LINE,
            "async status=503 body=10");
    assertThat(spans).as("spans of the run with the agent\n%s", withAgent).hasSize(calls.size());
    assertThat(upstream.requests()).as("requests of the run with the agent").hasSize(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      Exchange exchange = exchange(i);
      ReceivedSpan span = exchange.span();
      assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.scopeName()).isEqualTo(SCOPE);
      assertThat(span.parentSpanId()).isEmpty();
      assertThat(span.attributes())
          .containsEntry("http.request.method", "GET")
          .containsEntry("url.full", exchange.call().url())
          .containsEntry("server.address", "127.0.0.1");
    }
    assertThat(spans).extracting(ReceivedSpan::traceId).doesNotHaveDuplicates();
  }

  @Test
  void h2cUpgradeRecordsTheVersionTheServerSaw() {
    Exchange exchange = exchange(0);
    Received request = exchange.request();
    ReceivedSpan span = exchange.span();
    assertThat(request.secure()).isFalse();
    assertThat(request.localPort()).isEqualTo(upstream.h2cPort());
    assertThat(span.name()).isEqualTo("GET /json");
    assertThat(span.statusCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(span.attributes())
        .as("attributes of %s; the upstream got %s", span, request)
        .containsEntry("url.scheme", "http")
        .containsEntry("server.port", (long) upstream.h2cPort())
        .containsEntry("url.full", upstream.h2cBaseUrl() + "/json")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("network.protocol.version", versionOf(request.protocol()))
        .doesNotContainKey("error.type");
    // The JDK client asks for the upgrade and Jetty grants it: the request arrives over HTTP/2.
    assertThat(request.protocol()).as("protocol of %s", request).isEqualTo(Http2Upstream.HTTP_2);
  }

  @Test
  void httpsCallsNegotiateH2OverAlpnAndRecordIt() {
    for (int i = 1; i < calls.size(); i++) {
      Exchange exchange = exchange(i);
      Received request = exchange.request();
      ReceivedSpan span = exchange.span();
      assertThat(request.secure()).isTrue();
      assertThat(request.localPort()).isEqualTo(upstream.httpsPort());
      assertThat(span.attributes())
          .as("attributes of %s (%s); the upstream got %s", span, exchange.call(), request)
          .containsEntry("url.scheme", "https")
          .containsEntry("server.address", "127.0.0.1")
          .containsEntry("server.port", (long) upstream.httpsPort())
          .containsEntry("url.full", exchange.call().url())
          .containsEntry("network.protocol.version", versionOf(request.protocol()));
      // ALPN settles on h2, and the span says so.
      assertThat(request.protocol()).as("protocol of %s", request).isEqualTo(Http2Upstream.HTTP_2);
      assertThat(span.attr("network.protocol.version")).isEqualTo("2");
    }
  }

  @Test
  void httpsSuccessesAreOkAndThe503IsAnErrorSyncAndAsync() {
    for (int i : new int[] {1, 2}) {
      ReceivedSpan span = exchange(i).span();
      assertThat(span.name()).isEqualTo("GET /json");
      assertThat(span.statusCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
      assertThat(span.attributes())
          .as("attributes of %s", span)
          .containsEntry("url.full", upstream.httpsBaseUrl() + "/json")
          .containsEntry("http.response.status_code", 200L)
          .doesNotContainKey("error.type");
    }
    Exchange async = exchange(3);
    assertThat(async.call().scenario()).isEqualTo("async");
    ReceivedSpan span = async.span();
    assertThat(span.name()).isEqualTo("GET /status/{id}");
    assertThat(span.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(span.statusMessage()).isEqualTo("503");
    assertThat(span.attributes())
        .as("attributes of %s", span)
        .containsEntry("url.full", upstream.httpsBaseUrl() + "/status/503")
        .containsEntry("http.response.status_code", 503L)
        .containsEntry("error.type", "503");
    assertThat(span.duration()).isPositive();
  }

  @Test
  void applicationBehavesExactlyAsWithoutTheAgent() {
    assertThat(withoutAgent.stdoutLines()).hasSize(calls.size());
    assertThat(withoutAgent.stdoutLines().get(0)).isEqualTo("http2 " + JSON_LINE);
    assertThat(withAgent.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(withAgent.exitCode()).isEqualTo(withoutAgent.exitCode());
    assertThat(withAgent.appStderrLines()).isEqualTo(withoutAgent.appStderrLines());

    // The agent changes neither which requests go out nor the protocol they go out on.
    List<Received> baseline = baselineUpstream.requests();
    assertThat(baseline)
        .extracting(r -> r.path() + " " + r.protocol() + " secure=" + r.secure())
        .containsExactlyElementsOf(
            upstream.requests().stream()
                .map(r -> r.path() + " " + r.protocol() + " secure=" + r.secure())
                .toList());
    assertThat(baseline).allSatisfy(r -> assertThat(r.header("traceparent")).isNull());
  }

  /** Call {@code i}, the request it sent and the one span whose context that request carried. */
  private record Exchange(Call call, Received request, ReceivedSpan span) {}

  private Exchange exchange(int i) {
    Call call = calls.get(i);
    List<Received> requests = upstream.requests();
    assertThat(requests).as("requests of the run with the agent").hasSize(calls.size());
    Received request = requests.get(i);
    URI uri = URI.create(call.url());
    assertThat(request.path()).as("request %d: %s", i, request).isEqualTo(uri.getPath());
    assertThat(request.localPort()).as("request %d: %s", i, request).isEqualTo(uri.getPort());
    assertThat(request.headers().get("traceparent"))
        .as("traceparent headers of %s", request)
        .hasSize(1);
    String context = contextOf(request.header("traceparent"));
    List<ReceivedSpan> matching = spans.stream().filter(s -> contextOf(s).equals(context)).toList();
    assertThat(matching)
        .as("spans with the context %s of %s (call %s) among %s", context, request, call, spans)
        .hasSize(1);
    return new Exchange(call, request, matching.get(0));
  }

  /** The semantic conventions' network.protocol.version for what the upstream recorded. */
  private static String versionOf(String protocol) {
    switch (protocol) {
      case Http2Upstream.HTTP_2:
        return "2";
      case Http2Upstream.HTTP_1_1:
        return "1.1";
      default:
        throw new AssertionError("unexpected protocol " + protocol);
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AssertionError assertion) {
        throw assertion;
      }
      throw e;
    }
  }
}
