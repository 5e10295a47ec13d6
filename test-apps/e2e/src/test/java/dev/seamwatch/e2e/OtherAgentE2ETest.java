package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.DatabaseServers;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.RecordedRequest;
import dev.seamwatch.e2e.harness.Upstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seamwatch beside the OpenTelemetry Java agent (2.33.1), attached in either order, on real
 * applications making real calls: {@code java.net.http}, {@code HttpURLConnection} and OkHttp
 * against an HTTP upstream, JDBC on H2. The application runs as without agents, and each agent
 * records every call and exports to its own collector.
 *
 * <p>Both agents read the same standard {@code otel.*} settings. They are told apart by the
 * OpenTelemetry agent's configuration file ({@code otel.javaagent.configuration-file}), which
 * Seamwatch does not read: it gives that agent per-signal endpoints, which beat the shared {@code
 * otel.exporter.otlp.endpoint} that Seamwatch uses.
 *
 * <p>What happens to the telemetry, as observed and pinned here: each agent makes its own span for
 * each call, in a trace of its own (neither sees the other's context); the request carries one
 * {@code traceparent}, Seamwatch's, in either order; the OpenTelemetry agent also records
 * Seamwatch's own OTLP exports as client calls of the application, while Seamwatch records none of
 * the other agent's.
 */
class OtherAgentE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SEAMWATCH_SCOPE = "dev.seamwatch";

  /** What the OpenTelemetry agent alone adds to stderr, with or without Seamwatch. */
  private static final String CDS_WARNING =
      "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes because"
          + " bootstrap classpath has been appended";

  private static final String OTEL_AGENT_LOG = "[otel.javaagent ";

  enum Order {
    SEAMWATCH_FIRST,
    OTEL_AGENT_FIRST
  }

  /** An application, the spans each agent makes of its calls, and whether they are HTTP calls. */
  enum App {
    JDK_HTTP_CLIENT(
        "io.opentelemetry.java-http-client",
        List.of("GET /json", "POST /echo", "GET /delay/{id}"),
        List.of("GET", "POST", "GET")),
    HTTP_URL_CONNECTION(
        "io.opentelemetry.http-url-connection",
        List.of("GET /json", "POST /echo"),
        List.of("GET", "POST")),
    OKHTTP(
        "io.opentelemetry.okhttp-3.0", List.of("GET /json", "POST /echo"), List.of("GET", "POST")),
    JDBC(
        "io.opentelemetry.jdbc",
        List.of(
            "DROP items",
            "DROP customers",
            "CREATE items",
            "CREATE customers",
            "INSERT items",
            "INSERT customers",
            "SELECT items",
            "SELECT items"),
        List.of(
            "DROP TABLE other.items",
            "DROP TABLE other.customers",
            "CREATE TABLE other.items",
            "CREATE TABLE other.customers",
            "INSERT other.items",
            "INSERT other.customers",
            "SELECT other.items",
            "SELECT other.items"));

    final String otelScope;
    final List<String> seamwatchSpans;
    final List<String> otelSpans;

    App(String otelScope, List<String> seamwatchSpans, List<String> otelSpans) {
      this.otelScope = otelScope;
      this.seamwatchSpans = seamwatchSpans;
      this.otelSpans = otelSpans;
    }

    boolean http() {
      return this != JDBC;
    }

    /** The report's count: one per span, and JDBC's connects (two, fast: no span) besides. */
    int reportedCalls() {
      return seamwatchSpans.size() + (http() ? 0 : 2);
    }

    ChildJvm.Builder run(Upstream upstream) {
      String json = "get=" + upstream.baseUrl() + "/json";
      String echo = "post=" + upstream.baseUrl() + "/echo";
      switch (this) {
        case JDK_HTTP_CLIENT:
          // The slow call keeps the application running while Seamwatch exports the first two
          // calls' spans (within 100 ms): the OpenTelemetry agent sees that export, in any order.
          return ChildJvm.builder()
              .classpath(ChildJvm.appsJar())
              .mainClass("dev.seamwatch.testapps.JdkHttpClientApp")
              .args(json, echo, "get=" + upstream.baseUrl() + "/delay/1500");
        case HTTP_URL_CONNECTION:
          return ChildJvm.builder()
              .classpath(ChildJvm.appsJar())
              .mainClass("dev.seamwatch.testapps.HttpUrlConnectionApp")
              .args(json, echo);
        case OKHTTP:
          return ChildJvm.builder()
              .classpath(ChildJvm.httpClientsAppClasspath())
              .mainClass("dev.seamwatch.testapps.httpclients.contract.ContractApp")
              .args("okhttp", json, echo);
        default:
          return ChildJvm.builder()
              .classpath(DatabaseServers.jdbcAppClasspath())
              .mainClass("dev.seamwatch.testapps.jdbc.JdbcApp")
              .args(
                  "jdbc:h2:mem:other;DB_CLOSE_DELAY=-1",
                  "sa",
                  "",
                  "driver",
                  "setup",
                  "select-by-id");
      }
    }
  }

  @TempDir Path dir;

  static Stream<Arguments> appsAndOrders() {
    return Stream.of(App.values())
        .flatMap(app -> Stream.of(Order.values()).map(order -> Arguments.of(app, order)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("appsAndOrders")
  void theApplicationRunsAsWithoutAgentsAndEachAgentExportsItsOwnSpans(App app, Order order)
      throws IOException {
    try (Upstream upstream = Upstream.start();
        OtlpReceiver seamwatch = OtlpReceiver.start();
        OtlpReceiver otel = OtlpReceiver.start()) {
      ChildJvm.Result without = app.run(upstream).noAgent().run().assertSuccess();
      int baselineRequests = upstream.requests().size();
      ChildJvm.Result with = withBothAgents(app.run(upstream), order, seamwatch, otel).run();

      // The application: same exit, same output; stderr has only the other agent's own lines more.
      assertThat(with.exitCode()).as(with.toString()).isZero();
      assertThat(with.stdout()).isEqualTo(without.stdout());
      assertThat(
              with.appStderrLines().stream()
                  .filter(line -> !line.equals(CDS_WARNING) && !line.startsWith(OTEL_AGENT_LOG)))
          .containsExactlyElementsOf(without.appStderrLines());
      assertThat(with.stderrLines())
          .as("no exception, verify error or failed instrumentation")
          .noneMatch(line -> line.contains("Exception") || line.contains("Error:"))
          .noneMatch(line -> line.contains("could not instrument") || line.contains(" failed on "));
      // Seamwatch says nothing about the other agent, and counts only the application's calls:
      // none of the other agent's exports, not even as calls made before it started.
      assertThat(with.seamwatchLines())
          .allMatch(
              line ->
                  line.startsWith("[seamwatch] Seamwatch ")
                      || line.startsWith("[seamwatch] integration report: ")
                      || line.startsWith("[seamwatch]   "),
              "the startup line and the report only")
          .contains(
              "[seamwatch] integration report: 1 integration(s), "
                  + app.reportedCalls()
                  + " call(s), 0 error(s)");

      // Seamwatch's spans, at its collector only, one per call.
      List<ReceivedSpan> ours = seamwatch.awaitSpans(s -> true, app.seamwatchSpans.size(), WAIT);
      assertThat(ours).allSatisfy(s -> assertThat(s.scopeName()).isEqualTo(SEAMWATCH_SCOPE));
      assertThat(ours)
          .extracting(ReceivedSpan::name)
          .containsExactlyInAnyOrderElementsOf(app.seamwatchSpans);
      assertThat(ours).allSatisfy(s -> assertThat(s.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT));

      // The other agent's spans of the same calls, at its own collector: the same calls twice, in
      // two backends, in traces that share nothing.
      List<ReceivedSpan> theirs =
          otel.awaitSpans(
              s -> app.otelScope.equals(s.scopeName()) && isAppCall(app, s, upstream),
              app.otelSpans.size(),
              WAIT);
      assertThat(theirs)
          .extracting(ReceivedSpan::name)
          .containsExactlyInAnyOrderElementsOf(app.otelSpans);
      assertThat(otel.spans()).noneMatch(s -> SEAMWATCH_SCOPE.equals(s.scopeName()));
      assertThat(ours).allSatisfy(s -> assertThat(s.parentSpanId()).isEmpty());
      assertThat(theirs).allSatisfy(s -> assertThat(s.parentSpanId()).isEmpty());
      assertThat(ours)
          .extracting(ReceivedSpan::traceId)
          .doesNotContainAnyElementsOf(theirs.stream().map(ReceivedSpan::traceId).toList());

      if (app.http()) {
        List<RecordedRequest> requests =
            upstream.requests().subList(baselineRequests, upstream.requests().size());
        assertThat(requests).hasSize(app.seamwatchSpans.size());
        for (RecordedRequest request : requests) {
          // One traceparent, Seamwatch's: the downstream continues Seamwatch's trace, and the
          // other agent's client span has no child there.
          assertThat(request.headers().get("traceparent")).as(request.toString()).hasSize(1);
          ReceivedSpan span = spanOf(ours, request);
          assertThat(request.header("traceparent"))
              .startsWith("00-" + span.traceId() + "-" + span.spanId() + "-");
        }
      }
      if (app == App.JDK_HTTP_CLIENT) {
        // The other agent records Seamwatch's own exports, made with java.net.http, as the
        // application's calls.
        String ownExports = seamwatch.httpEndpoint() + "/v1/";
        assertThat(otel.spans())
            .anyMatch(s -> s.attr("url.full") instanceof String url && url.startsWith(ownExports));
      }
      assertThat(ours)
          .noneMatch(
              s -> s.attr("url.full") instanceof String url && url.startsWith(otel.httpEndpoint()));
    }
  }

  private ChildJvm.Builder withBothAgents(
      ChildJvm.Builder app, Order order, OtlpReceiver seamwatch, OtlpReceiver otel)
      throws IOException {
    // Read by the OpenTelemetry agent only. Its per-signal endpoints win over the general
    // endpoint, a system property both agents read; system properties would beat this file.
    Path otelConfig = dir.resolve("otel-agent.properties");
    Files.writeString(
        otelConfig,
        "otel.exporter.otlp.traces.endpoint="
            + otel.httpEndpoint()
            + "/v1/traces\n"
            + "otel.exporter.otlp.metrics.endpoint="
            + otel.httpEndpoint()
            + "/v1/metrics\n"
            + "otel.exporter.otlp.logs.endpoint="
            + otel.httpEndpoint()
            + "/v1/logs\n"
            // It exports all the time, so that Seamwatch would see those exports if it recorded
            // them, however short the application's run.
            + "otel.metric.export.interval=100\n");
    if (order == Order.SEAMWATCH_FIRST) {
      app.agent(ChildJvm.agentJar()).agent(ChildJvm.otelJavaagentJar());
    } else {
      app.agent(ChildJvm.otelJavaagentJar()).agent(ChildJvm.agentJar());
    }
    return app.sysProp("otel.javaagent.configuration-file", otelConfig.toString())
        .sysProp("otel.exporter.otlp.endpoint", seamwatch.httpEndpoint())
        .sysProp("otel.service.name", "beside-another-agent")
        // Both agents export spans while the application runs, not only at its exit. (Seamwatch
        // keeps its long metric interval: a first metric export made while it is still starting
        // is counted among the application's calls made before the start, a flaw of its own.)
        .sysProp("otel.bsp.schedule.delay", "100")
        .sysProp("seamwatch.report.file", "none")
        // The OpenTelemetry agent takes several seconds to start on two busy cores.
        .timeout(Duration.ofSeconds(120));
  }

  /** The other agent's span of one of the application's own calls (not of an agent's export). */
  private static boolean isAppCall(App app, ReceivedSpan span, Upstream upstream) {
    return !app.http() || Long.valueOf(upstream.port()).equals(span.attr("server.port"));
  }

  private static ReceivedSpan spanOf(List<ReceivedSpan> spans, RecordedRequest request) {
    return spans.stream()
        .filter(s -> s.attr("url.full") instanceof String url && url.endsWith(request.path()))
        .filter(s -> request.method().equals(s.attr("http.request.method")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Seamwatch span for " + request + " in " + spans));
  }
}
