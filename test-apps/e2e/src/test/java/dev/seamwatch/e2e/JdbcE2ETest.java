package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.DatabaseServers;
import dev.seamwatch.e2e.harness.MariaDbServer;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.PostgresServer;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JDBC end to end: the JDBC test application, with the packaged agent, against H2, a real
 * PostgreSQL and a real MariaDB, through DriverManager and through HikariCP, and the spans and
 * metrics a real OTLP receiver decodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcE2ETest {

  private static final String MAIN = "dev.seamwatch.testapps.jdbc.JdbcApp";
  private static final String H2_URL = "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1";
  private static final String SECRET = "secret-literal-4711";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final List<String> SCENARIOS =
      List.of(
          "setup",
          "select-by-id",
          "select-all",
          "select-partial",
          "select-literal",
          "select-nested",
          "select-elsewhere",
          "select-interleaved",
          "update",
          "batch",
          "large-update",
          "call",
          "syntax-error",
          "constraint-violation",
          "query-timeout",
          "refused",
          "cleanup");

  private PostgresServer postgres;
  private MariaDbServer mariadb;

  @BeforeAll
  void startServers() {
    postgres = PostgresServer.start();
    mariadb = MariaDbServer.start();
  }

  @AfterAll
  void stopServers() {
    try (PostgresServer p = postgres;
        MariaDbServer m = mariadb) {
      // closed in reverse order, even if one failed to start
    }
  }

  enum Db {
    H2("h2database"),
    POSTGRESQL("postgresql"),
    MARIADB("mariadb");

    final String system;

    Db(String system) {
      this.system = system;
    }
  }

  static Stream<Arguments> databases() {
    return Stream.of(Db.values()).map(Arguments::of);
  }

  private List<String> args(Db db, String mode, List<String> scenarios) {
    List<String> args = new ArrayList<>();
    switch (db) {
      case H2:
        args.addAll(List.of(H2_URL, "sa", ""));
        break;
      case POSTGRESQL:
        args.addAll(List.of(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        break;
      default:
        args.addAll(List.of(mariadb.jdbcUrl(), mariadb.user(), mariadb.password()));
    }
    args.add(mode);
    args.addAll(scenarios);
    return args;
  }

  private ChildJvm.Result run(Db db, String mode, List<String> scenarios, OtlpReceiver receiver) {
    ChildJvm.Builder builder =
        ChildJvm.builder()
            .classpath(DatabaseServers.jdbcAppClasspath())
            .mainClass(MAIN)
            .args(args(db, mode, scenarios).toArray(new String[0]));
    if (receiver == null) {
      builder.noAgent();
    } else {
      builder
          .agent(ChildJvm.agentJar())
          .sysProp("otel.service.name", "jdbc-e2e")
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint());
    }
    return builder.run();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyStatementIsOneSanitizedSpanWithRowsAndErrors(Db db) {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result without = run(db, "driver", SCENARIOS, null);
      ChildJvm.Result with = run(db, "driver", SCENARIOS, receiver);
      assertThat(with.exitCode()).as(with.toString()).isEqualTo(without.exitCode()).isZero();
      assertThat(with.stdout()).isEqualTo(without.stdout());
      assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());

      receiver.awaitSpans(JdbcE2ETest::isDrop, 2, WAIT);
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).allSatisfy(s -> assertThat(s.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT));
      assertThat(spans).allSatisfy(s -> assertThat(s.attr("db.system.name")).isEqualTo(db.system));
      if (db != Db.H2) {
        int port = db == Db.POSTGRESQL ? postgres.port() : mariadb.port();
        // (The refused connect goes to another port, on purpose.)
        assertThat(spans)
            .filteredOn(s -> s.attr("db.query.text") != null)
            .allSatisfy(
                s ->
                    assertThat(s.attributes())
                        .containsEntry("server.address", "127.0.0.1")
                        .containsEntry("server.port", (long) port)
                        .containsEntry("db.namespace", "test"));
      }

      ReceivedSpan byId = single(spans, "SELECT name FROM items WHERE id = ?");
      assertThat(byId.name()).isEqualTo("SELECT items");
      assertThat(byId.attributes())
          .containsEntry("db.operation.name", "SELECT")
          .containsEntry("db.collection.name", "items")
          .containsEntry("db.query.summary", "SELECT items")
          .containsEntry("db.response.returned_rows", 1L)
          .doesNotContainKey("error.type");
      assertThat(single(spans, "SELECT id, name FROM items").attr("db.response.returned_rows"))
          .as("all rows read")
          .isEqualTo(50L);
      assertThat(
              single(spans, "SELECT id, name FROM items ORDER BY id")
                  .attr("db.response.returned_rows"))
          .as("five rows read, then closed")
          .isEqualTo(5L);
      ReceivedSpan literal = single(spans, "SELECT id FROM items WHERE name = ?");
      assertThat(literal.attr("db.response.returned_rows")).isEqualTo(0L);
      assertNestedAndElsewhereRowsCounted(spans);

      ReceivedSpan batch = single(spans, "UPDATE items SET name = ? WHERE id = ?");
      assertThat(batch.attr("db.operation.batch.size")).isEqualTo(10L);
      assertThat(batch.attr("db.operation.name")).isEqualTo("UPDATE");
      assertThat(single(spans, "INSERT INTO items (id, name, price) VALUES (?, ?, ?)").attributes())
          .containsEntry("db.operation.batch.size", 50L);

      assertThat(single(spans, "UPDATE items SET price = price + ? WHERE id > ?").attributes())
          .as("executeLargeUpdate")
          .containsEntry("db.operation.name", "UPDATE")
          .doesNotContainKey("error.type");
      if (db != Db.H2) {
        // CallableStatement: prepared with prepareCall, executed without SQL.
        assertThat(spans)
            .filteredOn(
                s -> s.attr("db.query.text") instanceof String t && t.contains("call item_count"))
            .singleElement()
            .satisfies(s -> assertThat(s.attr("db.operation.name")).isEqualTo("CALL"));
      }
      assertFailure(spans, with, "syntax-error", "SELECT FROM WHERE");
      assertFailure(
          spans, with, "constraint-violation", "INSERT INTO customers (id, name) VALUES (?, ?)");

      assertFailedSpan(
          spans.stream()
              .filter(s -> s.statusCode() == StatusCode.STATUS_CODE_ERROR)
              .filter(
                  s -> s.attr("db.query.text") instanceof String text && !text.startsWith("INSERT"))
              .filter(s -> !"SELECT FROM WHERE".equals(s.attr("db.query.text")))
              .toList(),
          with,
          "query-timeout");
      // A refused connection: the driver's connect, as the application saw it.
      assertFailedSpan(
          spans.stream().filter(s -> s.name().equals("connect " + db.system)).toList(),
          with,
          "refused");

      // Privacy: the literal never leaves the process.
      assertThat(receiver.spans().toString() + receiver.metrics()).doesNotContain(SECRET);

      ReceivedMetric duration = receiver.awaitMetric("db.client.operation.duration", WAIT);
      assertThat(duration.unit()).isEqualTo("s");
      long selects =
          duration.points().stream()
              .filter(p -> "SELECT".equals(p.attr("db.operation.name")))
              .filter(p -> "items".equals(p.attr("db.collection.name")))
              .mapToLong(ReceivedMetric.Point::count)
              .sum();
      // select-by-id, select-all, select-partial, select-literal, setup's COUNT(*), select-nested
      // (one outer, four inner), select-elsewhere and select-interleaved (two).
      assertThat(selects).isEqualTo(13);
    }
  }

  @Test
  void failuresInsideTheRecorderNeverReachTheApplication() {
    List<String> scenarios =
        List.of("setup", "select-all", "batch", "syntax-error", "pool-wait", "cleanup");
    ChildJvm.Result without = run(Db.H2, "hikari", scenarios, null);
    ChildJvm.Result failing =
        ChildJvm.builder()
            .classpath(DatabaseServers.jdbcAppClasspath())
            .mainClass(MAIN)
            .args(args(Db.H2, "hikari", scenarios).toArray(new String[0]))
            .agent(ChildJvm.agentJar())
            .sysProp("seamwatch.debug.failing-recorder", "true")
            .sysProp("otel.traces.exporter", "none")
            .sysProp("otel.metrics.exporter", "none")
            .run();
    assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(without.exitCode()).isZero();
    assertThat(failing.stdout()).isEqualTo(without.stdout());
    assertThat(failing.appStderrLines()).isEqualTo(without.appStderrLines());
  }

  @Test
  void poolProxiesMakeOneSpanPerStatementAndCountRows() {
    List<String> scenarios =
        List.of(
            "setup",
            "select-all",
            "select-nested",
            "select-elsewhere",
            "select-interleaved",
            "batch",
            "pool-wait",
            "cleanup");
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result without = run(Db.POSTGRESQL, "hikari", scenarios, null);
      ChildJvm.Result with = run(Db.POSTGRESQL, "hikari", scenarios, receiver);
      assertThat(with.exitCode()).as(with.toString()).isZero();
      assertThat(with.stdout()).isEqualTo(without.stdout());

      receiver.awaitSpans(JdbcE2ETest::isDrop, 2, WAIT);
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(single(spans, "SELECT id, name FROM items").attr("db.response.returned_rows"))
          .isEqualTo(50L);
      assertNestedAndElsewhereRowsCounted(spans);
      assertThat(
              single(spans, "UPDATE items SET name = ? WHERE id = ?")
                  .attr("db.operation.batch.size"))
          .isEqualTo(10L);
      // pool-wait: three threads run SELECT 1 through a pool of two, holding each connection
      // for 300 ms, so one waits about that long: a span (threshold 100 ms) and the metric.
      assertThat(spans).filteredOn(s -> "SELECT ?".equals(s.attr("db.query.text"))).hasSize(3);
      List<ReceivedSpan> waits =
          spans.stream().filter(s -> s.name().equals("connection wait jdbc-app")).toList();
      assertThat(waits).isNotEmpty();
      assertThat(waits)
          .allSatisfy(
              w -> {
                assertThat(w.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
                assertThat(w.attributes())
                    .containsEntry("db.client.connection.pool.name", "jdbc-app")
                    .containsEntry("db.system.name", "postgresql");
              });
      ReceivedMetric waitTime = receiver.awaitMetric("db.client.connection.wait_time", WAIT);
      long connectionsTaken =
          waitTime.points().stream().mapToLong(ReceivedMetric.Point::count).sum();
      // setup, select-all, batch and cleanup take one each; pool-wait's three threads one each.
      assertThat(connectionsTaken).isGreaterThanOrEqualTo(7);
    }
  }

  /**
   * A result set read in part and dropped unclosed keeps its span open for its rows until the
   * garbage collector takes it; then the span ends with the rows read so far, though the
   * application runs no other statement afterwards (the agent does not wait for a next call).
   */
  @Test
  void anAbandonedResultSetsSpanEndsOnceCollectedThoughNothingElseRuns() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result with = run(Db.H2, "driver", List.of("setup", "select-abandoned"), receiver);
      assertThat(with.exitCode()).as(with.toString()).isZero();
      assertThat(with.stdout()).contains("select-abandoned: rows=1");

      String text = "SELECT id, name FROM items WHERE id <= ? ORDER BY id";
      receiver.awaitSpans(s -> text.equals(s.attr("db.query.text")), 1, WAIT);
      assertThat(single(receiver.spans(), text).attr("db.response.returned_rows")).isEqualTo(1L);
    }
  }

  /**
   * The span budget ({@code seamwatch.spans.per-operation}, here one a second: a burst of ten saved
   * up, and the present one): a statement run twenty times is measured twenty times but gets about
   * eleven spans (one more for each second the run takes); a failing statement keeps every span,
   * whatever the budget, and uses none of it.
   */
  @Test
  void overItsBudgetAHealthyStatementIsMeasuredWithoutItsSpanAndAFailingOneKeepsEverySpan() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      List<String> scenarios = new ArrayList<>(List.of("setup"));
      scenarios.addAll(java.util.Collections.nCopies(20, "select-by-id"));
      scenarios.addAll(java.util.Collections.nCopies(25, "syntax-error"));
      long started = System.nanoTime();
      ChildJvm.Result with =
          ChildJvm.builder()
              .classpath(DatabaseServers.jdbcAppClasspath())
              .mainClass(MAIN)
              .args(args(Db.H2, "driver", scenarios).toArray(new String[0]))
              .agent(ChildJvm.agentJar())
              .sysProp("otel.service.name", "jdbc-budget")
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .sysProp("seamwatch.spans.per-operation", "1")
              .run();
      long seconds = (System.nanoTime() - started) / 1_000_000_000L + 1;
      assertThat(with.exitCode()).as(with.toString()).isZero();

      String select = "SELECT name FROM items WHERE id = ?";
      String failing = "SELECT FROM WHERE";
      receiver.awaitSpans(s -> failing.equals(s.attr("db.query.text")), 25, WAIT);
      receiver.awaitMetric("seamwatch.spans.over_budget", WAIT);
      long selectSpans =
          receiver.spans().stream().filter(s -> select.equals(s.attr("db.query.text"))).count();
      assertThat(selectSpans).as("spans of the select").isBetween(11L, 11L + seconds);
      assertThat(receiver.spans().stream().filter(s -> failing.equals(s.attr("db.query.text"))))
          .as("every failed statement's span")
          .hasSize(25);
      long measured =
          receiver.metrics().stream()
              .filter(m -> m.name().equals("db.client.operation.duration"))
              .flatMap(m -> m.points().stream())
              .filter(p -> "SELECT".equals(p.attr("db.operation.name")))
              .filter(p -> "items".equals(p.attr("db.collection.name")))
              .filter(p -> p.attr("error.type") == null)
              .mapToLong(ReceivedMetric.Point::count)
              .sum();
      // The twenty selects by id, and the setup's count of the items.
      assertThat(measured).as("selects in the duration metric").isEqualTo(21);
      long overBudget =
          receiver.metrics().stream()
              .filter(m -> m.name().equals("seamwatch.spans.over_budget"))
              .flatMap(m -> m.points().stream())
              .mapToLong(p -> p.value().longValue())
              .max()
              .orElse(-1);
      // The select's left-out spans, and the setup's inserts' (fifty of one statement).
      assertThat(overBudget).isGreaterThanOrEqualTo(20 - selectSpans);
    }
  }

  private static boolean isDrop(ReceivedSpan span) {
    return span.attr("db.query.text") instanceof String text && text.startsWith("DROP TABLE");
  }

  /**
   * Rows are counted per result set, exactly, when the application reads an inner query's rows
   * between two rows of an outer one (each execution of the inner statement is its own span), when
   * it reads two open result sets in turns, and when it reads them on another thread than the one
   * that ran the query.
   */
  private static void assertNestedAndElsewhereRowsCounted(List<ReceivedSpan> spans) {
    assertThat(
            single(spans, "SELECT id FROM items WHERE id <= ? ORDER BY id")
                .attr("db.response.returned_rows"))
        .as("outer rows")
        .isEqualTo(4L);
    assertThat(spans)
        .filteredOn(
            s -> "SELECT name FROM items WHERE id BETWEEN ? AND ?".equals(s.attr("db.query.text")))
        .as("one span per inner execution, three rows each")
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.attr("db.response.returned_rows")).isEqualTo(3L));
    assertThat(
            single(spans, "SELECT id FROM items WHERE id <= ?").attr("db.response.returned_rows"))
        .as("rows read on another thread")
        .isEqualTo(12L);
    assertThat(
            single(spans, "SELECT id, price FROM items WHERE id <= ? ORDER BY id")
                .attr("db.response.returned_rows"))
        .as("rows of a result set read in turns with one run after it")
        .isEqualTo(6L);
    assertThat(
            single(spans, "SELECT name FROM items WHERE id <= ?").attr("db.response.returned_rows"))
        .as("rows of the one run after it, closed before its end")
        .isEqualTo(3L);
  }

  private static ReceivedSpan single(List<ReceivedSpan> spans, String queryText) {
    List<ReceivedSpan> matching =
        spans.stream().filter(s -> queryText.equals(s.attr("db.query.text"))).toList();
    assertThat(matching)
        .as("spans with db.query.text %s among %s", queryText, texts(spans))
        .hasSize(1);
    return matching.get(0);
  }

  private static List<Object> texts(List<ReceivedSpan> spans) {
    return spans.stream().map(s -> s.attr("db.query.text")).toList();
  }

  /** The one span given failed the way the app printed it did. */
  private static void assertFailedSpan(
      List<ReceivedSpan> candidates, ChildJvm.Result result, String scenario) {
    Map<String, String> printed = printed(result, scenario);
    assertThat(candidates).as("failed span of %s", scenario).hasSize(1);
    ReceivedSpan span = candidates.get(0);
    assertThat(span.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", printed.get("error"))
        .containsEntry("db.response.status_code", printed.get("sqlstate"));
  }

  private static Map<String, String> printed(ChildJvm.Result result, String scenario) {
    String line =
        result.stdoutLines().stream()
            .filter(l -> l.startsWith(scenario + ":"))
            .findFirst()
            .orElseThrow();
    Map<String, String> printed = new java.util.HashMap<>();
    for (String part : line.substring(scenario.length() + 1).trim().split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        printed.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    assertThat(printed).as(line).containsKeys("error", "sqlstate");
    return printed;
  }

  /** The app printed "scenario: error=<class> sqlstate=<state>"; the span says the same. */
  private static void assertFailure(
      List<ReceivedSpan> spans, ChildJvm.Result result, String scenario, String queryText) {
    String line =
        result.stdoutLines().stream()
            .filter(l -> l.startsWith(scenario + ":"))
            .findFirst()
            .orElseThrow();
    Map<String, String> printed = new java.util.HashMap<>();
    for (String part : line.substring(scenario.length() + 1).trim().split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        printed.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    List<ReceivedSpan> failed =
        spans.stream()
            .filter(s -> queryText.equals(s.attr("db.query.text")))
            .filter(s -> s.statusCode() == StatusCode.STATUS_CODE_ERROR)
            .toList();
    assertThat(failed).as("failed spans with db.query.text %s", queryText).hasSize(1);
    ReceivedSpan span = failed.get(0);
    assertThat(span.attributes())
        .containsEntry("error.type", printed.get("error"))
        .containsEntry("db.response.status_code", printed.get("sqlstate"));
  }
}
