package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Operation, collection and query summary read from statements. */
class SqlSummaryTest {

  /** SQL, operation, collection, summary. */
  static Stream<Arguments> statements() {
    return Stream.of(
        // the four basics
        arguments("SELECT * FROM users WHERE id = 1", "SELECT", "users", "SELECT users"),
        arguments("select * from users", "SELECT", "users", "SELECT users"),
        arguments("INSERT INTO orders (a) VALUES (1)", "INSERT", "orders", "INSERT orders"),
        arguments("UPDATE users SET a = 1 WHERE id = 2", "UPDATE", "users", "UPDATE users"),
        arguments("DELETE FROM users WHERE id = 2", "DELETE", "users", "DELETE users"),
        // names
        arguments("SELECT * FROM public.users", "SELECT", "public.users", "SELECT public.users"),
        arguments("SELECT * FROM \"My Table\"", "SELECT", "My Table", "SELECT \"My Table\""),
        arguments(
            "SELECT * FROM \"public\".\"Users\" u",
            "SELECT",
            "public.Users",
            "SELECT \"public\".\"Users\""),
        arguments("SELECT * FROM `shop`.`order`", "SELECT", "shop.order", "SELECT `shop`.`order`"),
        arguments(
            "SELECT * FROM [dbo].[Order Details]",
            "SELECT",
            "dbo.Order Details",
            "SELECT [dbo].[Order Details]"),
        arguments("SELECT * FROM \"a\"\"b\"", "SELECT", "a\"b", "SELECT \"a\"\"b\""),
        arguments("SELECT * FROM s . t", "SELECT", "s.t", "SELECT s.t"),
        arguments("SELECT * FROM tä", "SELECT", "tä", "SELECT tä"),
        arguments("SELECT * FROM #temp", "SELECT", "#temp", "SELECT #temp"),
        // several tables
        arguments(
            "SELECT * FROM songs, artists WHERE songs.id = artists.id",
            "SELECT",
            null,
            "SELECT songs artists"),
        arguments("SELECT * FROM a x, b AS y, c", "SELECT", null, "SELECT a b c"),
        arguments(
            "SELECT * FROM users u JOIN orders o ON u.id = o.uid",
            "SELECT",
            null,
            "SELECT users orders"),
        arguments(
            "SELECT * FROM a LEFT OUTER JOIN b ON 1 = 1 CROSS JOIN c",
            "SELECT",
            null,
            "SELECT a b c"),
        arguments("SELECT * FROM t JOIN t ON 1 = 1", "SELECT", "t", "SELECT t"),
        arguments("SELECT * FROM users, USERS", "SELECT", "users", "SELECT users USERS"),
        // subqueries
        arguments("SELECT * FROM (SELECT * FROM t) x", "SELECT", "t", "SELECT SELECT t"),
        arguments(
            "SELECT order_date FROM (SELECT * FROM orders o JOIN customers c ON o.cid = c.id)",
            "SELECT",
            null,
            "SELECT SELECT orders customers"),
        arguments(
            "SELECT * FROM (SELECT * FROM t) x JOIN u ON 1 = 1",
            "SELECT",
            null,
            "SELECT SELECT t u"),
        arguments(
            "SELECT * FROM t WHERE id IN (SELECT tid FROM u)", "SELECT", "t", "SELECT t SELECT u"),
        arguments("SELECT (SELECT max(x) FROM u) FROM t", "SELECT", "t", "SELECT SELECT u t"),
        arguments("SELECT a FROM t UNION ALL SELECT a FROM u", "SELECT", "t", "SELECT t SELECT u"),
        arguments(
            "INSERT INTO shipping_details (order_id, address) SELECT order_id, address FROM orders WHERE order_id = ?",
            "INSERT",
            "shipping_details",
            "INSERT shipping_details SELECT orders"),
        arguments("UPDATE t SET a = (SELECT max(b) FROM u)", "UPDATE", "t", "UPDATE t SELECT u"),
        // not tables
        arguments(
            "SELECT EXTRACT(YEAR FROM created) FROM users", "SELECT", "users", "SELECT users"),
        arguments("SELECT TRIM(BOTH ' ' FROM name) FROM users", "SELECT", "users", "SELECT users"),
        arguments("SELECT * FROM t WHERE a IS DISTINCT FROM b", "SELECT", "t", "SELECT t"),
        arguments("SELECT count(*) FROM generate_series(1, 10)", "SELECT", null, "SELECT"),
        arguments("SELECT 1", "SELECT", null, "SELECT"),
        arguments("SELECT NOW()", "SELECT", null, "SELECT"),
        arguments("SELECT * FROM users FOR UPDATE", "SELECT", "users", "SELECT users"),
        arguments("SELECT * FROM t WHERE (REPLACE(a, 'x', 'y') = ?)", "SELECT", "t", "SELECT t"),
        arguments(
            "INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = VALUES(a)",
            "INSERT",
            "t",
            "INSERT t"),
        arguments(
            "INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET a = 1",
            "INSERT",
            "t",
            "INSERT t"),
        arguments(
            "CREATE TABLE t (id INT REFERENCES u (id) ON DELETE CASCADE)",
            "CREATE",
            "t",
            "CREATE t"),
        // modifiers and dialect forms
        arguments("INSERT IGNORE INTO t VALUES (1)", "INSERT", "t", "INSERT t"),
        arguments("INSERT OR REPLACE INTO t VALUES (1)", "INSERT", "t", "INSERT t"),
        arguments("INSERT t (a) VALUES (1)", "INSERT", "t", "INSERT t"),
        arguments("REPLACE INTO t VALUES (1)", "REPLACE", "t", "REPLACE t"),
        arguments("UPDATE ONLY t SET a = 1", "UPDATE", "t", "UPDATE t"),
        arguments("UPDATE LOW_PRIORITY IGNORE t SET a = 1", "UPDATE", "t", "UPDATE t"),
        arguments("UPDATE t1 a, t2 b SET a.x = b.y", "UPDATE", null, "UPDATE t1 t2"),
        arguments("UPDATE t SET a = u.b FROM u WHERE t.id = u.id", "UPDATE", null, "UPDATE t u"),
        arguments("DELETE users WHERE id = 1", "DELETE", "users", "DELETE users"),
        arguments("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", "DELETE", null, "DELETE t1 t2"),
        arguments("DELETE FROM t USING u WHERE t.id = u.id", "DELETE", "t", "DELETE t u"),
        arguments(
            "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET t.v = s.v WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
            "MERGE",
            "t",
            "MERGE t s"),
        arguments(
            "MERGE INTO t USING (SELECT * FROM s) x ON (t.id = x.id) WHEN MATCHED THEN DELETE",
            "MERGE",
            "t",
            "MERGE t SELECT s"),
        arguments("SELECT * FROM t WITH (NOLOCK) WHERE a = 1", "SELECT", "t", "SELECT t"),
        arguments("SELECT * FROM ONLY t", "SELECT", "t", "SELECT t"),
        // WITH
        arguments(
            "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent",
            "SELECT",
            "orders",
            "SELECT orders SELECT recent"),
        arguments(
            "WITH a AS (SELECT * FROM x), b AS (SELECT * FROM y) SELECT * FROM a JOIN b ON 1 = 1",
            "SELECT",
            null,
            "SELECT x SELECT y SELECT a b"),
        arguments(
            "WITH RECURSIVE n AS (SELECT 1 UNION SELECT 2) SELECT * FROM n",
            "SELECT",
            null,
            "SELECT SELECT SELECT n"),
        arguments(
            "WITH d AS (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM d",
            "INSERT",
            "archive",
            "DELETE t INSERT archive SELECT d"),
        arguments("WITH x AS (SELECT 1) UPDATE t SET a = 1", "UPDATE", "t", "SELECT UPDATE t"),
        arguments("WITH x AS (SELECT 1", "WITH", null, "SELECT"),
        // DDL
        arguments(
            "CREATE TABLE IF NOT EXISTS app.users (id INT, name VARCHAR(20) DEFAULT 'x')",
            "CREATE",
            "app.users",
            "CREATE app.users"),
        arguments("CREATE TEMPORARY TABLE tmp (id INT)", "CREATE", "tmp", "CREATE tmp"),
        arguments(
            "CREATE OR REPLACE VIEW v AS SELECT * FROM t", "CREATE", "v", "CREATE v SELECT t"),
        arguments("CREATE TABLE t2 AS SELECT * FROM t1", "CREATE", "t2", "CREATE t2 SELECT t1"),
        arguments(
            "CREATE UNIQUE INDEX CONCURRENTLY idx ON users USING btree (name)",
            "CREATE",
            "users",
            "CREATE users"),
        arguments("CREATE SEQUENCE s START 1", "CREATE", null, "CREATE"),
        arguments("CREATE USER bob IDENTIFIED BY 'secret'", "CREATE", null, "CREATE"),
        arguments("DROP TABLE IF EXISTS users", "DROP", "users", "DROP users"),
        arguments("ALTER TABLE users ADD COLUMN age INT", "ALTER", "users", "ALTER users"),
        arguments("TRUNCATE TABLE users", "TRUNCATE", "users", "TRUNCATE users"),
        arguments("TRUNCATE users", "TRUNCATE", "users", "TRUNCATE users"),
        // procedures
        arguments("CALL some_proc(?, ?)", "CALL", null, "CALL some_proc"),
        arguments("{call some_proc(?, ?)}", "CALL", null, "CALL some_proc"),
        arguments("{? = call pkg.f(?)}", "CALL", null, "CALL pkg.f"),
        arguments("EXEC dbo.GetCustomer @id = 1", "EXEC", null, "EXEC dbo.GetCustomer"),
        arguments("EXECUTE PROCEDURE p", "EXECUTE", null, "EXECUTE p"),
        // other commands
        arguments("BEGIN", "BEGIN", null, "BEGIN"),
        arguments("commit", "COMMIT", null, "COMMIT"),
        arguments("ROLLBACK TO SAVEPOINT s1", "ROLLBACK", null, "ROLLBACK"),
        arguments("START TRANSACTION", "START", null, "START"),
        arguments("SET search_path = 'secret'", "SET", null, "SET"),
        arguments("SET @x = (SELECT a FROM t)", "SET", null, "SET"),
        arguments("SHOW TABLES", "SHOW", null, "SHOW"),
        arguments("GRANT SELECT ON t TO bob", "GRANT", null, "GRANT"),
        arguments("REVOKE INSERT ON t FROM bob", "REVOKE", null, "REVOKE"),
        arguments("COPY t FROM STDIN", "COPY", null, "COPY"),
        arguments("EXPLAIN SELECT * FROM users", "EXPLAIN", "users", "EXPLAIN SELECT users"),
        arguments("EXPLAIN ANALYZE VERBOSE UPDATE t SET a = 1", "EXPLAIN", "t", "EXPLAIN UPDATE t"),
        arguments("VALUES (1, 2)", "VALUES", null, "VALUES"),
        // several statements
        arguments(
            "SELECT a FROM t; DELETE FROM u WHERE id = 3", "SELECT", null, "SELECT t DELETE u"),
        arguments(
            "DELETE FROM t WHERE a = 1; DELETE FROM t WHERE a = 2;",
            "DELETE",
            "t",
            "DELETE t DELETE t"),
        arguments(";; SELECT * FROM t", "SELECT", "t", "SELECT t"),
        arguments("BEGIN; INSERT INTO t VALUES (1); COMMIT", "BEGIN", "t", "BEGIN INSERT t COMMIT"),
        // unknown
        arguments("FOO BAR", null, null, null),
        arguments("(SELECT * FROM t)", "SELECT", "t", "SELECT t"),
        arguments("SELECT * FROM", "SELECT", null, "SELECT"));
  }

