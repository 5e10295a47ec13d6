package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command: the order-service demo with the agent and its catalog, as {@code
 * test-apps/bin/run-demo} runs it. The report at exit must show what the demo is for: each injected
 * problem, each owner, and the JSON file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoE2ETest {

  @TempDir static Path dir;

  private ChildJvm.Result demo;

  @BeforeAll
  void run() {
    demo =
        ChildJvm.builder()
            .classpath(ChildJvm.appsClasspath())
            .mainClass("dev.seamwatch.testapps.OrderService")
            .agent(ChildJvm.agentJar())
            .sysProp("otel.service.name", "order-service")
            .sysProp("otel.traces.exporter", "none")
            .sysProp("otel.metrics.exporter", "none")
            .sysProp("otel.logs.exporter", "none")
            .sysProp(
                "seamwatch.config.file",
                Path.of(System.getProperty("seamwatch.apps.jar"))
                    .getParent()
                    .getParent()
                    .resolve("demo/seamwatch.yaml")
                    .toString())
            .sysProp("seamwatch.report.file", dir.resolve("report.json").toString())
            .sysProp("seamwatch.anomaly.warmup.duration", "2s")
            .sysProp("seamwatch.slo.error-rate.window", "2s")
            .timeout(Duration.ofSeconds(120))
            .run()
            .assertSuccess();
  }

  private String line(String integration) {
    List<String> lines =
        demo.seamwatchLines().stream()
            .filter(l -> l.matches("\\[seamwatch\\]   \\S+ +" + integration + " .*"))
            .toList();
    assertThat(lines).as("report line of %s in %s", integration, demo.stderr()).hasSize(1);
    return lines.get(0);
  }

  @Test
  void theDemoRunsToTheEnd() {
    assertThat(demo.stdoutLines())
        .singleElement()
        .asString()
        .startsWith("order service done: 150 orders, 109 priced, 41 rate-limited");
  }

  @Test
  void theReportShowsEveryInjectedProblemAndItsOwner() {
    assertThat(line("pricing-api")).contains("team-pricing").contains("error_in_success");
    assertThat(line("orders-db")).contains("team-orders").contains("row_explosion");
    assertThat(line("order-events")).contains("team-fulfilment").contains("size_outlier");
    assertThat(line("payments-api"))
        .contains("team-payments")
        .contains("no_connect_timeout, no_response_timeout")
        .contains("slo_breach");
    assertThat(demo.seamwatchLines())
        .contains("[seamwatch] integration report written to " + dir.resolve("report.json"));
  }
}
