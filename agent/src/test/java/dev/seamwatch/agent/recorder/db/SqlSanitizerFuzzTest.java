package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random statements from a small grammar, with a random secret in every literal and comment: no
 * secret may come out in any field. The seed is fixed so that a failure reproduces, and printed.
 */
class SqlSanitizerFuzzTest {

  private static final long SEED = 0x5EA3_3A7C_4L;
  private static final int STATEMENTS_PER_DIALECT = 6_000;

  private static final String[] TABLES = {
    "users", "orders", "public.accounts", "\"Order Items\"", "`audit_log`", "t1", "[dbo].[Carts]"
  };
  private static final String[] COLUMNS = {"id", "name", "col_2", "t1.c3", "\"Full Name\"", "x9"};
  private static final String[] SPACE = {" ", "  ", "\t", "\n", " \r\n "};

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void noSecretEverLeavesTheSanitizer(SqlDialect dialect) {
    long seed = SEED + dialect.ordinal();
    Random random = new Random(seed);
    int checked = 0;
    for (int i = 0; i < STATEMENTS_PER_DIALECT; i++) {
      Generator g = new Generator(random, dialect);
      String sql = g.statements();
      if (random.nextInt(4) == 0) {
        // Broken SQL: cut anywhere, often inside a literal or comment.
        sql = sql.substring(0, random.nextInt(sql.length() + 1));
      }
      SqlStatementInfo info = SqlSanitizer.sanitize(sql, dialect);
      for (String secret : g.secrets) {
        if (sql.contains(secret)) {
          checked++;
          assertNoLeak(seed, dialect, i, sql, info, secret);
        }
      }
      assertThat(info.queryText().length()).isLessThanOrEqualTo(4096 + 3);
    }
    // Every statement has several secrets; the cut ones lose some.
    assertThat(checked).isGreaterThan(STATEMENTS_PER_DIALECT * 3);
  }

  private static void assertNoLeak(
      long seed, SqlDialect dialect, int i, String sql, SqlStatementInfo info, String secret) {
    String[] fields = {
      info.queryText(), info.operationName(), info.collectionName(), info.querySummary()
    };
    for (String field : fields) {
      if (field != null && field.contains(secret)) {
        fail(
            "secret %s leaked (seed=%d, dialect=%s, statement #%d)%n  sql:  %s%n  info: %s",
            secret, seed, dialect, i, sql, info);
      }
    }
  }

  /** One statement list and the secrets it holds. */
  private static final class Generator {
    private final Random random;
    private final SqlDialect dialect;
    final List<String> secrets = new ArrayList<>();

    Generator(Random random, SqlDialect dialect) {
      this.random = random;
      this.dialect = dialect;
    }

    String statements() {
      StringBuilder sql = new StringBuilder(statement());
      while (random.nextInt(5) == 0) {
        sql.append(';').append(space()).append(statement());
      }
      return sql.toString();
    }

    private String statement() {
      switch (random.nextInt(4)) {
        case 0:
          return comment() + "SELECT" + space() + columns() + space() + "FROM" + space() + table()
              + join() + where() + comment();
        case 1:
          return "INSERT INTO"
              + space()
              + table()
              + " ("
              + columns()
              + ")"
              + space()
              + "VALUES"
              + space()
              + rows()
              + comment();
        case 2:
          return "UPDATE" + space() + table() + space() + "SET" + space() + column() + " = "
              + literal() + ", " + column() + "=" + literal() + where();
        default:
          return "DELETE FROM" + space() + table() + where() + comment();
      }
    }

    private String join() {
      return random.nextBoolean()
          ? ""
          : space() + "JOIN" + space() + table() + " ON " + column() + " = " + literal();
    }

    private String where() {
      StringBuilder where = new StringBuilder(space()).append("WHERE").append(space());
      int conditions = 1 + random.nextInt(4);
      for (int i = 0; i < conditions; i++) {
        if (i > 0) {
          where.append(space()).append(random.nextBoolean() ? "AND" : "OR").append(space());
        }
        where.append(condition()).append(comment());
      }
      return where.toString();
    }

