package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.details;
import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.recorder.OperationStats;
import dev.seamwatch.agent.recorder.RecordedStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConsoleReportTest {

  private static List<String> print(ReportModel model, long callsBeforeStart) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ConsoleReport.print(out, model, callsBeforeStart);
    return Reports.lines(bytes.toString(StandardCharsets.UTF_8));
  }

  private static ReportModel sample() {
    return report(
        integration(
            "http",
            "http://payments:443",
            details("payments-team", "1", "no_read_timeout", "no_connect_timeout"),
            op("POST /payments/{id}", 100, 3, 131.072, Map.of("size_outlier", 2L)),
            op("GET /status", 50, 0, 8.192)),
        integration("db", "h2://mem/orders", op("SELECT orders", 5, 0, 0.512)));
  }

  @Test
  void firstLineKeepsItsFormat() {
    assertThat(print(sample(), 0).get(0))
        .isEqualTo("[seamwatch] integration report: 2 integration(s), 155 call(s), 3 error(s)");
    assertThat(print(sample(), 7).get(0))
        .isEqualTo(
            "[seamwatch] integration report: 2 integration(s), 155 call(s), 3 error(s), 7 call(s)"
                + " before the agent started (not recorded)");
  }

  @Test
  void firstLineParsesAsTheEndToEndTestParsesIt() {
    String first = print(sample(), 7).get(0);

    Matcher recorded = Pattern.compile(" (\\d+) call\\(s\\), ").matcher(first);
    Matcher before = Pattern.compile("(\\d+) call\\(s\\) before the agent started").matcher(first);
    assertThat(recorded.find()).isTrue();
    assertThat(recorded.group(1)).isEqualTo("155");
    assertThat(before.find()).isTrue();
    assertThat(before.group(1)).isEqualTo("7");
  }

  @Test
  void emptyReportIsTheFirstLineAlone() {
    assertThat(print(report(), 0))
        .containsExactly("[seamwatch] integration report: 0 integration(s), 0 call(s), 0 error(s)");
  }

  @Test
  void everyLineHasThePrefix() {
    assertThat(print(sample(), 3)).hasSize(7).allMatch(l -> l.startsWith("[seamwatch] "));
  }

  @Test
  void eachIntegrationIsFollowedByItsOperationsIndented() {
    List<String> lines = print(sample(), 0);

    assertThat(lines.get(1))
        .contains("KIND")
        .contains("INTEGRATION / OPERATION")
        .contains("P99 ms");
    assertThat(lines.get(2)).contains("db").contains("h2://mem/orders");
    assertThat(lines.get(3)).contains("SELECT orders");
    assertThat(lines.get(4)).contains("http").contains("http://payments:443");
    assertThat(lines.get(5)).contains("GET /status");
    assertThat(lines.get(6)).contains("POST /payments/{id}");
    int integrationColumn = lines.get(4).indexOf("http://payments:443");
    assertThat(lines.get(5).indexOf("GET /status")).isEqualTo(integrationColumn + 2);
    assertThat(lines.get(6).indexOf("POST /payments/{id}")).isEqualTo(integrationColumn + 2);
  }

  @Test
  void integrationLineHasOwnerTierTotalsPercentilesAnomaliesAndReadiness() {
    String payments = print(sample(), 0).get(4);

    assertThat(payments.split("\\s+"))
        .containsSubsequence(
            "http",
            "http://payments:443",
            "payments-team",
            "1",
            "150",
            "3",
            "2.0%",
            "33",
            "66",
            "131",
            "size_outlier",
            "x2;",
            "readiness:",
            "no_connect_timeout,",
            "no_read_timeout");
  }

  @Test
  void operationLineHasItsLastErrorAndAnomalies() {
    String pay = print(sample(), 0).get(6);

    assertThat(pay)
        .contains(" 100 ")
        .contains(" 3.0% ")
        .endsWith("last error: java.net.ConnectException; size_outlier x2");
  }

  @Test
  void columnsLineUpWhateverTheNames() {
    ReportModel model =
        report(
            integration("http", "http://a:80", op("GET /", 1, 0, 1)),
            integration(
                "messaging",
                "kafka://a-broker-with-a-very-long-host-name.example.com:9092",
                op("a-topic-with-a-name-far-longer-than-the-column-is-wide", 12345, 0, 1)));

    List<String> lines = print(model, 0);

    int header = lines.get(1).indexOf("CALLS") + "CALLS".length();
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l.length()).isGreaterThan(header));
    for (String line : lines.subList(2, lines.size())) {
      assertThat(line.charAt(header - 1)).as(line).isNotEqualTo(' ');
      assertThat(line.charAt(header)).as(line).isEqualTo(' ');
    }
  }

  @Test
  void longNamesAreClippedWithAnEllipsis() {
    String longHost = "kafka://a-broker-with-a-very-long-host-name.example.com:9092";
    String longTopic = "a-topic-with-a-name-far-longer-than-the-column-is-wide-really";
    List<String> lines =
        print(report(integration("messaging", longHost, op(longTopic, 1, 0, 1))), 0);

    assertThat(lines.get(2)).contains(longHost.substring(0, 43) + "…").doesNotContain(longHost);
    assertThat(lines.get(3)).contains(longTopic.substring(0, 41) + "…").doesNotContain(longTopic);
  }

  @Test
  void clipNeverCutsASurrogatePairInHalf() {
    String emoji = "\uD83D\uDE00";
    String clipped = ConsoleReport.clip("abcd" + emoji + "efgh", 6);

    assertThat(clipped).isEqualTo("abcd…");
    assertThat(ConsoleReport.clip("abc" + emoji + "efgh", 6)).isEqualTo("abc" + emoji + "…");
    assertThat(ConsoleReport.clip("short", 6)).isEqualTo("short");
  }

  @Test
  void controlCharactersInNamesDoNotBreakTheLines() {
    List<String> lines =
        print(
            report(
                integration("http", "http://evil\n[seamwatch] fake:80", op("GET /\r\n", 1, 0, 1))),
            0);

    assertThat(lines).hasSize(4);
    assertThat(lines.get(2)).contains("http://evil?[seamwatch] fake:80");
    assertThat(lines.get(3)).contains("GET /??");
  }

  @Test
  void overflowKeyIsNamedAsSuch() {
    IntegrationReport overflow = Reports.rich().integration("http", "_overflow");

    List<String> lines = print(report(overflow), 0);

    assertThat(lines.get(2)).contains("_overflow (keys over seamwatch.keys.max)");
  }

  @Test
  void latenciesKeepThreeDigitsOrSo() {
    List<String> lines =
        print(
            report(
                integration(
                    "db",
                    "h2://mem/x",
                    op("fast", 1, 0, 0.004),
                    op("medium", 1, 0, 5.657),
                    op("slow", 1, 0, 1448.155))),
            0);

    assertThat(lines.get(3).split("\\s+")).containsSubsequence("fast", "0.001", "0.002", "0.004");
    assertThat(lines.get(4).split("\\s+")).containsSubsequence("medium", "1.41", "2.83", "5.66");
    assertThat(lines.get(5).split("\\s+")).containsSubsequence("slow", "362", "724", "1448");
  }

  @Test
  void integrationWithNoCallsShowsDashes() {
    List<String> lines = print(Reports.rich(), 0);

    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l.split("\\s+"))
                    .containsSubsequence("h2://mem/idle", "0", "0", "-", "-", "-", "-"));
  }

  @Test
  void listOfKeysStillPrintsForCallersNotYetOnTheModel() {
    List<OperationStats> stats =
        new ArrayList<>(
            Arrays.asList(
                RecordedStats.record(
                    RecordedStats.of("http", "http://h:80", "GET /"), 4, 1, 2, "503"),
                RecordedStats.record(
                    RecordedStats.of("db", "h2://mem/x", "SELECT x"), 2, 0, 1, null)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ConsoleReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), stats, 2);

    List<String> lines = Reports.lines(bytes.toString(StandardCharsets.UTF_8));
    assertThat(lines.get(0))
        .isEqualTo(
            "[seamwatch] integration report: 2 integration(s), 6 call(s), 1 error(s), 2 call(s)"
                + " before the agent started (not recorded)");
    assertThat(lines).hasSize(6);
  }
}
