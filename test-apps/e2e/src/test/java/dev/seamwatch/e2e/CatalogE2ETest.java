package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integration catalog end to end: a catalog file names some of the application's dependencies
 * (the readiness scenario's four HTTP servers and two H2 databases); the calls it names carry its
 * name, owner and tier on spans and metrics, a call over its latency SLO is an {@code slo_breach},
 * and the calls it does not name keep their automatic names. A file with mistakes gives one line
 * per mistake and the rest is used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogE2ETest {

  private static final String APP = "dev.seamwatch.testapps.AnomalyApp";

  private static final String CATALOG =
      String.join(
          "\n",
          "version: 1",
          "integrations:",
          "  - name: ping-api",
          "    owner: team-edge",
          "    tier: 1",
          "    runbook: https://runbooks.example.com/ping",
          "    slo:",
          "      latency-p99-ms: 0.001",
          "    match:",
          "      http:",
          "        host: \"127.0.0.*\"",
          "        path-prefix: /ping",
          "  - name: ledger-db",
          "    owner: team-ledger",
          "    tier: 2",
          "    match:",
          "      jdbc:",
          "        url: \"jdbc:h2:mem:unbounded*\"",
          "");

  /**
   * Line 6 misspells a key (ignored); line 9 has a wrong type in a match rule, which drops the rule
   * (dropping only the key would widen it) and so the integration; line 13 repeats a name.
   */
  private static final String BROKEN =
      String.join(
          "\n",
          "version: 1",
          "integrations:",
          "  - name: ping-api",
          "    owner: team-edge",
          "    slo:",
          "      latncy-p99-ms: 5",
          "    match:",
          "      http:",
          "        port: eighty",
          "        host: \"127.0.0.*\"",
          "  - name: ledger-db",
          "    match: {jdbc: {url: \"jdbc:h2:mem:unbounded*\"}}",
          "  - name: ledger-db",
          "    match: {jdbc: {url: \"jdbc:h2:mem:bounded*\"}}",
          "");

  @TempDir Path dir;

  private OtlpReceiver receiver;

  @BeforeAll
  void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterAll
  void stop() {
    receiver.close();
  }

  private ChildJvm.Result run(String service, Path catalog) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsClasspath())
        .mainClass(APP)
        .args("readiness")
        .agent(ChildJvm.agentJar())
        .sysProp("otel.service.name", service)
        .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
        .sysProp("seamwatch.config.file", catalog.toString())
        .run()
        .assertSuccess();
  }

  private List<ReceivedSpan> spans(String service) {
    return receiver.awaitSpans(
        s -> service.equals(s.resource().get("service.name")), 6, Duration.ofSeconds(15));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void namedCallsCarryTheCatalogsNameOwnerAndTier() throws IOException {
    ChildJvm.Result result = run("catalog-ok", write("catalog.yaml", CATALOG));
    assertThat(result.stdoutLines()).contains("jdbc unbounded=1", "huc plain=200 bounded=200");
    List<ReceivedSpan> spans = spans("catalog-ok");
    List<ReceivedSpan> http = spans.stream().filter(s -> s.attr("url.full") != null).toList();
    assertThat(http).hasSize(4);
    assertThat(http)
        .allSatisfy(
            s -> {
              assertThat(s.attr("seamwatch.integration.name")).isEqualTo("ping-api");
              assertThat(s.attr("peer.service")).isEqualTo("ping-api");
              assertThat(s.attr("seamwatch.integration.owner")).isEqualTo("team-edge");
              assertThat(s.attr("seamwatch.integration.tier")).isEqualTo("1");
              // Every call is over a latency SLO of 1 µs.
              assertThat(s.attr("seamwatch.anomaly.types")).isEqualTo(List.of("slo_breach"));
            });
    ReceivedSpan ledger =
        spans.stream()
            .filter(s -> "ledger-db".equals(s.attr("seamwatch.integration.name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ledger-db span in " + spans));
    assertThat(ledger.attr("seamwatch.integration.owner")).isEqualTo("team-ledger");
    assertThat(ledger.attr("seamwatch.integration.tier")).isEqualTo("2");
    // The database the catalog does not name keeps its automatic name and has no owner.
    ReceivedSpan other =
        spans.stream()
            .filter(s -> String.valueOf(s.attr("seamwatch.integration.name")).endsWith("/bounded"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span of the unnamed database in " + spans));
    assertThat(other.attr("seamwatch.integration.name")).isEqualTo("h2database://embedded/bounded");
    assertThat(other.attr("seamwatch.integration.owner")).isNull();
    ReceivedMetric duration =
        receiver.awaitMetric("http.client.request.duration", Duration.ofSeconds(15));
    assertThat(duration.pointsWith("seamwatch.integration.name", "ping-api"))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.attr("seamwatch.integration.owner")).isEqualTo("team-edge"));
  }

  @Test
  void aBrokenCatalogGivesOneLinePerMistakeAndTheRestIsUsed() throws IOException {
    Path file = write("broken.yaml", BROKEN);
    ChildJvm.Result result = run("catalog-broken", file);
    assertThat(result.stdoutLines()).contains("jdbc unbounded=1", "jdbc bounded=1");
    List<String> lines =
        result.seamwatchLines().stream().filter(l -> l.contains("catalog")).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("line 6").contains("latncy-p99-ms"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("line 9").contains("port"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("line 8").contains("no usable rule"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("line 13").contains("ledger-db"));
    assertThat(lines).hasSize(4);
    List<ReceivedSpan> spans = spans("catalog-broken");
    // The valid rest: ledger-db names its calls; the dropped integration's calls and the
    // duplicate's database keep their automatic names.
    assertThat(spans)
        .filteredOn(s -> s.attr("url.full") != null)
        .allSatisfy(
            s ->
                assertThat(String.valueOf(s.attr("seamwatch.integration.name")))
                    .startsWith("http://"));
    assertThat(spans)
        .anySatisfy(s -> assertThat(s.attr("seamwatch.integration.name")).isEqualTo("ledger-db"));
    assertThat(spans)
        .anySatisfy(
            s ->
                assertThat(s.attr("seamwatch.integration.name"))
                    .isEqualTo("h2database://embedded/bounded"));
  }

  @Test
  void aMissingCatalogFileIsOneLineAndTheApplicationRuns() {
    ChildJvm.Result result = run("catalog-missing", dir.resolve("no-such-file.yaml"));
    assertThat(result.stdoutLines()).contains("jdbc bounded=1");
    assertThat(result.seamwatchLines().stream().filter(l -> l.contains("no-such-file.yaml")))
        .hasSize(1);
  }
}
