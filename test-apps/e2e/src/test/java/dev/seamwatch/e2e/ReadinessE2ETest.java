package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Readiness findings end to end: the same calls made with and without timeouts, each on its own
 * integration (a server or database of its own), so that a finding can only come from the
 * misconfigured one. Kafka's producer settings are covered by {@link KafkaProducerE2ETest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadinessE2ETest {

  private static final String APP = "dev.seamwatch.testapps.AnomalyApp";

  private OtlpReceiver receiver;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private List<ReceivedSpan> spans;

  @BeforeAll
  void run() {
    receiver = OtlpReceiver.start();
    without = app().noAgent().run().assertSuccess();
    with =
        app()
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    spans = receiver.awaitSpans(s -> true, 6, Duration.ofSeconds(15));
  }

  private ChildJvm.Builder app() {
    return ChildJvm.builder().classpath(ChildJvm.appsClasspath()).mainClass(APP).args("readiness");
  }

  @AfterAll
  void stop() {
    receiver.close();
  }

  /** The readiness types on each span, by the span's integration. */
  private Map<String, List<String>> findingsByIntegration() {
    Map<String, List<String>> found = new TreeMap<>();
    for (ReceivedSpan span : spans) {
      List<String> types =
          span.eventsNamed("seamwatch.readiness").stream()
              .map(e -> String.valueOf(e.get("seamwatch.readiness.type")))
              .sorted()
              .collect(Collectors.toList());
      found.merge(
          String.valueOf(span.attr("seamwatch.integration.name")),
          types,
          (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).sorted().toList());
    }
    return found;
  }

  private String integrationOf(String namePart) {
    return spans.stream()
        .map(s -> String.valueOf(s.attr("seamwatch.integration.name")))
        .filter(n -> n.contains(namePart))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no integration with " + namePart + " in " + spans));
  }

  @Test
  void theApplicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdout()).isEqualTo(without.stdout());
    assertThat(with.stdoutLines())
        .containsExactly(
            "jdk bare=200 careful=200",
            "huc plain=200 bounded=200",
            "jdbc unbounded=1",
            "jdbc bounded=1");
  }

  @Test
  void httpClientsWithoutTimeoutsAreFoundAndThoseWithTimeoutsAreNot() {
    List<ReceivedSpan> http = spans.stream().filter(s -> s.attr("url.full") != null).toList();
    assertThat(http).hasSize(4);
    Map<String, List<String>> found = findingsByIntegration();
    // In call order: java.net.http bare, careful; HttpURLConnection plain, bounded.
    List<List<String>> inOrder =
        http.stream()
            .sorted(java.util.Comparator.comparingLong(s -> s.span().getStartTimeUnixNano()))
            .map(s -> found.get(String.valueOf(s.attr("seamwatch.integration.name"))))
            .toList();
    assertThat(inOrder)
        .containsExactly(
            List.of("no_connect_timeout", "no_response_timeout"),
            List.of(),
            List.of("no_connect_timeout", "no_response_timeout"),
            List.of());
  }

  @Test
  void aStatementWithoutQueryTimeoutIsFound() {
    Map<String, List<String>> found = findingsByIntegration();
    assertThat(found.get(integrationOf("/unbounded"))).containsExactly("no_query_timeout");
    assertThat(found.get(integrationOf("/bounded"))).isEmpty();
  }

  @Test
  void eachFindingIsCountedOncePerIntegration() {
    ReceivedMetric counter =
        receiver.awaitMetric("seamwatch.readiness.findings", Duration.ofSeconds(15));
    long total = counter.points().stream().mapToLong(p -> p.value().longValue()).sum();
    assertThat(total).isEqualTo(5);
    assertThat(counter.pointsWith("seamwatch.readiness.type", "no_query_timeout")).hasSize(1);
  }
}
