package dev.seamwatch.benchmarks;

import dev.seamwatch.agent.catalog.Catalog;
import dev.seamwatch.agent.catalog.Integration;
import dev.seamwatch.agent.recorder.HttpTarget;
import dev.seamwatch.agent.recorder.db.SqlCache;
import dev.seamwatch.agent.recorder.db.SqlDialect;
import dev.seamwatch.agent.recorder.db.SqlSanitizer;
import dev.seamwatch.agent.recorder.db.SqlStatementInfo;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the recorder does to the text of a call before anything is exported: SQL sanitizing
 * (literals to {@code ?}, comments out, lists collapsed, the query summary read) and URL handling
 * (user-info and query values redacted, the path template that names the operation).
 *
 * <ul>
 *   <li>{@code sanitize}: {@link SqlSanitizer} itself, what a statement costs the first time it is
 *       seen (PostgreSQL's quoting rules);
 *   <li>{@code sanitizeCached}: the same through {@link SqlCache}, as the recorder calls it: what
 *       every later execution of the statement costs;
 *   <li>{@code httpTarget}: {@link HttpTarget#parse}, which the recorder runs on every HTTP call
 *       (no cache: URLs carry ids);
 *   <li>{@code httpTemplate}: what the recorder does to name the operation with a catalog that
 *       declares a template for one host: parse, match the catalog, the configured template when
 *       one matches, else the automatic one.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SqlSanitizerBenchmark {

  /** A statement of each kind the recorder meets. */
  @State(Scope.Benchmark)
  public static class Sql {
    @Param({"pk-select", "insert-literals", "long-query"})
    public String statement;

    String sql;

    @Setup
    public void setUp() {
      switch (statement) {
        case "pk-select":
          // As Hibernate writes it: a bind parameter, aliases.
          sql =
              "select c1_0.id,c1_0.email,c1_0.name,c1_0.region_id from customers c1_0"
                  + " where c1_0.id=?";
          break;
        case "insert-literals":
          sql = insertWithLiterals(8);
          break;
        case "long-query":
          sql = longQuery(40);
          break;
        default:
          throw new IllegalArgumentException(statement);
      }
      // A statement that sanitizes to nothing would measure the error path.
      if (SqlSanitizer.sanitize(sql, SqlDialect.STANDARD).querySummary() == null) {
        throw new IllegalStateException("no summary for " + statement + ": " + sql);
      }
    }

    /** A multi-row INSERT with every value inlined, 10 literals a row: about 1 KB for 8 rows. */
    static String insertWithLiterals(int rows) {
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO order_lines (order_id, line_no, sku, description, quantity, unit_price,"
                  + " currency, discount, created_at, created_by) VALUES ");
      for (int row = 1; row <= rows; row++) {
        if (row > 1) {
          sql.append(", ");
        }
        sql.append(
            String.format(
                "(1001, %d, 'SKU-%05d', 'Espresso beans, 1 kg (%d)', %d, %d.99, 'EUR', 0.%02d,"
                    + " '2024-05-01 10:%02d:00', 'checkout')",
                row, 88400 + row, row, row % 3 + 1, 10 + row, row * 5, row));
      }
      return sql.toString();
    }

    /**
     * A reporting query of about 1.2 KB: comments (one with data in it), a string IN-list, an id
     * IN-list, strings with doubled quotes, numbers, a correlated subquery, LIMIT/OFFSET.
     */
    static String longQuery(int ids) {
      StringBuilder idList = new StringBuilder();
      for (int id = 0; id < ids; id++) {
        idList.append(id == 0 ? "" : ", ").append(100_000 + 37 * id);
      }
      return "/* report=open-orders-by-region, requested-by=jane.doe@example.com */\n"
          + "SELECT o.id, o.created_at, o.total_amount, c.name AS customer_name, c.email,\n"
          + "       r.code AS region, s.label AS status_label\n"
          + "  FROM orders o\n"
          + "  JOIN customers c ON c.id = o.customer_id\n"
          + "  JOIN regions r ON r.id = c.region_id\n"
          + "  LEFT JOIN order_status s ON s.code = o.status\n"
          + " WHERE o.status IN ('OPEN', 'PENDING', 'ON_HOLD', 'BACKORDER')\n"
          + "   AND o.customer_id IN ("
          + idList
          + ")\n"
          + "   AND c.email NOT LIKE '%@example.test'\n"
          + "   AND o.note <> 'customer''s request: don''t call' -- support ticket 48151623\n"
          + "   AND o.created_at BETWEEN '2024-01-01 00:00:00' AND '2024-03-31 23:59:59'\n"
          + "   AND o.total_amount > 250.00\n"
          + "   AND EXISTS (SELECT 1 FROM payments p\n"
          + "                WHERE p.order_id = o.id\n"
          + "                  AND p.state IN ('AUTHORIZED', 'CAPTURED')\n"
          + "                  AND p.amount >= 0.5e2)\n"
          + " ORDER BY o.created_at DESC, o.id\n"
          + " LIMIT 100 OFFSET 200";
    }
  }

  /** URLs as clients pass them to the recorder. */
  @State(Scope.Benchmark)
  public static class Url {
    @Param({"id-query", "uuid", "userinfo-hex-pathparam"})
    public String url;

    String text;
    Catalog catalog;

    @Setup
    public void setUp() {
      switch (url) {
        case "id-query":
          text =
              "https://api.payments.example.com/v2/customers/48151623/orders"
                  + "?status=open&page=2&size=50";
          break;
        case "uuid":
          text =
              "http://inventory.internal:8443/v1/items/3f2504e0-4f89-11d3-9a0c-0305e82c3301/stock";
          break;
        case "userinfo-hex-pathparam":
          text =
              "http://svc:s3cret@legacy.example.com/api/accounts;jsessionid=1A2B3C4D5E"
                  + "/00ff12ab34cd56ef/statement?from=2024-01-01&to=2024-01-31&format=pdf#page=2";
          break;
        default:
          throw new IllegalArgumentException(url);
      }
      // One integration with a template, for the first URL's host; the others miss the catalog.
      catalog =
          Catalog.parse(
              "version: 1\n"
                  + "integrations:\n"
                  + "  - name: payments-api\n"
                  + "    owner: team-payments\n"
                  + "    match:\n"
                  + "      http:\n"
                  + "        host: \"*.payments.example.com\"\n"
                  + "    templates: [\"/v2/customers/{customer}/orders\"]\n",
              "benchmark");
      if (catalog.integrations().isEmpty()) {
        throw new IllegalStateException("the benchmark's catalog was not read");
      }
    }
  }

  @Benchmark
  public SqlStatementInfo sanitize(Sql s) {
    return SqlSanitizer.sanitize(s.sql, SqlDialect.STANDARD);
  }

  @Benchmark
  public SqlStatementInfo sanitizeCached(Sql s) {
    return SqlCache.get(s.sql, SqlDialect.STANDARD);
  }

  @Benchmark
  public HttpTarget httpTarget(Url u) {
    return HttpTarget.parse(u.text);
  }

  @Benchmark
  public String httpTemplate(Url u, Blackhole bh) {
    HttpTarget target = HttpTarget.parse(u.text);
    // The recorder keeps the whole target (its redacted URL goes on the span).
    bh.consume(target);
    Integration entry = u.catalog.matchHttp(target.scheme, target.host, target.port, target.path);
    String template = entry == null ? null : entry.template(target.path);
    return template != null ? template : target.pathTemplate;
  }
}
