package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs of 5 MB shaped to hurt a scanner that backtracks or rescans: each must finish well within
 * a generous bound and give bounded output.
 */
class SqlSanitizerLinearTimeTest {

  private static final int SIZE = 5 * 1024 * 1024;
  private static final Duration BOUND = Duration.ofSeconds(2);

  static Stream<Arguments> hugeStatements() {
    return Stream.of(
        Arguments.of("huge IN list", repeatTo("SELECT * FROM t WHERE id IN (", "1234567, ", "1)")),
        Arguments.of("unterminated string", repeatTo("SELECT * FROM t WHERE a = '", "x", "")),
        Arguments.of("unterminated comment", repeatTo("SELECT 1 /* ", "x", "")),
        Arguments.of("many short strings", repeatTo("SELECT ", "'a' ", "")),
        Arguments.of("many backslashes", repeatTo("SELECT '", "\\", "'")),
        Arguments.of("backslash quote pairs", repeatTo("SELECT '", "\\'", "")),
        Arguments.of("nested comment openers", repeatTo("", "/* ", "")),
        Arguments.of("comment closers", repeatTo("SELECT ", "*/ ", "")),
        Arguments.of("dollar signs", repeatTo("SELECT $q$ ", "$q ", "")),
        Arguments.of(
            "long dollar tag",
            repeatTo("SELECT $" + "t".repeat(63) + "$ ", "$" + "t".repeat(62) + " ", "")),
        Arguments.of("open parentheses", repeatTo("SELECT ", "(", "")),
        Arguments.of("words", repeatTo("SELECT ", "abc ", "")),
        Arguments.of("join chain", repeatTo("SELECT * FROM a", " JOIN b ON 1 = 1", "")),
        Arguments.of("value rows", repeatTo("INSERT INTO t VALUES (1, 'a')", ", (1, 'a')", "")),
        Arguments.of("quotes only", repeatTo("", "'", "")),
        Arguments.of("double quotes only", repeatTo("", "\"", "")),
        Arguments.of("dashes", repeatTo("SELECT ", "- ", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeStatements")
  void fiveMegabyteStatementIsSanitizedInLinearTime(String name, String sql) {
    assertThat(sql.length()).isGreaterThanOrEqualTo(SIZE);

    long start = System.nanoTime();
    SqlStatementInfo info = SqlSanitizer.sanitize(sql);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(BOUND);
    assertThat(info.queryText().length())
        .isLessThanOrEqualTo(SqlSanitizer.MAX_QUERY_TEXT_LENGTH + 3);
    if (info.querySummary() != null) {
      assertThat(info.querySummary().length()).isLessThanOrEqualTo(255);
    }
  }

  @Test
  void hugeInListCollapsesToOneValue() {
    SqlStatementInfo info =
        timed(
            () ->
                SqlSanitizer.sanitize(
                    repeatTo("SELECT * FROM t WHERE id IN (", "1234567, ", "1)")));

    assertThat(info.queryText()).isEqualTo("SELECT * FROM t WHERE id IN (?)");
    assertThat(info.querySummary()).isEqualTo("SELECT t");
  }

  @Test
  void hugeUnterminatedStringBecomesOnePlaceholder() {
    SqlStatementInfo info =
        timed(() -> SqlSanitizer.sanitize(repeatTo("SELECT * FROM t WHERE a = '", "secret ", "")));

    assertThat(info.queryText()).isEqualTo("SELECT * FROM t WHERE a = ?");
  }

  @Test
  void hugeListOfStringsIsCutAndMarked() {
    SqlStatementInfo info = timed(() -> SqlSanitizer.sanitize(repeatTo("SELECT ", "'a' ", "")));

    assertThat(info.queryText()).startsWith("SELECT ? ? ?").endsWith("...");
    assertThat(info.queryText().length()).isBetween(4000, 4099);
  }

  private static SqlStatementInfo timed(Supplier<SqlStatementInfo> run) {
    long start = System.nanoTime();
    SqlStatementInfo info = run.get();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    return info;
  }

  private static String repeatTo(String head, String unit, String tail) {
    StringBuilder sql = new StringBuilder(SIZE + head.length() + unit.length() + tail.length());
    sql.append(head);
    while (sql.length() < SIZE) {
      sql.append(unit);
    }
    return sql.append(tail).toString();
  }
}
