package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedLog;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The anomaly engine end to end: the anomaly test application (its own HTTP upstream, an in-memory
 * H2) with the packaged agent, a normal period of 60 calls, then the anomaly. Each finding must
 * come within the first anomalous calls, none before it; a finding made while the span is open is
 * on the span, one made after (a body read after the call returned) is a log record in the span's
 * trace. The application's output is the same without the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomaliesE2ETest {

  private static final String APP = "dev.seamwatch.testapps.AnomalyApp";
  private static final int NORMAL = 60;
  private static final int ANOMALOUS = 5;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final java.util.concurrent.atomic.AtomicInteger RUNS =
      new java.util.concurrent.atomic.AtomicInteger();

  private OtlpReceiver receiver;

  @BeforeAll
  void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterAll
  void stop() {
    receiver.close();
  }

  /** What one scenario's run left at the receiver. */
  private record Run(
      String service, List<ReceivedSpan> spans, List<ReceivedLog> logs, ChildJvm.Result result) {

    /** Findings of each call, in call order: the span's types plus its trace's log records. */
    List<List<String>> findingsByCall() {
      List<List<String>> byCall = new ArrayList<>();
      for (ReceivedSpan span : spans) {
        List<String> types = new ArrayList<>();
        Object onSpan = span.attr("seamwatch.anomaly.types");
        if (onSpan instanceof List<?> list) {
          list.forEach(t -> types.add(String.valueOf(t)));
        }
        for (ReceivedLog log : logs) {
          if (log.traceId().equals(span.traceId()) && log.spanId().equals(span.spanId())) {
            types.add(String.valueOf(log.attr("seamwatch.anomaly.type")));
          }
        }
        byCall.add(types);
      }
      return byCall;
    }
  }

  private ChildJvm.Builder app(String scenario, String client) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsClasspath())
        .mainClass(APP)
        .args(scenario, client)
        .timeout(Duration.ofSeconds(90));
  }

  private Run run(String scenario, String client, String... settings) {
    // Each run its own service name: the receiver is shared by the whole class.
    String service = "anomaly-" + scenario + "-" + client + "-" + RUNS.incrementAndGet();
    ChildJvm.Result without = app(scenario, client).noAgent().run().assertSuccess();
    ChildJvm.Builder builder =
        app(scenario, client)
            .agent(ChildJvm.agentJar())
            .sysProp("otel.service.name", service)
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .sysProp("otel.metric.export.interval", "500")
            .sysProp("seamwatch.anomaly.warmup.duration", "0s")
            // The application calls in a loop, which is what repeated_call reports; only the test
            // of that rule turns it on.
            .sysProp("seamwatch.anomaly.repeated_call.enabled", "false");
    for (int i = 0; i + 1 < settings.length; i += 2) {
      builder.sysProp(settings[i], settings[i + 1]);
    }
    ChildJvm.Result with = builder.run().assertSuccess();
    assertThat(with.stdout()).as("output with the agent").isEqualTo(without.stdout());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    // No internal error, no setting refused.
    assertThat(with.seamwatchLines())
        .noneMatch(
            line ->
                line.contains("internal error")
                    || line.contains("is not valid")
                    || line.contains("names no"));
    List<ReceivedSpan> spans =
        receiver.spans().stream()
            .filter(s -> service.equals(s.resource().get("service.name")))
            .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano()))
            .toList();
    List<ReceivedLog> logs =
        receiver.logs().stream()
            .filter(l -> service.equals(l.resource().get("service.name")))
            .toList();
    return new Run(service, spans, logs, with);
  }

  /** The calls of the scenario's own operation, in order, and the findings of each. */
  private static void assertFoundAtOnset(
      List<List<String>> findings, String type, int normalCalls, int within) {
    for (int i = 0; i < normalCalls; i++) {
      assertThat(findings.get(i)).as("findings of normal call %d", i).isEmpty();
    }
    List<String> early = new ArrayList<>();
    for (int i = normalCalls; i < Math.min(findings.size(), normalCalls + within); i++) {
      early.addAll(findings.get(i));
    }
    assertThat(early)
        .as("findings of the first %d anomalous calls (all: %s)", within, findings)
        .contains(type);
  }

  /** The points of the anomaly counter the service exported (the child has exited and flushed). */
  private List<ReceivedMetric.Point> counterPoints(String service) {
    return receiver.metrics().stream()
        .filter(m -> m.name().equals("seamwatch.anomalies"))
        .filter(m -> service.equals(m.resource().get("service.name")))
        .flatMap(m -> m.points().stream())
        .toList();
  }

  private static List<ReceivedSpan> http(Run run) {
    return run.spans.stream().filter(s -> s.attr("url.full") != null).toList();
  }

  @ParameterizedTest(name = "{0} via {1}")
  @CsvSource({
    "size, jdk, size_outlier",
    "size, huc, size_outlier",
    "shape, jdk, shape_drift",
    "shape, huc, shape_drift",
    "error, jdk, error_in_success",
    "error, huc, error_in_success",
    "empty, jdk, empty_result",
    "empty, huc, empty_result",
    "latency, jdk, latency_outlier",
  })
  void httpAnomalyIsFoundAtItsOnsetAndNotBefore(String scenario, String client, String type) {
    Run run = run(scenario, client);
    Run view = new Run(run.service, http(run), run.logs, run.result);
    assertThat(view.spans).hasSize(NORMAL + ANOMALOUS);
    assertFoundAtOnset(view.findingsByCall(), type, NORMAL, 3);
  }

  @Test
  void aFindingOnAnOpenSpanIsAnEventWithObservedExpectedAndScore() {
    Run run = run("size", "jdk");
    ReceivedSpan first =
        http(run).stream()
            .filter(s -> s.eventAttributes("seamwatch.anomaly") != null)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span with a seamwatch.anomaly event"));
    Map<String, Object> event = first.eventAttributes("seamwatch.anomaly");
    assertThat(event.get("seamwatch.anomaly.type")).isEqualTo("size_outlier");
    assertThat((Double) event.get("seamwatch.anomaly.observed"))
        .isGreaterThan(10 * (Double) event.get("seamwatch.anomaly.expected"));
    assertThat((Double) event.get("seamwatch.anomaly.score")).isPositive();
    assertThat(first.attr("seamwatch.anomaly.types")).isEqualTo(List.of("size_outlier"));
    // The size the application read, counted, is on the span.
    assertThat((Long) first.attr("http.response.body.size")).isGreaterThan(50_000L);
    assertThat(counterPoints(run.service))
        .anyMatch(p -> "size_outlier".equals(p.attr("seamwatch.anomaly.type")));
  }

  @Test
  void aBodyReadAfterTheCallReturnedIsJudgedInALogRecordOfTheCallsTrace() {
    Run run = run("shape", "huc");
    List<ReceivedLog> anomalies =
        run.logs.stream().filter(l -> "seamwatch.anomaly".equals(l.eventName())).toList();
    assertThat(anomalies).isNotEmpty();
    ReceivedLog log = anomalies.get(0);
    assertThat(log.attr("seamwatch.anomaly.type")).isEqualTo("shape_drift");
    assertThat(log.attr("seamwatch.integration.name")).asString().startsWith("http://127.0.0.1:");
    ReceivedSpan span =
        http(run).stream()
            .filter(s -> s.traceId().equals(log.traceId()) && s.spanId().equals(log.spanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the log record names no span: " + log));
    int call = http(run).indexOf(span);
    assertThat(call).isBetween(NORMAL, NORMAL + 2);
    // Nothing of the payload: no key names, no values.
    assertThat(log.attributes().toString()).doesNotContain("state", "amount", "SHIPPED");
  }

  @ParameterizedTest(name = "partly read body via {0}")
  @CsvSource({"jdk", "huc"})
  void aBodyTheApplicationReadsPartlyIsReadAsWithoutTheAgent(String client) {
    // run() compares the output, which hashes the bytes each call read, with a run without agent.
    Run run = run("partial", client);
    List<List<String>> findings =
        new Run(run.service, http(run), run.logs, run.result).findingsByCall();
    assertThat(http(run)).hasSize(NORMAL + ANOMALOUS);
    assertThat(findings.stream().flatMap(List::stream).toList())
        .as("half-read bodies must not look like small ones")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "rows, row_explosion",
    "row-cap, row_explosion",
    "db-empty, empty_result",
    "columns, shape_drift",
    "columns-reused, shape_drift",
  })
  void databaseAnomalyIsFoundAtItsOnsetAndNotBefore(String scenario, String type) {
    Run run = run(scenario, "-");
    List<ReceivedSpan> selects =
        run.spans.stream()
            .filter(s -> String.valueOf(s.attr("db.query.text")).startsWith("SELECT"))
            .toList();
    assertThat(selects).hasSize(NORMAL + ANOMALOUS);
    assertFoundAtOnset(
        new Run(run.service, selects, run.logs, run.result).findingsByCall(), type, NORMAL, 2);
  }

  @Test
  void theRowCapHoldsEvenWithoutABaseline() {
    Run run = run("row-cap", "-", "seamwatch.anomaly.row_explosion.max-rows", "12000");
    ReceivedSpan exploded =
        run.spans.stream()
            .filter(s -> s.eventAttributes("seamwatch.anomaly") != null)
            .filter(
                s ->
                    "row_explosion"
                        .equals(
                            s.eventAttributes("seamwatch.anomaly").get("seamwatch.anomaly.type")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no row_explosion event"));
    assertThat((Long) exploded.attr("db.response.returned_rows")).isGreaterThan(12_000L);
  }

  @Test
  void manyLookupsInARowAreARepeatedCall() {
    Run run =
        run(
            "repeated",
            "-",
            "seamwatch.anomaly.repeated_call.enabled",
            "true",
            "seamwatch.anomaly.repeated_call.window",
            "200ms");
    List<ReceivedSpan> lookups =
        run.spans.stream()
            .filter(s -> String.valueOf(s.attr("db.query.text")).contains("WHERE id = ?"))
            .toList();
    List<ReceivedSpan> flagged =
        lookups.stream()
            .filter(
                s ->
                    s.attr("seamwatch.anomaly.types") instanceof List<?> l
                        && l.contains("repeated_call"))
            .toList();
    assertThat(flagged).as("one finding per run of lookups in the anomalous rounds").isNotEmpty();
    // Normal rounds (at most 6 lookups each, then a pause) never alarm: the first flagged span is
    // in the first anomalous round, which follows the normal ones.
    int normalLookups =
        (int)
            run.result.stdoutLines().stream()
                .filter(l -> l.contains("lookups="))
                .map(l -> Integer.parseInt(l.replaceAll(".*lookups=(\\d+).*", "$1")))
                .filter(n -> n < 25)
                .mapToInt(Integer::intValue)
                .sum();
    assertThat(lookups.indexOf(flagged.get(0))).isGreaterThanOrEqualTo(normalLookups);
    assertThat(lookups.indexOf(flagged.get(0))).isLessThan(normalLookups + 25);
  }

  @Test
  void findingsNameTheirIntegrationInTheCounter() {
    Run run = run("error", "jdk");
    List<ReceivedMetric.Point> points = counterPoints(run.service);
    assertThat(points).anyMatch(p -> "error_in_success".equals(p.attr("seamwatch.anomaly.type")));
    List<String> integrations =
        points.stream()
            .map(p -> String.valueOf(p.attr("seamwatch.integration.name")))
            .distinct()
            .collect(Collectors.toList());
    assertThat(integrations).hasSize(1);
    assertThat(integrations.get(0)).startsWith("http://127.0.0.1:");
  }
}
