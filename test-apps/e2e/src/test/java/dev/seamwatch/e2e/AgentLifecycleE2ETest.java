package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.Upstream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent never breaks the application: disabled, given twice, failing inside, misconfigured or
 * facing a collector that is down or hangs, the application's own output is the same as without the
 * agent, and the JVM exits promptly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentLifecycleE2ETest {

  private static final String APP = "dev.seamwatch.testapps.JdkHttpClientApp";

  private Upstream upstream;
  private String[] scenarios;
  private ChildJvm.Result withoutAgent;

  @BeforeAll
  void runWithoutAgent() {
    upstream = Upstream.start();
    scenarios =
        new String[] {
          "get=" + upstream.baseUrl() + "/json?token=abc",
          "async=" + upstream.baseUrl() + "/status/503",
          "post=" + upstream.baseUrl() + "/echo",
          "get=http://127.0.0.1:" + Ports.refusedPort() + "/down",
          "own-request=" + upstream.baseUrl() + "/json",
        };
    withoutAgent = app().noAgent().run().assertSuccess();
    assertThat(withoutAgent.stdoutLines()).hasSize(scenarios.length);
  }

  @AfterAll
  void stop() {
    upstream.close();
  }

  private ChildJvm.Builder app() {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsJar())
        .mainClass(APP)
        .args(scenarios)
        .timeout(Duration.ofSeconds(60));
  }

  @Test
  void disabledAgentIsANoOp() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("seamwatch.enabled", "false")
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.stderr()).isEqualTo(withoutAgent.stderr());
  }

  @Test
  void agentGivenTwiceInstallsOnceAndSaysSo() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result result =
          app()
              .agent(ChildJvm.agentJar())
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
      assertThat(result.seamwatchLines()).filteredOn(l -> l.contains("more than once")).hasSize(1);
      assertThat(result.seamwatchLines()).filteredOn(l -> l.contains(" started in ")).hasSize(1);
      List<ReceivedSpan> spans =
          receiver.awaitSpans(s -> s.name().equals("POST /echo"), 1, Duration.ofSeconds(10));
      assertThat(spans).hasSize(1);
    }
  }

  @Test
  void failuresInsideTheRecorderNeverReachTheApplication() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("seamwatch.debug.failing-recorder", "true")
            .sysProp("otel.traces.exporter", "none")
            .sysProp("otel.metrics.exporter", "none")
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.appStderrLines()).isEqualTo(appStderr(withoutAgent));
  }

  @Test
  void badOpenTelemetrySettingGivesOneLineAndTheApplicationRuns() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.traces.sampler", "sometimes")
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.seamwatchLines()).hasSize(1);
    assertThat(result.seamwatchLines().get(0))
        .contains("agent not started")
        .contains("otel.traces.sampler")
        .contains("sometimes");
  }

  @Test
  void badSeamwatchSettingGivesOneLineAndFallsBackToTheDefault() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result result =
          app()
              .agent(ChildJvm.agentJar())
              .sysProp("seamwatch.keys.max", "lots")
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
      assertThat(result.seamwatchLines())
          .filteredOn(l -> l.contains("seamwatch.keys.max"))
          .singleElement()
          .asString()
          .contains("lots")
          .contains("expected an integer")
          .contains("using the default, 2000");
      assertThat(receiver.awaitSpans(s -> s.name().equals("POST /echo"), 1, Duration.ofSeconds(10)))
          .hasSize(1);
    }
  }

  @Test
  void collectorDownDoesNotChangeTheApplicationOrHoldItsExit() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + Ports.refusedPort())
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.appStderrLines()).isEqualTo(appStderr(withoutAgent));
    assertThat(result.elapsed()).isLessThan(withoutAgent.elapsed().plusSeconds(6));
  }

  @Test
  void hangingCollectorDoesNotHoldTheExit() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      receiver.hang(true);
      ChildJvm.Result result =
          app()
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
      // The shutdown flush is bounded by seamwatch.shutdown.timeout.ms (3 s by default).
      assertThat(result.elapsed()).isLessThan(withoutAgent.elapsed().plusSeconds(6));
    }
  }

  @Test
  void startupLineSaysVersionInstrumentationsExporterAndTime() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result result =
          app()
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(result.seamwatchLines())
          .filteredOn(l -> l.contains(" started in "))
          .singleElement()
          .asString()
          .matches(".*Seamwatch \\S+ started in \\d+ ms.*")
          .contains("instrumentations: java-http-client")
          .contains("traces otlp http/protobuf " + receiver.httpEndpoint() + "/v1/traces")
          .contains("metrics otlp http/protobuf " + receiver.httpEndpoint() + "/v1/metrics");
    }
  }

  @Test
  void resourceCarriesServiceDistroHostAndRuntimeButNeverTheCommandLine() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      app()
          .agent(ChildJvm.agentJar())
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
          .sysProp("otel.service.name", "checkout")
          .sysProp("otel.resource.attributes", "deployment.environment.name=test")
          .sysProp("db.password", "hunter2-secret")
          .run()
          .assertSuccess();
      ReceivedSpan span =
          receiver.awaitSpans(s -> s.name().equals("POST /echo"), 1, Duration.ofSeconds(10)).get(0);
      assertThat(span.resource())
          .containsEntry("service.name", "checkout")
          .containsEntry("deployment.environment.name", "test")
          .containsEntry("telemetry.distro.name", "seamwatch")
          .containsKeys(
              "telemetry.distro.version",
              "host.name",
              "host.arch",
              "os.type",
              "process.pid",
              "process.runtime.name",
              "process.runtime.version")
          .doesNotContainKeys("process.command_line", "process.command_args", "process.command");
      assertThat(span.resource().get("telemetry.distro.version").toString()).isNotBlank();
      assertThat(receiver.spans().toString() + receiver.metrics())
          .doesNotContain("hunter2-secret")
          .doesNotContain("token=abc");
    }
  }

  @Test
  void otelPropagatorsAndSamplerSettingsAreHonoured() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      int before = upstream.requests().size();
      app()
          .agent(ChildJvm.agentJar())
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
          .sysProp("otel.propagators", "b3multi")
          .sysProp("otel.traces.sampler", "always_off")
          .sysProp("otel.metric.export.interval", "200")
          .run()
          .assertSuccess();
      var requests = upstream.requests().subList(before, upstream.requests().size());
      assertThat(requests).isNotEmpty();
      assertThat(requests)
          .allSatisfy(
              r -> {
                assertThat(r.header("X-B3-TraceId")).hasSize(32);
                assertThat(r.header("X-B3-Sampled")).isEqualTo("0");
                assertThat(r.header("traceparent")).isNull();
              });
      // Sampled out: no spans, but the duration metric still counts every call.
      receiver.awaitMetric("http.client.request.duration", Duration.ofSeconds(10));
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void otelSpanLimitSettingsApplyToRecordedCalls() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      app()
          .agent(ChildJvm.agentJar())
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
          .sysProp("otel.span.attribute.value.length.limit", "12")
          .run()
          .assertSuccess();
      ReceivedSpan span =
          receiver.awaitSpans(s -> s.name().equals("POST /echo"), 1, Duration.ofSeconds(10)).get(0);
      // Recorded calls' spans are Seamwatch's own (CallSpans), limited as the SDK's spans are.
      assertThat((String) span.attr("url.full")).hasSize(12).startsWith("http://");
      assertThat(span.attributes().values())
          .allSatisfy(v -> assertThat(String.valueOf(v)).hasSizeLessThanOrEqualTo(12));
    }
  }

  @Test
  void asyncStartupReturnsFromPremainAndRecordsOnceReady() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      String url = upstream.baseUrl() + "/status/201";
      ChildJvm.Builder run =
          ChildJvm.builder()
              .classpath(ChildJvm.appsJar())
              .mainClass(APP)
              .args("await-agent=x://agent", "get=" + url);
      ChildJvm.Result without = run.noAgent().run().assertSuccess();
      ChildJvm.Result with =
          ChildJvm.builder()
              .classpath(ChildJvm.appsJar())
              .mainClass(APP)
              .args("await-agent=x://agent", "get=" + url)
              .agent(ChildJvm.agentJar())
              .sysProp("seamwatch.startup", "async")
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .run()
              .assertSuccess();
      assertThat(with.stdout()).isEqualTo(without.stdout()).contains("await-agent ready");
      assertThat(with.seamwatchLines())
          .filteredOn(l -> l.contains(" started in "))
          .singleElement()
          .asString()
          .contains("(in the background)");
      assertThat(
              receiver.awaitSpans(
                  s -> s.name().equals("GET /status/{id}"), 1, Duration.ofSeconds(10)))
          .singleElement()
          .satisfies(s -> assertThat(s.attr("http.response.status_code")).isEqualTo(201L));
    }
  }

  @Test
  void asyncStartupCountsEveryCallAsRecordedOrBeforeStart() {
    ChildJvm.Result result = thirtyCallsFromTheStart("async");
    String report = reportLine(result);
    java.util.regex.Matcher recorded =
        java.util.regex.Pattern.compile(" (\\d+) call\\(s\\), ").matcher(report);
    java.util.regex.Matcher before =
        java.util.regex.Pattern.compile("(\\d+) call\\(s\\) before the agent started")
            .matcher(report);
    assertThat(recorded.find()).as(report).isTrue();
    long total =
        Long.parseLong(recorded.group(1)) + (before.find() ? Long.parseLong(before.group(1)) : 0);
    // The advice is in place before the application's first call (a class the instrumentations
    // name waits for them), so each call is either recorded or counted: none is lost.
    assertThat(total).as(report).isEqualTo(STARTUP_CALLS);
  }

  @Test
  void syncStartupRecordsEveryCallFromTheFirstLineOfMain() {
    // premain returns before the SDK is built; the application's first call, made as soon as main
    // runs, waits for the rest of the start and is recorded like every later one.
    ChildJvm.Result result = thirtyCallsFromTheStart("sync");
    String report = reportLine(result);
    assertThat(report)
        .contains(" " + STARTUP_CALLS + " call(s), ")
        .doesNotContain("before the agent");
    assertThat(result.seamwatchLines())
        .filteredOn(l -> l.contains(" started in "))
        .singleElement()
        .asString()
        .doesNotContain("background");
  }

  @Test
  void consoleExporterPrintsSpansWithNoCollector() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.traces.exporter", "console")
            .sysProp("otel.metrics.exporter", "none")
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.seamwatchLines())
        .anySatisfy(l -> assertThat(l).contains("'POST /echo'").contains("CLIENT"));
    assertThat(result.seamwatchLines())
        .anySatisfy(l -> assertThat(l).contains("integration report"));
  }

  private static final int STARTUP_CALLS = 30;

  /**
   * The application making {@link #STARTUP_CALLS} GETs from the first line of its main, with the
   * agent started in {@code mode} ({@code seamwatch.startup}) and no exporter.
   */
  private ChildJvm.Result thirtyCallsFromTheStart(String mode) {
    String[] calls = new String[STARTUP_CALLS];
    java.util.Arrays.fill(calls, "get=" + upstream.baseUrl() + "/json");
    return ChildJvm.builder()
        .classpath(ChildJvm.appsJar())
        .mainClass(APP)
        .args(calls)
        .agent(ChildJvm.agentJar())
        .sysProp("seamwatch.startup", mode)
        .sysProp("otel.traces.exporter", "none")
        .sysProp("otel.metrics.exporter", "none")
        .run()
        .assertSuccess();
  }

  /** The report's first line ("integration report: N integration(s), N call(s), ..."). */
  private static String reportLine(ChildJvm.Result result) {
    return result.seamwatchLines().stream()
        .filter(l -> l.contains("integration report"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no report in " + result.stderr()));
  }

  private static List<String> appStderr(ChildJvm.Result result) {
    return result.appStderrLines();
  }
}
