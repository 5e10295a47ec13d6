package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.json;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.read;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reader refuses what is not a valid report, and says where. */
class JsonReportReaderTest {

  /** Input with {@code ~} for a line break; the message it must give. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| line 1, column 1: empty input",
        "{\"a\": 1,}| line 1, column 9: unexpected '}', expected a member name in double quotes",
        "[1, 2,]| line 1, column 7: unexpected ']', expected a value",
        "{\"a\": 1}~  x| line 2, column 3: unexpected 'x' after the end of the JSON value",
        "{~  \"a\": 1~  \"b\": 2~}| line 3, column 3: unexpected '\"', expected ',' or '}' in an object",
        "[1, 2| line 1, column 6: unexpected end of input, expected ',' or ']' in an array",
        "{\"a\": 01}| line 1, column 8: a number with a leading zero",
        "{\"a\": 1.}| line 1, column 9: unexpected '}', expected a digit after the decimal point",
        "{\"a\": 1e}| line 1, column 9: unexpected '}', expected a digit in the exponent",
        "{\"a\": -x}| line 1, column 8: unexpected 'x', expected a digit",
        "{\"a\": NaN}| line 1, column 7: unexpected 'N', expected a value",
        "{\"a\": tru}| line 1, column 7: unexpected 't', expected a value",
        "{'a': 1}| line 1, column 2: unexpected ''', expected a member name in double quotes",
        "// note~{}| line 1, column 1: unexpected '/', expected a value",
        "{\"a\": \"x\\qy\"}| line 1, column 9: an invalid escape in a string (\\q)",
        "{\"a\": \"\\u12\"}| line 1, column 9: a \\u escape needs four hexadecimal digits",
        "{\"a\": \"open| line 1, column 7: a string that is never closed",
        "{\"a\": 1, \"a\": 2}| line 1, column 10: the member name \"a\" is repeated in this object",
        "{\"a\" 1}| line 1, column 6: unexpected '1', expected ':' after a member name",
        "{\"a\": 1e999}| line 1, column 7: the number 1e999 is out of range",
      })
  void malformedJsonIsRefusedWithLineAndColumn(String input, String message) {
    assertThatThrownBy(() -> read(input.replace("~", "\n")))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            message.trim().endsWith("empty input")
                ? message.trim() + ", expected a JSON value"
                : message.trim());
  }

  @Test
  void rawControlCharacterInAStringIsRefused() {
    assertThatThrownBy(() -> read("{\"a\": \"tab\there\"}"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            "line 1, column 11: a control character (U+0009) in a string; it must be escaped");
  }

  @Test
  void crLfAndCrLineEndingsCountAsOneLineEach() {
    assertThatThrownBy(() -> read("{\r\n\"a\": 1,\r\"b\": x}"))
        .hasMessage("line 3, column 6: unexpected 'x', expected a value");
  }

  @Test
  void deepNestingIsRefusedRatherThanOverflowingTheStack() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);

    assertThatThrownBy(() -> read(deep))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("line 1, column 65: nested deeper than 64 levels");
  }

  @Test
  void aByteOrderMarkIsSkipped() throws Exception {
    ReportModel model = report(integration("http", "http://h:80", op("GET /", 1, 0, 1)));

    assertThat(read("\uFEFF" + json(model))).isEqualTo(model);
  }

  @Test
  void jsonThatIsNotAnObjectIsNotAReport() {
    assertThatThrownBy(() -> read("[]"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("the report: expected an object, found an array");
  }

  @Test
  void otherSchemaIsNotAReport() {
    assertThatThrownBy(() -> read("{\"schema\": \"something-else\", \"version\": 1}"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            "not a Seamwatch report: \"schema\" is \"something-else\", expected \"seamwatch-report\"");
    assertThatThrownBy(() -> read("{\"version\": 1}"))
        .hasMessage("not a Seamwatch report: \"schema\" is missing, expected \"seamwatch-report\"");
  }

  @Test
  void newerVersionIsRefusedBeforeAnythingElseIsRead() {
    // A version 2 report may be shaped differently: its version is the one thing to report.
    assertThatThrownBy(() -> read("{\"schema\": \"seamwatch-report\", \"version\": 2, \"x\": []}"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            "report version 2 is newer than this agent reads (version 1): use the"
                + " seamwatch-agent.jar that wrote it, or a newer one");
  }

  @Test
  void versionMustBeAWholeNumber() {
    assertThatThrownBy(() -> read("{\"schema\": \"seamwatch-report\", \"version\": \"1\"}"))
        .hasMessage("version: expected a whole number of zero or more, found the string \"1\"");
    assertThatThrownBy(() -> read("{\"schema\": \"seamwatch-report\", \"version\": 0}"))
        .hasMessage("version: 0 is not a report version");
  }

  @Test
  void missingFieldIsNamedByItsPath() {
    String json =
        json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))))
            .replace("          \"calls\": 1,\n", "");

    assertThatThrownBy(() -> read(json))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("integrations[0].operations[0].calls: missing");
  }

  @Test
  void mistypedFieldIsNamedByItsPathWithWhatWasFound() {
    String json =
        json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))))
            .replace("      \"calls\": 1,", "      \"calls\": \"one\",");

    assertThatThrownBy(() -> read(json))
        .hasMessage(
            "integrations[0].calls: expected a whole number of zero or more, found the string"
                + " \"one\"");
  }

  @Test
  void negativeOrFractionalCountsAreRefused() {
    String base = json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))));

    assertThatThrownBy(() -> read(base.replace("      \"calls\": 1,", "      \"calls\": -1,")))
        .hasMessage("integrations[0].calls: expected a whole number of zero or more, found -1");
    assertThatThrownBy(() -> read(base.replace("      \"calls\": 1,", "      \"calls\": 1.5,")))
        .hasMessage("integrations[0].calls: expected a whole number of zero or more, found 1.5");
  }

  @Test
  void moreErrorsThanCallsIsRefused() {
    String json =
        json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))))
            .replace("          \"errors\": 0,", "          \"errors\": 2,");

    assertThatThrownBy(() -> read(json))
        .hasMessage("integrations[0].operations[0].errors: 2 errors out of 1 calls");
  }

  @Test
  void badTimeIsRefused() {
    String json = json(report()).replace("\"2026-09-21T14:13:20.000Z\"", "\"yesterday\"");

    assertThatThrownBy(() -> read(json))
        .hasMessage(
            "startedAt: \"yesterday\" is not an ISO-8601 UTC time such as"
                + " 2026-01-31T12:00:00.000Z");
  }

  @Test
  void integrationOrOperationListedTwiceIsRefused() {
    String one = json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))));
    String integrationBody =
        one.substring(one.indexOf("    {"), one.lastIndexOf("    }") + "    }".length());
    String twice = one.replace(integrationBody, integrationBody + ",\n" + integrationBody);

    assertThatThrownBy(() -> read(twice))
        .hasMessage("integrations[1]: http http://h:80 is listed twice");

    String opBody =
        one.substring(
            one.indexOf("        {"), one.lastIndexOf("        }") + "        }".length());
    String opTwice = one.replace(opBody, opBody + ",\n" + opBody);

    assertThatThrownBy(() -> read(opTwice))
        .hasMessage("integrations[0].operations[1].name: the operation GET / is listed twice");
  }

  @Test
  void errorRateOutsideZeroToOneIsRefused() {
    String json =
        json(report(integration("http", "http://h:80", op("GET /", 1, 0, 1))))
            .replace("      \"errorRate\": 0,", "      \"errorRate\": 2,");

    assertThatThrownBy(() -> read(json))
        .hasMessage("integrations[0].errorRate: 2.0 is not from 0 to 1");
  }
}