    private String condition() {
      switch (random.nextInt(6)) {
        case 0:
          return column() + " IN (" + list() + ")";
        case 1:
          return column() + " BETWEEN " + literal() + " AND " + literal();
        case 2:
          return column() + " LIKE " + literal();
        case 3:
          return column() + " = ?";
        case 4:
          return column() + " <> " + literal();
        default:
          return column() + "=" + literal();
      }
    }

    private String rows() {
      StringBuilder rows = new StringBuilder();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        rows.append(i > 0 ? ", " : "").append('(').append(list()).append(')');
      }
      return rows.toString();
    }

    private String list() {
      StringBuilder list = new StringBuilder();
      int count = 1 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        list.append(i > 0 ? (random.nextBoolean() ? ", " : ",") : "").append(literal());
      }
      return list.toString();
    }

    private String columns() {
      return random.nextBoolean() ? "*" : column() + ", " + column();
    }

    private String column() {
      return COLUMNS[random.nextInt(COLUMNS.length)];
    }

    private String table() {
      String table = TABLES[random.nextInt(TABLES.length)];
      if (dialect == SqlDialect.SQLITE && table.startsWith("\"")) {
        return "t1"; // SQLite may read "..." as a string: not a name position to test here
      }
      return table + (random.nextBoolean() ? "" : " x");
    }

    private String space() {
      return SPACE[random.nextInt(SPACE.length)];
    }

    /** A literal holding a fresh secret, written correctly for the dialect. */
    private String literal() {
      String s = secret();
      switch (random.nextInt(14)) {
        case 0:
          return "'" + noise() + s + noise() + "'";
        case 1:
          return "'it''s " + s + " ''quoted'''";
        case 2:
          return "'" + s + " -- /* ; \" ` $$ #'";
        case 3:
          // A backslash: escaped for MySQL; elsewhere literal, and ambiguous when last.
          return dialect == SqlDialect.MYSQL ? "'it\\'s " + s + " C:\\\\'" : "'C:\\" + s + "\\'";
        case 4:
          return "E'it\\'s " + s + "\\n'";
        case 5:
          return "$$" + s + " it's $ $$";
        case 6:
          return "$q$ a $ b $x$ " + s + " $q$";
        case 7:
          return digits();
        case 8:
          return (random.nextBoolean() ? "-" : "") + digits() + "." + digits();
        case 9:
          return digits() + "e" + (random.nextBoolean() ? "-" : "+") + "12";
        case 10:
          return "0x" + hex();
        case 11:
          return "X'" + hex() + "'";
        case 12:
          return "N'" + s + "'";
        default:
          if (dialect == SqlDialect.MYSQL || dialect == SqlDialect.SQLITE) {
            return "\"say \"\"" + s + "\"\"\"";
          }
          return "q'[" + s + " it's]'";
      }
    }

    private String comment() {
      if (random.nextInt(3) != 0) {
        return "";
      }
      String s = secret();
      switch (random.nextInt(dialect == SqlDialect.STANDARD ? 3 : 4)) {
        case 0:
          return " -- " + s + " 'x\n";
        case 1:
          return " /* " + s + " it's */ ";
        case 2:
          return "/*" + s + "*/";
        default:
          return " # " + s + " \"x\n";
      }
    }

    private String noise() {
      String[] noise = {"", " ", "''", "--", "/*", "*/", ";", "\"", "`", "$", "?", ":x", "é"};
      return noise[random.nextInt(noise.length)];
    }

    private String secret() {
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      StringBuilder s = new StringBuilder();
      int length = 8 + random.nextInt(13);
      for (int i = 0; i < length; i++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return remember(s.toString());
    }

    private String digits() {
      StringBuilder s = new StringBuilder().append(1 + random.nextInt(9));
      int length = 7 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        s.append(random.nextInt(10));
      }
      return remember(s.toString());
    }

    private String hex() {
      StringBuilder s = new StringBuilder();
      int length = 8 + random.nextInt(9);
      for (int i = 0; i < length; i++) {
        s.append("0123456789ABCDEF".charAt(random.nextInt(16)));
      }
      return remember(s.toString());
    }

    private String remember(String secret) {
      secrets.add(secret);
      return secret;
    }
  }
}
