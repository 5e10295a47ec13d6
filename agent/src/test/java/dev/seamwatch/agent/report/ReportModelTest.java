package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.recorder.RecordedStats.anomaly;
import static dev.seamwatch.agent.recorder.RecordedStats.of;
import static dev.seamwatch.agent.recorder.RecordedStats.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.recorder.KeyRegistry;
import dev.seamwatch.agent.recorder.OperationStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportModelTest {

  private static ReportModel model(List<OperationStats> stats) {
    return ReportModel.from("checkout", "1.2.3", 1_000, 2_000, stats, name -> null);
  }

  @Test
  void groupsOperationsByKindAndIntegration() {
    ReportModel model =
        model(
            Arrays.asList(
                record(of("http", "http://pay:80", "POST /pay"), 3, 0, 1, null),
                record(of("http", "http://pay:80", "GET /status"), 2, 0, 1, null),
                record(of("http", "http://stock:80", "GET /items"), 1, 0, 1, null),
                // Same name, other kind: another integration.
                record(of("db", "http://pay:80", "SELECT pay"), 4, 0, 1, null)));

    assertThat(model.integrations())
        .extracting(i -> i.kind() + " " + i.name())
        .containsExactly("db http://pay:80", "http http://pay:80", "http http://stock:80");
    IntegrationReport pay = model.integration("http", "http://pay:80");
    assertThat(pay.operations())
        .extracting(OperationReport::name)
        .containsExactly("GET /status", "POST /pay");
    assertThat(pay.stats().calls()).isEqualTo(5);
    assertThat(model.calls()).isEqualTo(10);
    assertThat(model.service()).isEqualTo("checkout");
    assertThat(model.agentVersion()).isEqualTo("1.2.3");
    assertThat(model.startedAtMillis()).isEqualTo(1_000);
    assertThat(model.generatedAtMillis()).isEqualTo(2_000);
  }

  @Test
  void integrationTotalsSumCallsErrorsAndAnomaliesOfItsOperations() {
    OperationStats a = record(of("http", "http://pay:80", "A"), 10, 2, 1, "503");
    OperationStats b = record(of("http", "http://pay:80", "B"), 5, 3, 1, "java.io.IOException");
    anomaly(a, AnomalyType.SIZE_OUTLIER, 2);
    anomaly(b, AnomalyType.SIZE_OUTLIER, 1);
    anomaly(b, AnomalyType.SLO_BREACH, 4);

    IntegrationReport pay = model(Arrays.asList(a, b)).integration("http", "http://pay:80");

    assertThat(pay.stats().calls()).isEqualTo(15);
    assertThat(pay.stats().errors()).isEqualTo(5);
    assertThat(pay.stats().errorRate()).isCloseTo(5 / 15.0, within(1e-12));
    assertThat(pay.stats().anomalies())
        .containsExactly(Map.entry("size_outlier", 3L), Map.entry("slo_breach", 4L));
    assertThat(pay.operation("A").stats().anomalies())
        .containsExactly(Map.entry("size_outlier", 2L));
    assertThat(pay.operation("B").stats().anomalies())
        .containsExactly(Map.entry("size_outlier", 1L), Map.entry("slo_breach", 4L));
    assertThat(pay.operation("A").lastErrorType()).isEqualTo("503");
    assertThat(pay.operation("B").lastErrorType()).isEqualTo("java.io.IOException");
  }

  @Test
  void integrationPercentilesComeFromTheMergedHistogramsNotFromAveragingOperations() {
    // 90 fast calls on one operation, 10 slow ones on another: the integration's p50 is fast and
    // its p95 slow. Averaging the operations' percentiles would give about 50 ms for both.
    OperationStats fast = record(of("http", "http://h:80", "fast"), 90, 0, 1, null);
    OperationStats slow = record(of("http", "http://h:80", "slow"), 10, 0, 100, null);
    OperationStats all = of("http", "http://h:80", "all");
    record(all, 90, 0, 1, null);
    record(all, 10, 0, 100, null);

    CallStats merged = model(Arrays.asList(fast, slow)).integration("http", "http://h:80").stats();

    assertThat(merged.p50Millis()).isBetween(1.0, 1.2);
    assertThat(merged.p95Millis()).isBetween(100.0, 120.0);
    assertThat(merged.p99Millis()).isBetween(100.0, 120.0);
    assertThat(merged.p50Millis()).isEqualTo(micros(all.percentileMillis(0.50)));
    assertThat(merged.p95Millis()).isEqualTo(micros(all.percentileMillis(0.95)));
    assertThat(merged.p99Millis()).isEqualTo(micros(all.percentileMillis(0.99)));
  }

  @Test
  void operationPercentilesAreThoseOfItsKeyToTheMicrosecond() {
    OperationStats s = of("db", "h2://mem/orders", "SELECT orders");
    for (int i = 1; i <= 200; i++) {
      record(s, 1, 0, i * 0.37, null);
    }

    CallStats op = model(List.of(s)).integrations().get(0).operations().get(0).stats();

    assertThat(op.p50Millis()).isEqualTo(micros(s.percentileMillis(0.50)));
    assertThat(op.p95Millis()).isEqualTo(micros(s.percentileMillis(0.95)));
    assertThat(op.p99Millis()).isEqualTo(micros(s.percentileMillis(0.99)));
    assertThat(op.p50Millis()).isLessThan(op.p95Millis());
  }

  @Test
  void latencyBucketsAreACopyMatchingTheCalls() {
    OperationStats s = record(of("http", "http://h:80", "GET /"), 7, 0, 3, null);

    long[] buckets = s.latencyBuckets();
    assertThat(Arrays.stream(buckets).sum()).isEqualTo(7);
    buckets[0] = 1_000;
    assertThat(Arrays.stream(s.latencyBuckets()).sum()).isEqualTo(7);
    int full = 0;
    while (s.latencyBuckets()[full] == 0) {
      full++;
    }
    assertThat(OperationStats.bucketUpperBoundMillis(full)).isBetween(3.0, 3.0 * 1.19);
  }

  @Test
  void aKeyWithNoCallsHasNoPercentilesAndNoTimes() {
    CallStats op = model(List.of(of("http", "http://h:80", "GET /"))).integrations().get(0).stats();

    assertThat(op.calls()).isZero();
    assertThat(op.errorRate()).isZero();
    assertThat(op.p50Millis()).isNull();
    assertThat(op.p99Millis()).isNull();
    assertThat(op.firstSeenMillis()).isZero();
    assertThat(op.lastSeenMillis()).isZero();
  }

  @Test
  void integrationIsFirstSeenWithItsEarliestOperationAndLastSeenWithItsLatest() {
    OperationStats early = record(of("http", "http://h:80", "early"), 1, 0, 1, null);
    awaitNextMillisecond(early.lastSeenMillis());
    OperationStats late = record(of("http", "http://h:80", "late"), 1, 0, 1, null);

    CallStats total = model(Arrays.asList(late, early)).integrations().get(0).stats();

    assertThat(early.firstSeenMillis()).isLessThan(late.lastSeenMillis());
    assertThat(total.firstSeenMillis()).isEqualTo(early.firstSeenMillis());
    assertThat(total.lastSeenMillis()).isEqualTo(late.lastSeenMillis());
  }

  @Test
  void catalogDetailsGoToTheirIntegrationAndNullMeansNone() {
    List<String> asked = new ArrayList<>();
    ReportModel model =
        ReportModel.from(
            "svc",
            "v",
            0,
            0,
            Arrays.asList(
                record(of("http", "http://pay:80", "POST /pay"), 1, 0, 1, null),
                record(of("http", "http://other:80", "GET /"), 1, 0, 1, null)),
            name -> {
              asked.add(name);
              return name.equals("http://pay:80")
                  ? new IntegrationDetails(
                      "payments-team",
                      "1",
                      "https://runbooks/pay",
                      Arrays.asList("no_read_timeout", "no_connect_timeout", "no_read_timeout"))
                  : null;
            });

    IntegrationDetails pay = model.integration("http", "http://pay:80").details();
    assertThat(pay.owner()).isEqualTo("payments-team");
    assertThat(pay.tier()).isEqualTo("1");
    assertThat(pay.runbook()).isEqualTo("https://runbooks/pay");
    assertThat(pay.readiness()).containsExactly("no_connect_timeout", "no_read_timeout");
    IntegrationDetails other = model.integration("http", "http://other:80").details();
    assertThat(other.owner()).isNull();
    assertThat(other.tier()).isNull();
    assertThat(other.readiness()).isEmpty();
    assertThat(asked).containsExactlyInAnyOrder("http://pay:80", "http://other:80");
  }

  @Test
  void overflowKeyIsMarkedLastInItsKindAndNotLookedUpInTheCatalog() {
    KeyRegistry keys = new KeyRegistry(10);
    for (int i = 0; i < 10; i++) {
      record(keys.get("http", "http://h" + i + ":80", "GET /"), 1, 0, 1, null);
    }
    record(keys.get("http", "http://past-the-cap:80", "GET /"), 3, 1, 1, "500");
    List<String> asked = new ArrayList<>();

    ReportModel model =
        ReportModel.from(
            "svc",
            "v",
            0,
            0,
            keys.snapshot(),
            name -> {
              asked.add(name);
              return null;
            });

    List<IntegrationReport> http =
        model.integrations().stream()
            .filter(i -> i.kind().equals("http"))
            .collect(Collectors.toList());
    IntegrationReport overflow = http.get(http.size() - 1);
    assertThat(overflow.name()).isEqualTo(KeyRegistry.OVERFLOW);
    assertThat(overflow.overflow()).isTrue();
    assertThat(overflow.stats().calls()).isEqualTo(3);
    assertThat(overflow.stats().errors()).isEqualTo(1);
    assertThat(http.subList(0, http.size() - 1)).noneMatch(IntegrationReport::overflow);
    assertThat(asked).hasSize(10).doesNotContain(KeyRegistry.OVERFLOW);
    assertThat(model.integration("http", "http://past-the-cap:80")).isNull();
  }

  @Test
  void orderDoesNotDependOnTheOrderOfTheKeys() {
    List<OperationStats> stats =
        new ArrayList<>(
            Arrays.asList(
                record(of("messaging", "kafka://b:9092", "orders"), 1, 0, 1, null),
                record(of("http", "http://b:80", "GET /b"), 1, 0, 1, null),
                record(of("http", "http://b:80", "GET /a"), 1, 0, 1, null),
                record(of("http", "http://a:80", "GET /"), 1, 0, 1, null),
                record(of("db", "h2://mem/x", "SELECT x"), 1, 0, 1, null)));
    ReportModel first = model(stats);
    Collections.reverse(stats);
    ReportModel second = model(stats);

    assertThat(second).isEqualTo(first);
    assertThat(first.integrations())
        .extracting(i -> i.kind() + " " + i.name())
        .containsExactly(
            "db h2://mem/x", "http http://a:80", "http http://b:80", "messaging kafka://b:9092");
  }

  private static Double micros(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }

  private static void awaitNextMillisecond(long after) {
    while (System.currentTimeMillis() <= after) {
      Thread.onSpinWait();
    }
  }
}
