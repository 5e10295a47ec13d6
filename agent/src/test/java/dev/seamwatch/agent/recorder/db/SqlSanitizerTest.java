package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the sanitized text keeps and what it replaces, per dialect. */
class SqlSanitizerTest {

  /** Input, then the sanitized text, with the dialect unknown. */
  static Stream<Arguments> unknownDialect() {
    return Stream.of(
        // strings
        arguments("SELECT * FROM t WHERE a = 'Bob'", "SELECT * FROM t WHERE a = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'it''s' AND b = 2", "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments("SELECT * FROM t WHERE a = ''''", "SELECT * FROM t WHERE a = ?"),
        arguments(
            "SELECT * FROM t WHERE a = '' AND b = 'x'", "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments("SELECT 'a' 'b' FROM t", "SELECT ? ? FROM t"),
        arguments(
            "SELECT * FROM t WHERE a = 'x -- not a comment' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'x /* not a comment */' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'x;DROP TABLE t' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'a\\\\b' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'ends with two \\\\' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        // an ambiguous backslash: the rest goes
        arguments("SELECT * FROM t WHERE a = 'a\\'b' AND c = 1", "SELECT * FROM t WHERE a = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'C:\\' AND c = 'secret'", "SELECT * FROM t WHERE a = ?"),
        // prefixed literals
        arguments("SELECT E'\\n', e'it\\'s', b FROM t", "SELECT ?, ?, b FROM t"),
        arguments(
            "SELECT N'abc', X'ABCD', x'00', B'0101', U&'d\\0061t' FROM t",
            "SELECT ?, ?, ?, ?, ? FROM t"),
        arguments("SELECT _utf8mb4'abc' FROM t", "SELECT ? FROM t"),
        arguments(
            "SELECT * FROM t WHERE a = q'[it's]' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT * FROM t WHERE a = nq'{x'}' AND b = 1",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT DATE '2024-01-31', INTERVAL '1 day', TIMESTAMP '2024-01-31 10:00:00'",
            "SELECT DATE ?, INTERVAL ?, TIMESTAMP ?"),
        arguments("SELECT {ts '2024-01-31 10:00:00'}", "SELECT {ts ?}"),
        // dollar quotes
        arguments("SELECT $$it's$$, 1", "SELECT ?, ?"),
        arguments("SELECT $tag$ a $ b $x$ c $$ d $tag$ FROM t", "SELECT ? FROM t"),
        arguments("SELECT $fn$ 'q' $fn$ || $1", "SELECT ? || $1"),
        // numbers
        arguments(
            "SELECT 42, 3.14, .5, 1., 6.02e23, 1.5E-3, 7e+2 FROM t",
            "SELECT ?, ?, ?, ?, ?, ?, ? FROM t"),
        arguments("SELECT 0xDEAD, 0b0101, 0XFF FROM t", "SELECT ?, ?, ? FROM t"),
        arguments("SELECT t1.col_2, c3, x9y FROM t1", "SELECT t1.col_2, c3, x9y FROM t1"),
        arguments(
            "SELECT * FROM t WHERE a = -1 AND b = +2 AND c=-3.5",
            "SELECT * FROM t WHERE a = ? AND b = ? AND c=?"),
        arguments(
            "SELECT a-1, a - 1, (a)-1, f(-1) FROM t LIMIT -1",
            "SELECT a-?, a - ?, (a)-?, f(?) FROM t LIMIT ?"),
        arguments(
            "SELECT x::int, '1'::text, arr[1:2] FROM t", "SELECT x::int, ?::text, arr[?:?] FROM t"),
        // booleans and NULL
        arguments(
            "UPDATE t SET a = TRUE, b = false, c = NULL", "UPDATE t SET a = ?, b = ?, c = NULL"),
        arguments(
            "SELECT * FROM t WHERE a IS TRUE AND b IS NOT FALSE",
            "SELECT * FROM t WHERE a IS TRUE AND b IS NOT FALSE"),
        // identifiers and placeholders stay
        arguments(
            "SELECT \"My Col\" FROM \"My Table\" WHERE \"a\"\"b\" = 1",
            "SELECT \"My Col\" FROM \"My Table\" WHERE \"a\"\"b\" = ?"),
        arguments("SELECT `order` FROM `my table`", "SELECT `order` FROM `my table`"),
        arguments(
            "SELECT * FROM [dbo].[Order Details] WHERE [Id] = 7",
            "SELECT * FROM [dbo].[Order Details] WHERE [Id] = ?"),
        arguments(
            "SELECT * FROM t WHERE a = ? AND b = $1 AND c = :name AND d = @p1",
            "SELECT * FROM t WHERE a = ? AND b = $1 AND c = :name AND d = @p1"),
        arguments("SELECT * FROM #temp WHERE a = 1", "SELECT * FROM #temp WHERE a = ?"),
        // comments
        arguments("SELECT a -- 'secret' comment\nFROM t", "SELECT a FROM t"),
        arguments("SELECT /* it's secret */ a FROM t", "SELECT a FROM t"),
        arguments("SELECT a/**/FROM t", "SELECT a FROM t"),
        arguments("SELECT a FROM t # mysql style 'x'", "SELECT a FROM t"),
        arguments("/* a /* nested */ still comment */ SELECT 1", ""),
        arguments("SELECT 1 /* unterminated 'secret", "SELECT ?"),
        // whitespace
        arguments("  SELECT\t a ,\n\n b\r\nFROM   t  ", "SELECT a , b FROM t"),
        arguments("SELECT\u00a0a\u2003FROM\u3000t", "SELECT a FROM t"),
        // lists
        arguments("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?)"),
        arguments(
            "SELECT * FROM t WHERE id IN (?,?,?) AND x NOT IN ('a', 'b')",
            "SELECT * FROM t WHERE id IN (?) AND x NOT IN (?)"),
        arguments("SELECT * FROM t WHERE id in(1)", "SELECT * FROM t WHERE id in(?)"),
        arguments("SELECT * FROM t WHERE id IN ($1, $2)", "SELECT * FROM t WHERE id IN ($1, $2)"),
        arguments(
            "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)",
            "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)"),
        arguments(
            "SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))",
            "SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))"),
        arguments(
            "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')",
            "INSERT INTO t (a, b) VALUES (?, ?)"),
        arguments(
            "INSERT INTO t VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
            "INSERT INTO t VALUES (?,?) ON DUPLICATE KEY UPDATE b = VALUES(b)"),
        arguments(
            "INSERT INTO t VALUES (1, NOW()), (2, NOW())",
            "INSERT INTO t VALUES (?, NOW()), (?, NOW())"),
        // several statements
        arguments(
            "SELECT a FROM t WHERE x = 1; DELETE FROM u WHERE id = 'y';",
            "SELECT a FROM t WHERE x = ?; DELETE FROM u WHERE id = ?;"),
        // broken SQL
        arguments("SELECT * FROM t WHERE a = 'unterminated secret", "SELECT * FROM t WHERE a = ?"),
        arguments("SELECT * FROM t WHERE a = $$unterminated secret", "SELECT * FROM t WHERE a = ?"),
        arguments("SELECT * FROM \"unterminated secret", "SELECT * FROM ?"),
        arguments("SELECT * FROM t WHERE a = E'\\'", "SELECT * FROM t WHERE a = ?"),
        // unicode
        arguments(
            "SELECT 'Ünïcödé ✓', \"Ünï\" FROM tä WHERE näme = 'ä' AND 名前 = '東京'",
            "SELECT ?, \"Ünï\" FROM tä WHERE näme = ? AND 名前 = ?"),
        arguments("SELECT '😀 secret' FROM t", "SELECT ? FROM t"));
  }

  @ParameterizedTest
  @MethodSource("unknownDialect")
  void replacesLiteralsAndDropsComments(String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(sql).queryText()).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("unknownDialect")
  void sanitizedTextIsUnchangedWhenSanitizedAgain(String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(expected).queryText()).isEqualTo(expected);
  }

  static Stream<Arguments> mysqlDialect() {
    return Stream.of(
        arguments(
            "SELECT * FROM t WHERE a = 'a\\'b' AND c = 1", "SELECT * FROM t WHERE a = ? AND c = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'it\\'s' AND b = 'x\\\\' AND c = 'it''s'",
            "SELECT * FROM t WHERE a = ? AND b = ? AND c = ?"),
        arguments(
            "SELECT * FROM t WHERE a = \"secret\" AND b = \"say \\\"hi\\\"\"",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments(
            "SELECT `a` FROM `t` WHERE x = 1 # comment 'secret'\nAND y = 2",
            "SELECT `a` FROM `t` WHERE x = ? AND y = ?"),
        arguments("SELECT a#no space is still a comment\nFROM t", "SELECT a FROM t"),
        arguments("SELECT 1--1", "SELECT ?-?"),
        arguments("SELECT 1 -- comment\n", "SELECT ?"),
        arguments("/* a /* b */ secret */ SELECT 1", ""));
  }

  @ParameterizedTest
  @MethodSource("mysqlDialect")
  void mysqlDialectReadsBackslashesDoubleQuotedStringsAndHashComments(String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(sql, SqlDialect.MYSQL).queryText()).isEqualTo(expected);
  }

  static Stream<Arguments> standardDialect() {
    return Stream.of(
        arguments(
            "SELECT * FROM t WHERE a = 'C:\\' AND b = 'secret'", "SELECT * FROM t WHERE a = ?"),
        arguments(
            "SELECT * FROM t WHERE a = 'no backslash' AND b = 'x'",
            "SELECT * FROM t WHERE a = ? AND b = ?"),
        arguments("SELECT \"secret\" FROM t", "SELECT \"secret\" FROM t"),
        arguments("SELECT a # b FROM t", "SELECT a # b FROM t"),
        arguments("SELECT 1--1\n+ 2", "SELECT ? + ?"));
  }

  @ParameterizedTest
  @MethodSource("standardDialect")
  void standardDialectKeepsDoubleQuotesAndHashAndStaysSafeOnBackslashes(
      String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(sql, SqlDialect.STANDARD).queryText()).isEqualTo(expected);
  }

  @Test
  void sqliteDialectRedactsDoubleQuotedText() {
    assertThat(
            SqlSanitizer.sanitize("SELECT * FROM t WHERE a = \"secret\"", SqlDialect.SQLITE)
                .queryText())
        .isEqualTo("SELECT * FROM t WHERE a = ?");
  }

  @Test
  void nullOrEmptyGivesEmptyTextAndNoNames() {
    for (String sql : new String[] {null, ""}) {
      SqlStatementInfo info = SqlSanitizer.sanitize(sql);
      assertThat(info.queryText()).isEmpty();
      assertThat(info.operationName()).isNull();
      assertThat(info.collectionName()).isNull();
      assertThat(info.querySummary()).isNull();
    }
  }

  @Test
  void whitespaceOrCommentOnlyGivesEmptyText() {
    assertThat(SqlSanitizer.sanitize(" \n\t -- only a comment 'x'").queryText()).isEmpty();
    assertThat(SqlSanitizer.sanitize("/* x */").querySummary()).isNull();
  }

  @Test
  void nullDialectIsTreatedAsUnknown() {
    String sql = "SELECT * FROM t WHERE a = 'a\\'b' AND c = 1";
    assertThat(SqlSanitizer.sanitize(sql, null)).isEqualTo(SqlSanitizer.sanitize(sql));
  }

  @Test
  void longTextIsCutBetweenTokensAndMarked() {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < 2000; i++) {
      sql.append("column_number_").append(i).append(", ");
    }
    sql.append("x FROM t");

    String text = SqlSanitizer.sanitize(sql.toString()).queryText();

    assertThat(text).hasSizeLessThanOrEqualTo(SqlSanitizer.MAX_QUERY_TEXT_LENGTH + 3);
    assertThat(text).hasSizeGreaterThan(SqlSanitizer.MAX_QUERY_TEXT_LENGTH - 30);
    assertThat(text).endsWith("...");
    String kept = text.substring(0, text.length() - 3);
    assertThat(sql.toString()).startsWith(kept);
    // Cut between tokens: what follows in the input is a separator, not the rest of a name.
    assertThat(sql.charAt(kept.length())).isIn(',', ' ');
  }

  @Test
  void textThatFitsExactlyIsNotMarked() {
    String sql = "SELECT " + "a".repeat(SqlSanitizer.MAX_QUERY_TEXT_LENGTH - 7);

    String text = SqlSanitizer.sanitize(sql).queryText();

    assertThat(text).hasSize(SqlSanitizer.MAX_QUERY_TEXT_LENGTH).doesNotEndWith("...");
  }

  @Test
  void collapsedListStillFitsWhenItsValuesWouldNotHave() {
    StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (");
    for (int i = 0; i < 5000; i++) {
      sql.append(i).append(", ");
    }
    sql.append("5000) AND name = 'x' ORDER BY id");

    assertThat(SqlSanitizer.sanitize(sql.toString()).queryText())
        .isEqualTo("SELECT * FROM t WHERE id IN (?) AND name = ? ORDER BY id");
  }

  @Test
  void manyValueRowsCollapseToTheFirst() {
    StringBuilder sql = new StringBuilder("INSERT INTO t (a, b) VALUES ");
    for (int i = 0; i < 5000; i++) {
      sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'v").append(i).append("')");
    }
    sql.append(" RETURNING id");

    assertThat(SqlSanitizer.sanitize(sql.toString()).queryText())
        .isEqualTo("INSERT INTO t (a, b) VALUES (?, ?) RETURNING id");
  }
}
