package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.report.Reports.integration;
import static dev.seamwatch.agent.report.Reports.op;
import static dev.seamwatch.agent.report.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.recorder.AgentThread;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationReportsTest {

  @TempDir Path work;
  @TempDir Path tmp;

  private final Map<String, String> settings = new HashMap<>();
  private final AgentConfig config = new AgentConfig(settings::get, Collections.emptyMap());
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<String> infos = new CopyOnWriteArrayList<>();
  private final AtomicInteger built = new AtomicInteger();
  private final ReportModel model =
      report(integration("http", "http://pay:80", op("POST /pay", 10, 1, 20)));

  private IntegrationReports reports() {
    return reports(
        () -> {
          built.incrementAndGet();
          return model;
        });
  }

  private IntegrationReports reports(Supplier<ReportModel> supplier) {
    return IntegrationReports.fromConfig(
        config,
        supplier,
        () -> 2,
        work.toString(),
        tmp.toString(),
        () -> out,
        warnings::add,
        infos::add);
  }

  private Path fallback() {
    return tmp.resolve("seamwatch-report-" + ProcessHandle.current().pid() + ".json");
  }

  private static ReportModel readReport(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return JsonReport.read(in);
    }
  }

  private List<String> consoleLines() {
    String text = console.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? Collections.emptyList() : Reports.lines(text);
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void finalReportGoesToTheConsoleAndToTheDefaultFileInTheWorkingDirectory() throws Exception {
    IntegrationReports reports = reports();

    reports.writeFinal();

    Path file = work.resolve("seamwatch-report.json");
    assertThat(readReport(file)).isEqualTo(model);
    assertThat(reports.lastWritten()).isEqualTo(file);
    assertThat(consoleLines().get(0))
        .isEqualTo(
            "[seamwatch] integration report: 1 integration(s), 10 call(s), 1 error(s), 2 call(s)"
                + " before the agent started (not recorded)");
    assertThat(infos).containsExactly("integration report written to " + file);
    assertThat(warnings).isEmpty();
    assertThat(files(tmp)).isEmpty();
  }

  @Test
  void finalReportIsWrittenOnce() throws Exception {
    IntegrationReports reports = reports();

    reports.writeFinal();
    int lines = consoleLines().size();
    reports.writeFinal();

    assertThat(built).hasValue(1);
    assertThat(consoleLines()).hasSize(lines);
    assertThat(infos).hasSize(1);
  }

  @Test
  void relativeFileIsTakenFromTheWorkingDirectory() throws Exception {
    Files.createDirectory(work.resolve("reports"));
    settings.put("seamwatch.report.file", "reports/checkout.json");

    reports().writeFinal();

    assertThat(readReport(work.resolve("reports/checkout.json"))).isEqualTo(model);
    assertThat(files(work)).containsExactly("reports");
  }

  @Test
  void directoryGetsTheDefaultFileName() throws Exception {
    Path dir = Files.createDirectory(work.resolve("out"));
    settings.put("seamwatch.report.file", dir.toString());

    reports().writeFinal();

    assertThat(readReport(dir.resolve("seamwatch-report.json"))).isEqualTo(model);
  }

  @Test
  void fileThatCannotBeWrittenGoesToTheTemporaryDirectoryAndSaysWhere() throws Exception {
    // A path under a regular file can never be written, even by root (which permissions do not
    // stop).
    Path regular = Files.writeString(work.resolve("regular"), "x");
    Path wanted = regular.resolve("report.json");
    settings.put("seamwatch.report.file", wanted.toString());
    IntegrationReports reports = reports();

    reports.writeFinal();

    assertThat(readReport(fallback())).isEqualTo(model);
    assertThat(reports.lastWritten()).isEqualTo(fallback());
    assertThat(warnings)
        .containsExactly(
            "could not write the integration report to "
                + wanted
                + " (not a directory); writing it to "
                + fallback()
                + " instead");
    assertThat(infos).containsExactly("integration report written to " + fallback());
    assertThat(Files.readString(regular)).isEqualTo("x");
  }

  @Test
  void whenNeitherPlaceCanBeWrittenOneLineSaysSoAndNothingIsThrown() throws Exception {
    Path regular = Files.writeString(work.resolve("regular"), "x");
    settings.put("seamwatch.report.file", regular.resolve("report.json").toString());
    IntegrationReports reports =
        IntegrationReports.fromConfig(
            config,
            () -> model,
            () -> 0,
            work.toString(),
            regular.toString(),
            () -> out,
            warnings::add,
            infos::add);

    reports.writeFinal();

    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("integration report not written: not to " + regular.resolve("report.json"))
        .contains("(not a directory), nor to " + regular.resolve("seamwatch-report-"));
    assertThat(infos).isEmpty();
    assertThat(reports.lastWritten()).isNull();
    assertThat(consoleLines()).isNotEmpty();
  }

  @Test
  void noneTurnsTheFileOff() throws Exception {
    settings.put("seamwatch.report.file", "NONE");
    IntegrationReports reports = reports();

    reports.writeFinal();

    assertThat(files(work)).isEmpty();
    assertThat(files(tmp)).isEmpty();
    assertThat(reports.lastWritten()).isNull();
    assertThat(infos).isEmpty();
    assertThat(consoleLines()).hasSize(4);
  }

  @Test
  void consoleCanBeTurnedOffAndTheFileIsStillWritten() throws Exception {
    settings.put("seamwatch.report.console", "false");

    reports().writeFinal();

    assertThat(console.size()).isZero();
    assertThat(readReport(work.resolve("seamwatch-report.json"))).isEqualTo(model);
  }

  @Test
  void aModelThatCannotBeBuiltIsOneLineAndNothingIsThrown() {
    IntegrationReports reports =
        reports(
            () -> {
              throw new IllegalStateException("boom");
            });

    reports.writeFinal();

    assertThat(warnings)
        .containsExactly(
            "integration report not written: could not build it: java.lang.IllegalStateException:"
                + " boom");
    assertThat(console.size()).isZero();
  }

  @Test
  void aFailingConsoleDoesNotStopTheFile() throws Exception {
    IntegrationReports reports =
        IntegrationReports.fromConfig(
            config,
            () -> model,
            () -> 0,
            work.toString(),
            tmp.toString(),
            () -> {
              throw new IllegalStateException("no stderr");
            },
            warnings::add,
            infos::add);

    reports.writeFinal();

    assertThat(warnings)
        .containsExactly(
            "integration report not printed: java.lang.IllegalStateException: no stderr");
    assertThat(readReport(work.resolve("seamwatch-report.json"))).isEqualTo(model);
  }

  @Test
  void atomicWriteReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = Files.writeString(work.resolve("report.json"), "old");

    IntegrationReports.writeAtomically(file, model);

    assertThat(readReport(file)).isEqualTo(model);
    assertThat(files(work)).containsExactly("report.json");
  }

  @Test
  void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    Path file = Files.writeString(work.resolve("report.json"), "old");
    // NaN has no JSON form: the writer throws half-way through the file.
    ReportModel unwritable =
        report(
            integration(
                "http",
                "http://h:80",
                new OperationReport(
                    "GET /", null, new CallStats(1, 0, Double.NaN, 1.0, 1.0, null, 1, 1))));

    assertThatThrownBy(() -> IntegrationReports.writeAtomically(file, unwritable))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(Files.readString(file)).isEqualTo("old");
    assertThat(files(work)).containsExactly("report.json");
  }

  @Test
  void readersNeverSeeHalfAReport() throws Exception {
    List<IntegrationReport> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(integration("http", "http://host-" + i + ":80", op("GET /" + i, i, 0, i + 1)));
    }
    ReportModel big = new ReportModel("svc", "v", 0, 1, many);
    Path file = work.resolve("report.json");
    IntegrationReports.writeAtomically(file, big);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> broken = new CopyOnWriteArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while ((writing.get() || reads.get() < 50) && broken.size() < 10) {
                try {
                  assertThat(readReport(file)).isEqualTo(big);
                  reads.incrementAndGet();
                } catch (Throwable t) {
                  broken.add(t.toString());
                }
              }
            });
    reader.setDaemon(true);
    reader.start();

    for (int i = 0; i < 100; i++) {
      IntegrationReports.writeAtomically(file, big);
    }
    writing.set(false);
    reader.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(broken).isEmpty();
    assertThat(reads.get()).isGreaterThanOrEqualTo(50);
    assertThat(files(work)).containsExactly("report.json");
  }

  @Test
  void periodicReportsAreWrittenOnADaemonAgentThreadUntilTheFinalOne() throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    IntegrationReports reports =
        new IntegrationReports(
            () -> {
              threads.add(Thread.currentThread());
              three.countDown();
              return model;
            },
            () -> 0,
            true,
            work.resolve("report.json"),
            fallback(),
            Duration.ofMillis(20),
            () -> out,
            warnings::add,
            infos::add);

    reports.start();

    assertThat(three.await(10, TimeUnit.SECONDS)).as("three periodic reports").isTrue();
    assertThat(reports.scheduled()).isTrue();
    assertThat(threads).allSatisfy(t -> assertThat(t).isInstanceOf(AgentThread.class));
    assertThat(threads.get(0).isDaemon()).isTrue();
    assertThat(readReport(work.resolve("report.json"))).isEqualTo(model);
    assertThat(infos).isEmpty();

    reports.writeFinal();
    int afterFinal = threads.size();
    reports.writePeriodic();

    assertThat(reports.scheduled()).isFalse();
    assertThat(threads).hasSize(afterFinal);
    assertThat(threads.get(afterFinal - 1)).isSameAs(Thread.currentThread());
    assertThat(infos)
        .containsExactly("integration report written to " + work.resolve("report.json"));
    assertThat(consoleLines().stream().filter(l -> l.contains("integration report:")).count())
        .isEqualTo(afterFinal);
  }

  @Test
  void aProblemThatRepeatsEveryIntervalIsSaidOnce() {
    AtomicInteger calls = new AtomicInteger();
    IntegrationReports reports =
        reports(
            () -> {
              calls.incrementAndGet();
              throw new IllegalStateException("not yet");
            });

    reports.writePeriodic();
    reports.writePeriodic();
    reports.writePeriodic();

    assertThat(calls).hasValue(3);
    assertThat(warnings).hasSize(1);
  }

  @Test
  void fallbackIsSaidOnceAndKeptForLaterReports() throws Exception {
    Path regular = Files.writeString(work.resolve("regular"), "x");
    settings.put("seamwatch.report.file", regular.resolve("report.json").toString());
    IntegrationReports reports = reports();

    reports.writePeriodic();
    reports.writePeriodic();
    reports.writeFinal();

    assertThat(warnings).hasSize(1);
    assertThat(built).hasValue(3);
    assertThat(readReport(fallback())).isEqualTo(model);
  }

  @Test
  void intervalIsOffByDefault() {
    IntegrationReports reports = reports();

    reports.start();

    assertThat(reports.scheduled()).isFalse();
    reports.writeFinal();
  }

  @Test
  void intervalFromTheSettingSchedulesReports() {
    settings.put("seamwatch.report.interval", "30s");
    IntegrationReports reports = reports();

    reports.start();

    assertThat(reports.scheduled()).isTrue();
    reports.writeFinal();
    assertThat(reports.scheduled()).isFalse();
    assertThat(warnings).isEmpty();
  }

  @Test
  void intervalBelowASecondIsOneLineAndOff() {
    settings.put("seamwatch.report.interval", "500ms");
    IntegrationReports reports = reports();

    reports.start();

    assertThat(reports.scheduled()).isFalse();
    assertThat(warnings)
        .containsExactly(
            "setting seamwatch.report.interval=500ms is not valid (expected 0 for off, or a"
                + " duration from 1s to 1d); using the default, 0 (off)");
  }

  @Test
  void intervalThatIsNoDurationIsOneLineAndOff() {
    settings.put("seamwatch.report.interval", "often");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SeamwatchLog.setLevel("info");
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    IntegrationReports reports;
    try {
      reports = reports();
    } finally {
      System.setErr(original);
    }

    reports.start();

    assertThat(reports.scheduled()).isFalse();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("[seamwatch] setting seamwatch.report.interval=often is not valid");
  }
}
