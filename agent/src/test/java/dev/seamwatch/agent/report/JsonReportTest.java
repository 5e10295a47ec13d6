package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.details;
import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.json;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.read;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {

  @Test
  void writtenReportReadsBackEqual() throws Exception {
    ReportModel model = Reports.rich();

    ReportModel back = read(json(model));

    assertThat(back).isEqualTo(model);
    assertThat(json(back)).isEqualTo(json(model));
  }

  @Test
  void writesTheDocumentedLayoutWithAbsentValuesLeftOut() {
    ReportModel model =
        report(
            new IntegrationReport(
                "http",
                "http://pay:443",
                false,
                details("payments-team", null, "no_connect_timeout"),
                new CallStats(8, 1, 0.125, 2.0, 131.072, Map.of("slo_breach", 1L), 0, 0),
                Collections.singletonList(
                    new OperationReport(
                        "POST /pay",
                        "503",
                        new CallStats(
                            8,
                            1,
                            0.125,
                            2.0,
                            131.072,
                            Map.of("slo_breach", 1L),
                            Reports.STARTED + 1,
                            Reports.STARTED + 2)))));

    String expected =
        String.join(
            "\n",
            "{",
            "  \"schema\": \"seamwatch-report\",",
            "  \"version\": 1,",
            "  \"service\": \"checkout\",",
            "  \"agentVersion\": \"0.1.0\",",
            "  \"startedAt\": \"2026-09-21T14:13:20.000Z\",",
            "  \"generatedAt\": \"2026-09-21T14:14:20.000Z\",",
            "  \"integrations\": [",
            "    {",
            "      \"kind\": \"http\",",
            "      \"name\": \"http://pay:443\",",
            "      \"owner\": \"payments-team\",",
            "      \"calls\": 8,",
            "      \"errors\": 1,",
            "      \"errorRate\": 0.125,",
            "      \"p50Ms\": 0.125,",
            "      \"p95Ms\": 2,",
            "      \"p99Ms\": 131.072,",
            "      \"anomalies\": {",
            "        \"slo_breach\": 1",
            "      },",
            "      \"readiness\": [",
            "        \"no_connect_timeout\"",
            "      ],",
            "      \"operations\": [",
            "        {",
            "          \"name\": \"POST /pay\",",
            "          \"calls\": 8,",
            "          \"errors\": 1,",
            "          \"errorRate\": 0.125,",
            "          \"p50Ms\": 0.125,",
            "          \"p95Ms\": 2,",
            "          \"p99Ms\": 131.072,",
            "          \"anomalies\": {",
            "            \"slo_breach\": 1",
            "          },",
            "          \"firstSeen\": \"2026-09-21T14:13:20.001Z\",",
            "          \"lastSeen\": \"2026-09-21T14:13:20.002Z\",",
            "          \"lastErrorType\": \"503\"",
            "        }",
            "      ]",
            "    }",
            "  ]",
            "}",
            "");
    assertThat(json(model)).isEqualTo(expected);
  }

  @Test
  void emptyCollectionsAreWrittenEmptyAndErrorRateIsRoundedToFourDecimals() {
    ReportModel model =
        report(
            integration("db", "h2://mem/a", op("SELECT a", 3, 1, 1)),
            integration("db", "h2://mem/b"));

    String json = json(model);

    assertThat(json).contains("\"errorRate\": 0.3333,").contains("\"anomalies\": {},");
    assertThat(json).contains("\"readiness\": [],").contains("\"operations\": []");
    assertThat(json)
        .doesNotContain("null")
        .doesNotContain("NaN")
        .doesNotContainPattern("[0-9][eE][-+]?[0-9]");
  }

  @Test
  void sameModelBuiltInAnotherOrderWritesTheSameBytes() {
    OperationReport a = op("GET /a", 1, 0, 1);
    OperationReport b = op("GET /b", 2, 0, 1);
    ReportModel one =
        report(
            integration("http", "http://z:80", a, b),
            integration("db", "h2://mem/x", op("SELECT x", 1, 0, 1)),
            integration("http", "http://a:80", b));
    ReportModel other =
        report(
            integration("http", "http://a:80", b),
            integration("http", "http://z:80", b, a),
            integration("db", "h2://mem/x", op("SELECT x", 1, 0, 1)));

    assertThat(json(other)).isEqualTo(json(one));
    assertThat(json(one).indexOf("h2://mem/x"))
        .isLessThan(json(one).indexOf("http://a:80"))
        .isGreaterThan(0);
    assertThat(json(one).indexOf("http://a:80")).isLessThan(json(one).indexOf("http://z:80"));
    int z = json(one).indexOf("http://z:80");
    assertThat(json(one).indexOf("GET /a", z)).isLessThan(json(one).indexOf("GET /b", z));
  }

  @Test
  void oddNamesAreEscapedAndReadBackUnchanged() throws Exception {
    List<String> names =
        Arrays.asList(
            "quote \" and backslash \\ and slash /",
            "line\nbreak\r\ttab\bbackspace\fform feed",
            "control \u0001\u001f and delete \u007f",
            "unicode é 日本 emoji \uD83D\uDE00 and separators \u2028\u2029",
            "lone surrogates \uD800 and \uDC00",
            "");
    OperationReport[] operations =
        names.stream().map(n -> op(n, 1, 0, 1)).toArray(OperationReport[]::new);
    ReportModel model = report(integration("http", "http://\"odd\"\\host:80", operations));

    String json = json(model);

    assertThat(read(json)).isEqualTo(model);
    assertThat(json)
        .contains("\"name\": \"http://\\\"odd\\\"\\\\host:80\"")
        .contains("line\\nbreak\\r\\ttab\\bbackspace\\fform feed")
        .contains("control \\u0001\\u001f and delete \\u007f")
        .contains("unicode é 日本 emoji \uD83D\uDE00 and separators \\u2028\\u2029")
        .contains("lone surrogates \\ud800 and \\udc00");
    // Each report line is one JSON line: no raw line break from a name.
    assertThat(Reports.lines(json))
        .allMatch(l -> l.trim().isEmpty() || l.startsWith(" ") || l.equals("{") || l.equals("}"));
  }

  @Test
  void explicitNullsReadAsAbsentAndUnknownMembersAreIgnored() throws Exception {
    String json =
        json(report(integration("http", "http://pay:80", op("GET /", 2, 0, 4))))
            .replace(
                "\"name\": \"http://pay:80\",",
                "\"name\": \"http://pay:80\", \"owner\": null, \"addedLater\": {\"x\": [1, 2]},")
            .replace("\"name\": \"GET /\",", "\"name\": \"GET /\", \"lastErrorType\": null,");

    ReportModel back = read(json);

    IntegrationReport pay = back.integration("http", "http://pay:80");
    assertThat(pay.details().owner()).isNull();
    assertThat(pay.operation("GET /").lastErrorType()).isNull();
    assertThat(pay.operation("GET /").stats().calls()).isEqualTo(2);
  }

  @Test
  void timesAreIsoUtcWithMilliseconds() throws Exception {
    assertThat(JsonReport.time(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(JsonReport.time(1_790_000_000_123L)).isEqualTo("2026-09-21T14:13:20.123Z");
    // Any ISO-8601 instant reads, with or without a fraction.
    String json =
        json(report()).replace("\"2026-09-21T14:13:20.000Z\"", "\"2026-09-21T14:13:21Z\"");
    assertThat(read(json).startedAtMillis()).isEqualTo(Reports.STARTED + 1_000);
  }
}
