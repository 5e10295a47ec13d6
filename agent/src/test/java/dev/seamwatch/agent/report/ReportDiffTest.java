package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.details;
import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.report.ReportDiff.Aspect;
import dev.seamwatch.agent.report.ReportDiff.Change;
import dev.seamwatch.agent.report.ReportDiff.Difference;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportDiffTest {

  private static ReportModel payments(OperationReport... operations) {
    return report(integration("http", "http://pay:443", operations));
  }

  private static Difference only(ReportDiff diff) {
    assertThat(diff.differences()).hasSize(1);
    return diff.differences().get(0);
  }

  @Test
  void identicalReportsHaveNoDifferences() {
    ReportDiff diff = ReportDiff.compare(Reports.rich(), Reports.rich());

    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.lines()).containsExactly("no differences");
  }

  @Test
  void timesAndSmallMovesAreNoDifference() {
    ReportModel before = payments(op("POST /pay", 100, 1, 20));
    ReportModel after =
        new ReportModel(
            "checkout",
            "0.2.0",
            Reports.STARTED + 3_600_000,
            Reports.GENERATED + 3_600_000,
            payments(op("POST /pay", 150, 6, 29)).integrations());

    assertThat(ReportDiff.compare(before, after).isEmpty()).isTrue();
  }

  @Test
  void newIntegrationAppearsWithItsOperations() {
    ReportModel before = payments(op("POST /pay", 10, 0, 20));
    ReportModel after =
        report(
            integration("http", "http://pay:443", op("POST /pay", 10, 0, 20)),
            integration(
                "http",
                "http://fraud:8080",
                details("risk-team", "1"),
                op("POST /score", 12, 0, 8.192),
                op("GET /rules", 1, 0, 2)));

    Difference d = only(ReportDiff.compare(before, after));

    assertThat(d.change()).isEqualTo(Change.APPEARED);
    assertThat(d.aspect()).isEqualTo(Aspect.INTEGRATION);
    assertThat(d.integration()).isEqualTo("http://fraud:8080");
    assertThat(d.operation()).isNull();
    assertThat(d.line())
        .isEqualTo(
            "+ http http://fraud:8080: owner risk-team, tier 1; 13 call(s), 0 error(s), p99 8.19 ms");
    assertThat(d.details())
        .containsExactly(
            "GET /rules: 1 call(s), 0 error(s), p99 2.00 ms",
            "POST /score: 12 call(s), 0 error(s), p99 8.19 ms");
  }

  @Test
  void integrationDisappears() {
    ReportModel before =
        report(
            integration("http", "http://pay:443", op("POST /pay", 10, 0, 20)),
            integration("db", "h2://mem/legacy", op("SELECT legacy", 4, 1, 3)));

    Difference d = only(ReportDiff.compare(before, payments(op("POST /pay", 10, 0, 20))));

    assertThat(d.change()).isEqualTo(Change.DISAPPEARED);
    assertThat(d.line()).isEqualTo("- db h2://mem/legacy: 4 call(s), 1 error(s), p99 3.00 ms");
    assertThat(d.details()).containsExactly("SELECT legacy: 4 call(s), 1 error(s), p99 3.00 ms");
  }

  @Test
  void sameNameOfAnotherKindIsAnotherIntegration() {
    ReportModel before = report(integration("http", "x", op("a", 1, 0, 1)));
    ReportModel after = report(integration("db", "x", op("a", 1, 0, 1)));

    ReportDiff diff = ReportDiff.compare(before, after);

    assertThat(diff.differences())
        .extracting(Difference::line)
        .containsExactly(
            "- http x: 1 call(s), 0 error(s), p99 1.00 ms",
            "+ db x: 1 call(s), 0 error(s), p99 1.00 ms");
  }

  @Test
  void operationsAppearAndDisappearWithinAnIntegration() {
    ReportDiff diff =
        ReportDiff.compare(
            payments(op("POST /pay", 10, 0, 20), op("GET /old", 3, 0, 5)),
            payments(op("POST /pay", 10, 0, 20), op("GET /refunds", 2, 0, 7)));

    assertThat(diff.differences())
        .extracting(Difference::line)
        .containsExactly(
            "- http http://pay:443 > GET /old: 3 call(s), 0 error(s), p99 5.00 ms",
            "+ http http://pay:443 > GET /refunds: 2 call(s), 0 error(s), p99 7.00 ms");
    assertThat(diff.differences()).extracting(Difference::aspect).containsOnly(Aspect.OPERATION);
  }

  @Test
  void ownerAndTierChanges() {
    OperationReport pay = op("POST /pay", 10, 0, 20);
    ReportModel before =
        report(integration("http", "http://pay:443", details("payments-team", null), pay));
    ReportModel after =
        report(integration("http", "http://pay:443", details("billing-team", "1"), pay));

    ReportDiff diff = ReportDiff.compare(before, after);

    assertThat(diff.differences())
        .extracting(Difference::line)
        .containsExactly(
            "~ http http://pay:443: owner payments-team -> billing-team",
            "~ http http://pay:443: tier (none) -> 1");
    assertThat(diff.differences())
        .extracting(Difference::aspect)
        .containsExactly(Aspect.OWNER, Aspect.TIER);
  }

  @Test
  void readinessFindingsAddedAndRemoved() {
    OperationReport pay = op("POST /pay", 10, 0, 20);
    ReportModel before =
        report(
            integration(
                "http", "http://pay:443", details(null, null, "no_connect_timeout", "x"), pay));
    ReportModel after =
        report(
            integration(
                "http",
                "http://pay:443",
                details(null, null, "x", "no_read_timeout", "a_finding"),
                pay));

    ReportDiff diff = ReportDiff.compare(before, after);

    assertThat(diff.differences())
        .extracting(Difference::line)
        .containsExactly(
            "~ http http://pay:443: readiness added a_finding, no_read_timeout",
            "~ http http://pay:443: readiness removed no_connect_timeout");
  }

  @Test
  void errorRateUpByMoreThanFivePointsIsAChange() {
    Difference d =
        only(
            ReportDiff.compare(
                payments(op("POST /pay", 100, 1, 20)), payments(op("POST /pay", 100, 12, 20))));

    assertThat(d.aspect()).isEqualTo(Aspect.ERROR_RATE);
    assertThat(d.operation()).isEqualTo("POST /pay");
    assertThat(d.line())
        .isEqualTo("~ http http://pay:443 > POST /pay: error rate 1.0% -> 12.0% (+11.0 points)");
  }

  @Test
  void errorRateUpByFivePointsOrLessOrDownIsNot() {
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 100, 1, 20)), payments(op("POST /pay", 100, 6, 20)))
                .isEmpty())
        .isTrue();
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 100, 50, 20)), payments(op("POST /pay", 100, 0, 20)))
                .isEmpty())
        .isTrue();
  }

  @Test
  void p99UpByMoreThanHalfAndTenMillisecondsIsAChange() {
    Difference d =
        only(
            ReportDiff.compare(
                payments(op("POST /pay", 100, 0, 20)), payments(op("POST /pay", 100, 0, 31))));

    assertThat(d.aspect()).isEqualTo(Aspect.P99);
    assertThat(d.line()).isEqualTo("~ http http://pay:443 > POST /pay: p99 20 ms -> 31 ms");
  }

  @Test
  void p99UpByHalfButUnderTenMillisecondsOrByTenButUnderHalfIsNot() {
    // x2.25 but only 5 ms more: the noise of a fast call.
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 100, 0, 4)), payments(op("POST /pay", 100, 0, 9)))
                .isEmpty())
        .isTrue();
    // 40 ms more but only x1.4.
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 100, 0, 100)), payments(op("POST /pay", 100, 0, 140)))
                .isEmpty())
        .isTrue();
  }

  @Test
  void callsUpOrDownTenfoldIsAChange() {
    Difference up =
        only(
            ReportDiff.compare(
                payments(op("POST /pay", 10, 0, 20)), payments(op("POST /pay", 240, 0, 20))));
    Difference down =
        only(
            ReportDiff.compare(
                payments(op("POST /pay", 500, 0, 20)), payments(op("POST /pay", 50, 0, 20))));

    assertThat(up.aspect()).isEqualTo(Aspect.CALLS);
    assertThat(up.line()).isEqualTo("~ http http://pay:443 > POST /pay: calls 10 -> 240 (x24)");
    assertThat(down.line()).isEqualTo("~ http http://pay:443 > POST /pay: calls 500 -> 50 (/10)");
  }

  @Test
  void callsUpOrDownLessThanTenfoldIsNot() {
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 10, 0, 20)), payments(op("POST /pay", 99, 0, 20)))
                .isEmpty())
        .isTrue();
    assertThat(
            ReportDiff.compare(
                    payments(op("POST /pay", 99, 0, 20)), payments(op("POST /pay", 10, 0, 20)))
                .isEmpty())
        .isTrue();
  }

  @Test
  void newAnomalyTypesAreAChangeButMoreOfAKnownTypeIsNot() {
    ReportModel before = payments(op("POST /pay", 100, 0, 20, Map.of("size_outlier", 1L)));
    ReportModel after =
        payments(
            op(
                "POST /pay",
                100,
                0,
                20,
                Map.of("size_outlier", 50L, "slo_breach", 2L, "shape_drift", 1L)));

    Difference d = only(ReportDiff.compare(before, after));

    assertThat(d.aspect()).isEqualTo(Aspect.ANOMALIES);
    assertThat(d.line())
        .isEqualTo(
            "~ http http://pay:443 > POST /pay: new anomaly types shape_drift x1, slo_breach x2");
    assertThat(
            ReportDiff.compare(after, payments(op("POST /pay", 100, 0, 20, Collections.emptyMap())))
                .isEmpty())
        .isTrue();
  }

  @Test
  void thresholdsCanBeChosen() {
    ReportDiff.Thresholds strict = new ReportDiff.Thresholds(0.01, 1.1, 1, 2);

    ReportDiff diff =
        ReportDiff.compare(
            payments(op("POST /pay", 100, 1, 20)), payments(op("POST /pay", 200, 6, 25)), strict);

    assertThat(diff.differences())
        .extracting(Difference::aspect)
        .containsExactly(Aspect.ERROR_RATE, Aspect.P99, Aspect.CALLS);
  }

  @Test
  void linesGroupAppearedDisappearedAndChangedThenCount() {
    ReportModel before =
        report(
            integration("http", "http://pay:443", details("a", null), op("POST /pay", 10, 0, 20)),
            integration("db", "h2://mem/legacy", op("SELECT legacy", 4, 0, 3)));
    ReportModel after =
        report(
            integration("http", "http://pay:443", details("b", null), op("POST /pay", 10, 0, 20)),
            integration("http", "http://fraud:8080", op("POST /score", 12, 0, 8.192)));

    assertThat(ReportDiff.compare(before, after).lines())
        .containsExactly(
            "appeared:",
            "  + http http://fraud:8080: 12 call(s), 0 error(s), p99 8.19 ms",
            "      POST /score: 12 call(s), 0 error(s), p99 8.19 ms",
            "disappeared:",
            "  - db h2://mem/legacy: 4 call(s), 0 error(s), p99 3.00 ms",
            "      SELECT legacy: 4 call(s), 0 error(s), p99 3.00 ms",
            "changed:",
            "  ~ http http://pay:443: owner a -> b",
            "3 difference(s): 1 appeared, 1 disappeared, 1 changed");
  }

  @Test
  void namesWithLineBreaksStayOnOneLine() {
    ReportDiff diff =
        ReportDiff.compare(report(), report(integration("http", "http://a\n+ fake:80")));

    assertThat(diff.lines()).hasSize(3);
    assertThat(diff.lines().get(1)).isEqualTo("  + http http://a?+ fake:80: 0 call(s), 0 error(s)");
  }
}
