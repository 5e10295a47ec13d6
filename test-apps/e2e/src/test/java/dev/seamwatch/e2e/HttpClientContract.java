package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.SelfSignedCertificate;
import dev.seamwatch.e2e.harness.Upstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every HTTP client instrumentation is held to, end to end: the same scenarios, run by
 * the same application ({@code ContractApp}) through each client library, in a child JVM with the
 * packaged agent, against real HTTP and HTTPS servers and a real OTLP receiver; and once without
 * the agent, whose output must be the same. A subclass names the client and what it can do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpClientContract {

  private static final String APP = "dev.seamwatch.testapps.httpclients.contract.ContractApp";
  private static final String UNKNOWN_HOST = "seamwatch-no-such-host.invalid";
  private static final int CONCURRENT_CALLS = 8 * 4;

  private OtlpReceiver receiver;
  private Upstream upstream;
  private SelfSignedCertificate trusted;
  private SelfSignedCertificate untrusted;
  private Upstream tlsUpstream;
  private Upstream untrustedUpstream;
  private int refusedPort;
  private List<String> calls;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private List<ReceivedSpan> spans;

  /** The client's name for {@code ContractApp}, which is also its instrumentation's name. */
  abstract String client();

  /** The application's classpath, with this client library's version. */
  abstract List<String> classpath();

  /**
   * Whether the agent watches the response bodies this client's application reads (all but Apache
   * HttpClient 5 async).
   */
  boolean watchesBodies() {
    return true;
  }

  /**
   * The readiness findings of a client built with no timeouts (the no-timeouts scenario); empty
   * when the client has no such scenario.
   */
  List<String> readinessWithoutTimeouts() {
    return List.of("no_connect_timeout", "no_response_timeout");
  }

  /** Whether the client has an asynchronous API (the async and cancel scenarios). */
  abstract boolean hasAsyncApi();

  /**
   * Whether the client lets the agent see each request it puts on the wire, so that a redirect or
   * retry is counted in {@code http.request.resend_count}. Either way, it is one span.
   */
  abstract boolean countsResends();

  /**
   * Requests the client makes for one call answered 503: Apache HttpClient 5 retries it once by
   * default (after a second); the others do not retry.
   */
  int attemptsOn503() {
    return 1;
  }

  @BeforeAll
  void run() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
    trusted = SelfSignedCertificate.create();
    untrusted = SelfSignedCertificate.create();
    tlsUpstream = Upstream.startTls(trusted);
    untrustedUpstream = Upstream.startTls(untrusted);
    refusedPort = Ports.refusedPort();
    String base = upstream.baseUrl();
    calls = new ArrayList<>();
    calls.add(client());
    calls.add("get=" + base + "/bytes/64");
    calls.add("post=" + base + "/echo");
    calls.add("get=" + base + "/status/404");
    calls.add("get=" + base + "/status/503");
    calls.add("get=http://127.0.0.1:" + refusedPort + "/refused");
    calls.add("get=http://" + UNKNOWN_HOST + "/unknown");
    calls.add("get=" + base + "/delay/5000");
    calls.add("get=" + base + "/redirect/bytes/32");
    calls.add("get=" + base + "/json-error");
    if (!readinessWithoutTimeouts().isEmpty()) {
      calls.add("no-timeouts=" + base + "/bytes/24");
    }
    calls.add("get=" + tlsUpstream.baseUrl() + "/bytes/48");
    calls.add("get=" + untrustedUpstream.baseUrl() + "/bytes/16");
    calls.add("concurrent=" + base + "/bytes/8");
    calls.add("own-headers=" + base + "/own");
    if (hasAsyncApi()) {
      calls.add("async=" + base + "/bytes/80");
      calls.add("cancel=" + base + "/delay/2000");
    }
    without = app().noAgent().run().assertSuccess();
    with =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    int expected = calls.size() - 2 + CONCURRENT_CALLS;
    spans = receiver.awaitSpans(s -> true, expected, Duration.ofSeconds(20));
  }

  private ChildJvm.Builder app() {
    return ChildJvm.builder()
        .classpath(classpath())
        .mainClass(APP)
        .sysProp("javax.net.ssl.trustStore", trusted.trustStorePath().toString())
        .sysProp("javax.net.ssl.trustStorePassword", trusted.password())
        .args(calls.toArray(new String[0]));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable :
        new AutoCloseable[] {
          receiver, upstream, tlsUpstream, untrustedUpstream, trusted, untrusted
        }) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // Closing after the tests.
      }
    }
  }

  @Test
  void theApplicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertThat(with.stdoutLines())
        .startsWith(
            "get status=200 body=64",
            "post status=200 body=4",
            "get status=404 body=10",
            "get status=503 body=10");
  }

  @Test
  void theApplicationsRequestObjectIsNotChanged() {
    String line =
        with.stdoutLines().stream()
            .filter(l -> l.startsWith("own-headers "))
            .findFirst()
            .orElseThrow();
    assertThat(line).startsWith("own-headers status=200 visible=").containsIgnoringCase("x-app");
    assertThat(line.toLowerCase()).doesNotContain("traceparent");
    ReceivedSpan span = span(upstream, "/own");
    assertPropagated(span, upstream, "/own", 1);
  }

  @Test
  void oneSpanPerCall() {
    assertThat(spans).hasSize(calls.size() - 2 + CONCURRENT_CALLS);
    assertThat(spans).allSatisfy(s -> assertThat(s.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT));
  }

  @Test
  void get() {
    ReceivedSpan span = span(upstream, "/bytes/64");
    assertSucceeded(span, "GET", upstream.baseUrl() + "/bytes/64");
    assertThat(span.attr("http.response.body.size")).isEqualTo(64L);
    assertPropagated(span, upstream, "/bytes/64", 1);
  }

  @Test
  void postCountsTheRequestBody() {
    ReceivedSpan span = span(upstream, "/echo");
    assertSucceeded(span, "POST", upstream.baseUrl() + "/echo");
    assertThat(span.attr("http.request.body.size")).isEqualTo(1500L);
    assertThat(span.attr("http.response.body.size")).isEqualTo(4L);
    assertPropagated(span, upstream, "/echo", 1);
    assertThat(upstream.requests().stream().filter(r -> r.path().equals("/echo")))
        .allSatisfy(r -> assertThat(r.bodyBytes()).isEqualTo(1500L));
  }

  /**
   * A 200 whose JSON body carries errors is found in the body the application reads, with no
   * baseline needed: on the span if the body was read while it was open, else in a log record of
   * the span's trace.
   */
  @Test
  void anErrorInASuccessfulBodyIsFound() {
    ReceivedSpan span = span(upstream, "/json-error");
    assertSucceeded(span, "GET", upstream.baseUrl() + "/json-error");
    List<Object> found = new ArrayList<>();
    if (span.attr("seamwatch.anomaly.types") instanceof List<?> types) {
      found.addAll(types);
    }
    receiver.logs().stream()
        .filter(l -> l.traceId().equals(span.traceId()) && l.spanId().equals(span.spanId()))
        .forEach(l -> found.add(l.attr("seamwatch.anomaly.type")));
    if (watchesBodies()) {
      assertThat(found).containsExactly("error_in_success");
    } else {
      assertThat(found).isEmpty();
    }
    // Nothing else was found in the whole run: no baseline was warm (10 s), and no body alarmed.
    assertThat(spans)
        .filteredOn(s -> s != span)
        .allSatisfy(s -> assertThat(s.attr("seamwatch.anomaly.types")).as("%s", s).isNull());
  }

  /**
   * The application's own clients set timeouts: no finding on any of their calls. The client made
   * with the library's defaults and no timeouts: its findings, once, on its call.
   */
  @Test
  void clientsWithoutTimeoutsAreReadinessFindings() {
    List<ReceivedSpan> flagged =
        spans.stream().filter(s -> !s.eventsNamed("seamwatch.readiness").isEmpty()).toList();
    if (readinessWithoutTimeouts().isEmpty()) {
      assertThat(flagged).isEmpty();
      return;
    }
    assertThat(flagged).hasSize(1);
    ReceivedSpan span = flagged.get(0);
    assertThat(path(span)).isEqualTo("/bytes/24");
    assertThat(
            span.eventsNamed("seamwatch.readiness").stream()
                .map(e -> String.valueOf(e.get("seamwatch.readiness.type")))
                .sorted()
                .toList())
        .isEqualTo(readinessWithoutTimeouts());
  }

  @Test
  void errorStatusesAreFailures() {
    for (int status : new int[] {404, 503}) {
      ReceivedSpan span = span(upstream, "/status/" + status);
      assertFailed(span, Integer.toString(status));
      assertThat(span.attr("http.response.status_code")).isEqualTo((long) status);
      assertThat(span.events()).isEmpty();
      int attempts = status == 503 ? attemptsOn503() : 1;
      assertPropagated(span, upstream, "/status/" + status, attempts);
      if (attempts > 1) {
        assertThat(span.attr("http.request.resend_count")).isEqualTo(attempts - 1L);
      }
    }
  }

  @Test
  void refusedConnection() {
    ReceivedSpan span = only(s -> Long.valueOf(refusedPort).equals(s.attr("server.port")));
    assertFailed(span, "connection_refused");
    assertThat(span.attributes()).doesNotContainKey("http.response.status_code");
    assertThat(span.eventAttributes("exception")).containsKey("exception.type");
  }

  @Test
  void unknownHost() {
    ReceivedSpan span = only(s -> UNKNOWN_HOST.equals(s.attr("server.address")));
    assertFailed(span, "unknown_host");
    assertThat(span.attr("url.full")).isEqualTo("http://" + UNKNOWN_HOST + "/unknown");
    assertThat(span.attr("server.port")).isEqualTo(80L);
  }

  @Test
  void readTimeout() {
    assertFailed(span(upstream, "/delay/5000"), "read_timeout");
  }

  @Test
  void redirectIsOneSpanAndEveryHopCarriesTheContext() {
    ReceivedSpan span = span(upstream, "/redirect/bytes/32");
    assertSucceeded(span, "GET", upstream.baseUrl() + "/redirect/bytes/32");
    assertPropagated(span, upstream, "/redirect/bytes/32", 1);
    assertPropagated(span, upstream, "/bytes/32", 1);
    if (countsResends()) {
      assertThat(span.attr("http.request.resend_count")).isEqualTo(1L);
    } else {
      assertThat(span.attributes()).doesNotContainKey("http.request.resend_count");
    }
  }

  @Test
  void https() {
    ReceivedSpan span = span(tlsUpstream, "/bytes/48");
    assertSucceeded(span, "GET", tlsUpstream.baseUrl() + "/bytes/48");
    assertThat(span.attr("url.scheme")).isEqualTo("https");
    assertThat(span.attr("http.response.body.size")).isEqualTo(48L);
    assertPropagated(span, tlsUpstream, "/bytes/48", 1);
  }

  @Test
  void untrustedCertificate() {
    ReceivedSpan span =
        only(s -> Long.valueOf(untrustedUpstream.port()).equals(s.attr("server.port")));
    assertFailed(span, "tls_handshake_failed");
    assertThat(untrustedUpstream.requests()).isEmpty();
  }

  @Test
  void concurrentCallsEachHaveTheirOwnSpanAndContext() {
    List<ReceivedSpan> concurrent =
        spans.stream()
            .filter(s -> Long.valueOf(upstream.port()).equals(s.attr("server.port")))
            .filter(s -> path(s).equals("/bytes/8"))
            .toList();
    assertThat(concurrent).hasSize(CONCURRENT_CALLS);
    Set<String> urls = new HashSet<>();
    Set<String> traces = new HashSet<>();
    List<RecordedRequest> received =
        upstream.requests().stream()
            .filter(r -> r.path().equals("/bytes/8") && r.header("traceparent") != null)
            .toList();
    assertThat(received).hasSize(CONCURRENT_CALLS);
    for (ReceivedSpan span : concurrent) {
      traces.add(span.traceId());
      assertThat(span.attr("http.response.status_code")).isEqualTo(200L);
      // The query's values are redacted in url.full: the request is found by its context.
      List<RecordedRequest> mine =
          received.stream()
              .filter(
                  r ->
                      r.header("traceparent")
                          .startsWith("00-" + span.traceId() + "-" + span.spanId() + "-"))
              .toList();
      assertThat(mine).as("requests carrying the context of %s in %s", span, received).hasSize(1);
      urls.add(mine.get(0).rawQuery());
    }
    assertThat(urls).hasSize(CONCURRENT_CALLS);
    assertThat(traces).hasSize(CONCURRENT_CALLS);
  }

  @Test
  void asynchronousCall() {
    if (!hasAsyncApi()) {
      assertThat(with.stdoutLines()).noneMatch(line -> line.startsWith("async"));
      return;
    }
    assertThat(with.stdoutLines()).contains("async status=200 body=80", "cancel cancelled");
    ReceivedSpan span = span(upstream, "/bytes/80");
    assertSucceeded(span, "GET", upstream.baseUrl() + "/bytes/80");
    assertThat(span.attr("http.response.body.size")).isEqualTo(80L);
    assertPropagated(span, upstream, "/bytes/80", 1);
  }

  @Test
  void cancelledCall() {
    if (!hasAsyncApi()) {
      return;
    }
    assertFailed(span(upstream, "/delay/2000"), "cancelled");
  }

  private void assertSucceeded(ReceivedSpan span, String method, String url) {
    assertThat(span.attributes())
        .containsEntry("http.request.method", method)
        .containsEntry("url.full", url)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("network.protocol.version", "1.1")
        .doesNotContainKey("error.type");
    assertThat(span.name()).startsWith(method + " ");
    assertThat(span.statusCode()).isNotEqualTo(StatusCode.STATUS_CODE_ERROR);
  }

  private static void assertFailed(ReceivedSpan span, String errorType) {
    assertThat(span.attr("error.type")).as("error.type of %s", span).isEqualTo(errorType);
    assertThat(span.statusCode()).as("status of %s", span).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(span.statusMessage()).isEqualTo(errorType);
  }

  /** Every request the server got for {@code path} carries this span's trace context. */
  private static void assertPropagated(
      ReceivedSpan span, Upstream server, String path, int expectedWithContext) {
    List<RecordedRequest> received =
        server.requests().stream()
            .filter(r -> r.path().equals(path))
            .filter(r -> r.header("traceparent") != null)
            .toList();
    assertThat(received).as("requests for %s with traceparent", path).hasSize(expectedWithContext);
    assertThat(received)
        .allSatisfy(
            r ->
                assertThat(r.header("traceparent"))
                    .startsWith("00-" + span.traceId() + "-" + span.spanId() + "-"));
  }

  private ReceivedSpan span(Upstream server, String path) {
    return only(
        s -> Long.valueOf(server.port()).equals(s.attr("server.port")) && path(s).equals(path));
  }

  private ReceivedSpan only(java.util.function.Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("matching spans among %s", spans).hasSize(1);
    return matching.get(0);
  }

  private static String path(ReceivedSpan span) {
    return URI.create((String) span.attr("url.full")).getPath();
  }
}