  @ParameterizedTest
  @MethodSource("statements")
  void readsOperationCollectionAndSummary(
      String sql, String operation, String collection, String summary) {
    SqlStatementInfo info = SqlSanitizer.sanitize(sql);

    assertThat(info.operationName()).as("operation").isEqualTo(operation);
    assertThat(info.collectionName()).as("collection").isEqualTo(collection);
    assertThat(info.querySummary()).as("summary").isEqualTo(summary);
  }

  @Test
  void summaryIsCutBetweenPartsAt255Characters() {
    StringBuilder sql = new StringBuilder("SELECT * FROM table_number_0");
    for (int i = 1; i < 100; i++) {
      sql.append(" JOIN table_number_").append(i).append(" ON 1 = 1");
    }

    String summary = SqlSanitizer.sanitize(sql.toString()).querySummary();

    assertThat(summary).hasSizeLessThanOrEqualTo(255).hasSizeGreaterThan(230);
    String[] parts = summary.split(" ");
    assertThat(parts[0]).isEqualTo("SELECT");
    for (int i = 1; i < parts.length; i++) {
      assertThat(parts[i]).isEqualTo("table_number_" + (i - 1));
    }
  }

  @Test
  void summaryAndNamesNeverHoldLiteralsEvenInNamePositions() {
    SqlStatementInfo info =
        SqlSanitizer.sanitize(
            "SELECT * FROM 'secret1' JOIN [x 'secret2' y] ON 1 = 1 JOIN 12345 ON 1 = 1");

    assertThat(info.querySummary()).isEqualTo("SELECT");
    assertThat(info.collectionName()).isNull();
  }

  @Test
  void mysqlDoubleQuotedStringIsNotATableName() {
    SqlStatementInfo info = SqlSanitizer.sanitize("SELECT * FROM \"secret\"", SqlDialect.MYSQL);

    assertThat(info.querySummary()).isEqualTo("SELECT");
    assertThat(info.collectionName()).isNull();
  }
}
