package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.json;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return DiffCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> out() {
    return Reports.lines(out.toString(StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String file(String name, ReportModel model) throws Exception {
    return file(name, json(model));
  }

  private String file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  @Test
  void sameReportsExitZero() throws Exception {
    String old = file("old.json", Reports.rich());
    String now = file("new.json", Reports.rich());

    assertThat(run("diff", old, now)).isEqualTo(0);

    assertThat(out()).hasSize(3);
    assertThat(out().get(0)).startsWith("--- " + old + "  (checkout, generated ");
    assertThat(out().get(1)).startsWith("+++ " + now + "  (checkout, generated ");
    assertThat(out().get(2)).isEqualTo("no differences");
    assertThat(err()).isEmpty();
  }

  @Test
  void differentReportsExitOneAndSayWhat() throws Exception {
    String old =
        file("old.json", report(integration("http", "http://pay:443", op("POST /pay", 10, 0, 20))));
    String now =
        file(
            "new.json",
            report(
                integration("http", "http://pay:443", op("POST /pay", 10, 0, 80)),
                integration("http", "http://fraud:8080", op("POST /score", 3, 0, 4))));

    assertThat(run("diff", old, now)).isEqualTo(1);

    assertThat(out().subList(2, out().size()))
        .containsExactly(
            "appeared:",
            "  + http http://fraud:8080: 3 call(s), 0 error(s), p99 4.00 ms",
            "      POST /score: 3 call(s), 0 error(s), p99 4.00 ms",
            "changed:",
            "  ~ http http://pay:443 > POST /pay: p99 20 ms -> 80 ms",
            "2 difference(s): 1 appeared, 0 disappeared, 1 changed");
    assertThat(out().get(0)).endsWith("1 integration(s), 10 call(s))");
    assertThat(out().get(1)).endsWith("2 integration(s), 13 call(s))");
  }

  @Test
  void noArgumentsOrHelpPrintTheUsageAndVersion() {
    assertThat(run()).isEqualTo(0);
    List<String> usage = out();
    out.reset();
    assertThat(run("--help")).isEqualTo(0);

    assertThat(out()).isEqualTo(usage);
    assertThat(usage.get(0))
        .isEqualTo("Seamwatch " + DiffCommand.version() + ": integration report tools");
    assertThat(usage.get(1)).isEqualTo(DiffCommand.USAGE);
    assertThat(err()).isEmpty();
  }

  @Test
  void versionComesFromTheBuild() {
    assertThat(run("--version")).isEqualTo(0);

    assertThat(DiffCommand.version()).isNotEqualTo("unknown").doesNotContain("${");
    assertThat(out()).containsExactly("Seamwatch " + DiffCommand.version());
  }

  @Test
  void wrongNumberOfFilesExitsTwoWithTheUsage() throws Exception {
    String one = file("one.json", Reports.rich());

    assertThat(run("diff", one)).isEqualTo(2);

    assertThat(err())
        .isEqualTo(
            "seamwatch diff: expected two report files, got 1"
                + System.lineSeparator()
                + DiffCommand.USAGE
                + System.lineSeparator());
    assertThat(out.size()).isZero();
  }

  @Test
  void unknownCommandExitsTwoWithTheUsage() {
    assertThat(run("compare", "a", "b")).isEqualTo(2);

    assertThat(err())
        .startsWith("seamwatch: unknown command \"compare\"")
        .contains(DiffCommand.USAGE);
  }

  @Test
  void missingFileExitsTwo() throws Exception {
    String one = file("one.json", Reports.rich());
    String missing = dir.resolve("missing.json").toString();

    assertThat(run("diff", one, missing)).isEqualTo(2);

    assertThat(err())
        .isEqualTo("seamwatch diff: " + missing + ": no such file" + System.lineSeparator());
    assertThat(out.size()).isZero();
  }

  @Test
  void malformedFileExitsTwoWithLineAndColumn() throws Exception {
    String bad = file("bad.json", "{\n  \"schema\": \"seamwatch-report\",\n  \"version\": 1,,\n}");
    String good = file("good.json", Reports.rich());

    assertThat(run("diff", bad, good)).isEqualTo(2);

    assertThat(err())
        .isEqualTo(
            "seamwatch diff: "
                + bad
                + ": line 3, column 16: unexpected ',', expected a member name in double quotes"
                + System.lineSeparator());
  }

  @Test
  void newerReportExitsTwo() throws Exception {
    String good = file("good.json", Reports.rich());
    String newer =
        file("newer.json", json(Reports.rich()).replace("\"version\": 1", "\"version\": 3"));

    assertThat(run("diff", good, newer)).isEqualTo(2);

    assertThat(err())
        .contains(newer + ": report version 3 is newer than this agent reads (version 1)");
  }

  @Test
  void fileThatIsNotUtf8ExitsTwo() throws Exception {
    Path binary =
        Files.write(dir.resolve("binary.json"), new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
    String good = file("good.json", Reports.rich());

    assertThat(run("diff", good, binary.toString())).isEqualTo(2);

    assertThat(err())
        .isEqualTo("seamwatch diff: " + binary + ": not UTF-8 text" + System.lineSeparator());
  }

  @Test
  void directoryInsteadOfAFileExitsTwo() throws Exception {
    String good = file("good.json", Reports.rich());

    assertThat(run("diff", dir.toString(), good)).isEqualTo(2);

    assertThat(err()).startsWith("seamwatch diff: " + dir + ": ");
  }
}
