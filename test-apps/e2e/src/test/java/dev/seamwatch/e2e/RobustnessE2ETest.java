package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Ports;
import dev.seamwatch.e2e.harness.Upstream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What must never hurt the application: a collector that refuses its data with 503 or 429, a bad
 * setting of every kind at once, an exporter endpoint that is not a URL. The application's output
 * is the same as without the agent, and its exit is not held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessE2ETest {

  private static final String APP = "dev.seamwatch.testapps.JdkHttpClientApp";

  private Upstream upstream;
  private String[] scenarios;
  private ChildJvm.Result withoutAgent;

  @BeforeAll
  void runWithoutAgent() {
    upstream = Upstream.start();
    scenarios =
        new String[] {
          "get=" + upstream.baseUrl() + "/json",
          "post=" + upstream.baseUrl() + "/echo",
          "get=http://127.0.0.1:" + Ports.refusedPort() + "/down",
        };
    withoutAgent = app().noAgent().run().assertSuccess();
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
        .sysProp("seamwatch.report.file", "none")
        .timeout(Duration.ofSeconds(60));
  }

  @ParameterizedTest(name = "collector answering {0}")
  @ValueSource(ints = {503, 429})
  void aCollectorThatRefusesTheDataChangesNothingForTheApplication(int status) {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      receiver.respondWith(status);
      ChildJvm.Result result =
          app()
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .sysProp("otel.bsp.schedule.delay", "100")
              .run()
              .assertSuccess();
      assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
      assertThat(result.appStderrLines()).isEqualTo(withoutAgent.appStderrLines());
      // The exporter was answered (and retried): the export really failed.
      assertThat(receiver.traceRequests()).isPositive();
      assertThat(receiver.spans()).isEmpty();
      // The exporter retries with back-off; the exit waits at most the shutdown bound (3 s).
      assertThat(result.elapsed()).isLessThan(withoutAgent.elapsed().plusSeconds(6));
    }
  }

  @Test
  void everyKindOfBadSettingGivesOneLineAndTheDefault() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("seamwatch.keys.max", "lots"); // integer
    bad.put("seamwatch.spans.per-operation", "-5"); // integer out of range
    bad.put("seamwatch.report.console", "yes"); // boolean
    bad.put("seamwatch.anomaly.warmup.duration", "soon"); // duration
    bad.put("seamwatch.anomaly.latency_outlier.threshold", "high"); // decimal
    bad.put("seamwatch.startup", "later"); // choice
    bad.put("seamwatch.instrumentation.okhtp.enabled", "false"); // unknown instrumentation
    bad.put("seamwatch.anomaly.size_outliar.enabled", "false"); // unknown anomaly setting
    bad.put("seamwatch.log.level", "loud"); // log level
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Builder builder =
          app()
              .agent(ChildJvm.agentJar())
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint());
      bad.forEach(builder::sysProp);
      ChildJvm.Result result = builder.run().assertSuccess();
      assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
      for (String key : bad.keySet()) {
        assertThat(result.seamwatchLines())
            .as("lines naming %s", key)
            .filteredOn(l -> l.contains(key))
            .hasSize(1);
      }
      // The defaults are in force: the agent records, and the report is printed.
      assertThat(receiver.awaitSpans(s -> s.name().equals("POST /echo"), 1, Duration.ofSeconds(10)))
          .hasSize(1);
      assertThat(result.seamwatchLines())
          .anySatisfy(l -> assertThat(l).contains("integration report"));
    }
  }

  @Test
  void anExporterEndpointThatIsNotAUrlDoesNotStopTheApplication() {
    ChildJvm.Result result =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", "not a url")
            .run()
            .assertSuccess();
    assertThat(result.stdout()).isEqualTo(withoutAgent.stdout());
    assertThat(result.appStderrLines()).isEqualTo(withoutAgent.appStderrLines());
    assertThat(result.seamwatchLines())
        .filteredOn(l -> l.contains("otel.exporter.otlp.endpoint") || l.contains("not a url"))
        .hasSize(1);
  }
}
