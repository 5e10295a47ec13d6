package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.DatabaseServers;
import dev.seamwatch.e2e.harness.MariaDbServer;
import dev.seamwatch.e2e.harness.PostgresServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real database peers and the JDBC test application work, without the agent: PostgreSQL and
 * MariaDB start, take JDBC connections and stop, and every scenario of the app prints what it
 * should on H2, PostgreSQL and MariaDB, through DriverManager and through HikariCP.
 */
class DatabaseServersSelfTest {
  static final String MAIN = "dev.seamwatch.testapps.jdbc.JdbcApp";
  static final String H2_URL = "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1";
  static final List<String> SCENARIOS =
      List.of(
          "setup",
          "select-by-id",
          "select-all",
          "select-partial",
          "select-literal",
          "update",
          "batch",
          "large-update",
          "call",
          "syntax-error",
          "constraint-violation",
          "query-timeout",
          "refused",
          "pool-wait",
          "cleanup");

  private static PostgresServer postgres;
  private static MariaDbServer mariadb;

  @BeforeAll
  static void startServers() {
    postgres = timed("PostgreSQL", PostgresServer::start);
    mariadb = timed("MariaDB", MariaDbServer::start);
  }

  @AfterAll
  static void stopServers() {
    try (PostgresServer p = postgres;
        MariaDbServer m = mariadb) {
      // Closed in reverse order, even if one of them failed to start.
    }
  }

  private static <T> T timed(String what, Supplier<T> start) {
    long begin = System.nanoTime();
    T server = start.get();
    System.out.printf(
        "[harness] %s started in %d ms: %s%n",
        what, Duration.ofNanos(System.nanoTime() - begin).toMillis(), server);
    return server;
  }

  enum Db {
    H2,
    POSTGRESQL,
    MARIADB
  }

  static Stream<Arguments> runs() {
    return Stream.of(Db.values())
        .flatMap(db -> Stream.of(Arguments.of(db, "driver"), Arguments.of(db, "hikari")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runs")
  void jdbcAppRunsEveryScenarioWithoutTheAgent(Db db, String mode) {
    List<String> args = new ArrayList<>(connectionArgs(db));
    args.add(mode);
    args.addAll(SCENARIOS);

    ChildJvm.Result result =
        ChildJvm.builder()
            .noAgent()
            .classpath(DatabaseServers.jdbcAppClasspath())
            .mainClass(MAIN)
            .args(args.toArray(new String[0]))
            .run()
            .assertSuccess();

    assertThat(result.stdoutLines())
        .as(result.toString())
        .containsExactlyElementsOf(expected(db, mode));
    assertThat(result.stderr()).as("stderr of a run without failures").isEmpty();
  }

  private static List<String> connectionArgs(Db db) {
    switch (db) {
      case H2:
        return List.of(H2_URL, "sa", "");
      case POSTGRESQL:
        return List.of(postgres.jdbcUrl(), postgres.user(), postgres.password());
      default:
        return List.of(mariadb.jdbcUrl(), mariadb.user(), mariadb.password());
    }
  }

  /** The app's exact output for one database and mode. */
  static List<String> expected(Db db, String mode) {
    boolean hikari = mode.equals("hikari");
    List<String> lines = new ArrayList<>();
    lines.add("setup: items=50 customers=3");
    lines.add("select-by-id: name=item-7");
    lines.add("select-all: rows=50");
    lines.add("select-partial: rows=5");
    lines.add("select-literal: rows=0");
    lines.add("update: updated=10");
    lines.add("batch: statements=10 sum=10");
    lines.add("large-update: updated=10");
    switch (db) {
      case H2:
        lines.add("call: unsupported");
        lines.add("syntax-error: error=org.h2.jdbc.JdbcSQLSyntaxErrorException sqlstate=42001");
        lines.add(
            "constraint-violation:"
                + " error=org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException sqlstate=23505");
        lines.add("query-timeout: error=org.h2.jdbc.JdbcSQLTimeoutException sqlstate=57014");
        lines.add(
            refused(
                hikari,
                "org.h2.jdbc.JdbcSQLNonTransientConnectionException",
                "90067",
                "java.net.ConnectException"));
        break;
      case POSTGRESQL:
        lines.add("call: result=50");
        lines.add("syntax-error: error=org.postgresql.util.PSQLException sqlstate=42601");
        lines.add("constraint-violation: error=org.postgresql.util.PSQLException sqlstate=23505");
        lines.add("query-timeout: error=org.postgresql.util.PSQLException sqlstate=57014");
        lines.add(
            refused(
                hikari, "org.postgresql.util.PSQLException", "08001", "java.net.ConnectException"));
        break;
      case MARIADB:
        lines.add("call: result=50");
        lines.add("syntax-error: error=java.sql.SQLSyntaxErrorException sqlstate=42000");
        lines.add(
            "constraint-violation:"
                + " error=java.sql.SQLIntegrityConstraintViolationException sqlstate=23000");
        lines.add("query-timeout: error=java.sql.SQLTimeoutException sqlstate=70100");
        lines.add(
            refused(
                hikari,
                "java.sql.SQLNonTransientConnectionException",
                "08000",
                "java.net.ConnectException"));
        break;
    }
    lines.add(hikari ? "pool-wait: ok" : "pool-wait: unsupported");
    lines.add("cleanup: ok");
    return lines;
  }

  /**
   * Through DriverManager the driver's own exception; through Hikari the pool fails to start, with
   * the driver's exception as the cause.
   */
  private static String refused(
      boolean hikari, String driverException, String sqlState, String driverCause) {
    if (hikari) {
      return "refused: error=com.zaxxer.hikari.pool.HikariPool$PoolInitializationException cause="
          + driverException
          + " cause-sqlstate="
          + sqlState;
    }
    return "refused: error=" + driverException + " sqlstate=" + sqlState + " cause=" + driverCause;
  }

  @Test
  void serversListenOnLoopbackOnlyAndCloseRemovesEverything() throws Exception {
    try (PostgresServer p = PostgresServer.start();
        MariaDbServer m = MariaDbServer.start()) {
      for (int port : new int[] {p.port(), m.port()}) {
        assertThat(acceptsOn("127.0.0.1", port)).as("127.0.0.1:%d", port).isTrue();
      }
      // Bound to 127.0.0.1 only: another loopback address is refused.
      for (int port : new int[] {p.port(), m.port()}) {
        assertThat(acceptsOn("127.0.0.2", port)).as("127.0.0.2:%d", port).isFalse();
      }
      Path pgDir = p.log().getParent();
      Path mariaDir = m.log().getParent();
      assertThat(pgDir).isDirectory();
      assertThat(mariaDir).isDirectory();

      p.close();
      m.close();

      assertThat(acceptsOn("127.0.0.1", p.port())).isFalse();
      assertThat(acceptsOn("127.0.0.1", m.port())).isFalse();
      assertThat(Files.exists(pgDir)).as(pgDir.toString()).isFalse();
      assertThat(Files.exists(mariaDir)).as(mariaDir.toString()).isFalse();
    }
  }

  private static boolean acceptsOn(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }
}
