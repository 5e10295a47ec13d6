package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seamwatch.e2e.harness.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integration report end to end: the JSON file a run writes, checked against the calls the
 * application made (counts exact), its schema's members and types, and the diff command of the
 * agent jar between two runs that differ by one dependency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportE2ETest {

  private static final String APP = "dev.seamwatch.testapps.AnomalyApp";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CATALOG =
      String.join(
          "\n",
          "integrations:",
          "  - name: ledger-db",
          "    owner: team-ledger",
          "    tier: 2",
          "    runbook: https://runbooks.example.com/ledger",
          "    match:",
          "      jdbc:",
          "        url: \"jdbc:h2:mem:unbounded*\"",
          "");

  @TempDir static Path dir;

  private JsonNode readiness;
  private JsonNode rows;
  private ChildJvm.Result readinessRun;

  @BeforeAll
  void run() throws IOException {
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, CATALOG, StandardCharsets.UTF_8);
    readinessRun = app("readiness", dir.resolve("readiness.json"), catalog);
    app("rows", dir.resolve("rows.json"), catalog);
    readiness = JSON.readTree(dir.resolve("readiness.json").toFile());
    rows = JSON.readTree(dir.resolve("rows.json").toFile());
  }

  private ChildJvm.Result app(String scenario, Path report, Path catalog) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsClasspath())
        .mainClass(APP)
        .args(scenario)
        .agent(ChildJvm.agentJar())
        .sysProp("otel.service.name", "report-" + scenario)
        .sysProp("otel.traces.exporter", "none")
        .sysProp("otel.metrics.exporter", "none")
        .sysProp("otel.logs.exporter", "none")
        .sysProp("seamwatch.config.file", catalog.toString())
        .sysProp("seamwatch.report.file", report.toString())
        .sysProp("seamwatch.anomaly.repeated_call.enabled", "false")
        .timeout(Duration.ofSeconds(90))
        .run()
        .assertSuccess();
  }

  private static JsonNode integration(JsonNode report, String name) {
    for (JsonNode integration : report.get("integrations")) {
      if (integration.get("name").asText().equals(name)) {
        return integration;
      }
    }
    throw new AssertionError("no integration " + name + " in " + report);
  }

  @Test
  void theReportHasTheVersionedSchemaMembers() {
    assertThat(readiness.get("schema").asText()).isEqualTo("seamwatch-report");
    assertThat(readiness.get("version").asInt()).isEqualTo(1);
    assertThat(readiness.get("service").asText()).isEqualTo("report-readiness");
    assertThat(readiness.get("agentVersion").asText()).isNotBlank();
    assertThat(readiness.get("generatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    for (JsonNode integration : readiness.get("integrations")) {
      assertThat(integration.get("kind").asText()).isIn("http", "db", "messaging");
      assertThat(integration.get("calls").isIntegralNumber()).isTrue();
      assertThat(integration.get("errors").isIntegralNumber()).isTrue();
      assertThat(integration.get("operations").isArray()).isTrue();
      assertThat(integration.get("firstSeen").asText()).endsWith("Z");
    }
  }

  @Test
  void countsAreTheCallsTheApplicationMade() {
    // Four HTTP servers, one GET each; two databases, one SELECT each.
    List<String> http = new ArrayList<>();
    for (JsonNode integration : readiness.get("integrations")) {
      if (integration.get("kind").asText().equals("http")) {
        http.add(integration.get("name").asText());
        assertThat(integration.get("calls").asLong()).isEqualTo(1);
        assertThat(integration.get("errors").asLong()).isZero();
        assertThat(integration.get("operations")).hasSize(1);
        assertThat(integration.get("operations").get(0).get("name").asText())
            .isEqualTo("GET /ping");
      }
    }
    assertThat(http).hasSize(4);
    JsonNode ledger = integration(readiness, "ledger-db");
    assertThat(ledger.get("owner").asText()).isEqualTo("team-ledger");
    assertThat(ledger.get("tier").asText()).isEqualTo("2");
    assertThat(ledger.get("runbook").asText()).isEqualTo("https://runbooks.example.com/ledger");
    JsonNode select = null;
    for (JsonNode operation : ledger.get("operations")) {
      if (operation.get("name").asText().startsWith("SELECT")) {
        select = operation;
      }
    }
    assertThat(select).as("the SELECT of %s", ledger).isNotNull();
    assertThat(select.get("calls").asLong()).isEqualTo(1);
    // The rows scenario: 65 SELECTs of one statement.
    JsonNode anomalies = integration(rows, "h2database://embedded/anomalies");
    JsonNode selects = null;
    for (JsonNode operation : anomalies.get("operations")) {
      if (operation.get("name").asText().equals("SELECT items")) {
        selects = operation;
      }
    }
    assertThat(selects).isNotNull();
    assertThat(selects.get("calls").asLong()).isEqualTo(65);
  }

  @Test
  void readinessFindingsAreInTheReport() {
    JsonNode ledger = integration(readiness, "ledger-db");
    assertThat(ledger.get("readiness").toString()).isEqualTo("[\"no_query_timeout\"]");
    JsonNode bounded = integration(readiness, "h2database://embedded/bounded");
    assertThat(bounded.get("readiness") == null || bounded.get("readiness").isEmpty()).isTrue();
    long withFindings = 0;
    for (JsonNode integration : readiness.get("integrations")) {
      if (integration.get("kind").asText().equals("http")
          && integration.get("readiness") != null
          && integration.get("readiness").size() == 2) {
        withFindings++;
      }
    }
    assertThat(withFindings).as("the two HTTP clients without timeouts").isEqualTo(2);
  }

  @Test
  void theConsoleReportNamesOwnersAndSaysWhereTheFileIs() {
    assertThat(readinessRun.seamwatchLines())
        .anySatisfy(l -> assertThat(l).contains("ledger-db").contains("team-ledger"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "[seamwatch] integration report written to "
                            + dir.resolve("readiness.json")));
  }

  @Test
  void theDiffCommandShowsWhatAppearedAndDisappeared() {
    ChildProcessOutput diff =
        diff(dir.resolve("readiness.json").toString(), dir.resolve("rows.json").toString());
    assertThat(diff.exitCode).isEqualTo(1);
    assertThat(diff.stdout).contains("appeared:").contains("disappeared:");
    assertThat(diff.stdout).contains("h2database://embedded/anomalies");
    assertThat(diff.stdout).contains("ledger-db");
    ChildProcessOutput same =
        diff(dir.resolve("rows.json").toString(), dir.resolve("rows.json").toString());
    assertThat(same.exitCode).isZero();
    ChildProcessOutput bad =
        diff(dir.resolve("rows.json").toString(), dir.resolve("none.json").toString());
    assertThat(bad.exitCode).isEqualTo(2);
  }

  private record ChildProcessOutput(int exitCode, String stdout, String stderr) {}

  private static ChildProcessOutput diff(String older, String newer) {
    ChildJvm.Result result =
        ChildJvm.java(
            Duration.ofSeconds(60), "-jar", ChildJvm.agentJar().toString(), "diff", older, newer);
    return new ChildProcessOutput(result.exitCode(), result.stdout(), result.stderr());
  }
}
