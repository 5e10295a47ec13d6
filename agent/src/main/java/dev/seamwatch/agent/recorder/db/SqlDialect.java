package dev.seamwatch.agent.recorder.db;

/**
 * The few lexical rules on which SQL databases disagree and which decide where a literal ends. The
 * sanitizer must know them to be exact; without them ({@link #UNKNOWN}) it stays safe by redacting
 * more.
 */
public enum SqlDialect {
  /**
   * {@code ''} is the only escape in {@code '...'}; {@code "..."} quotes an identifier; {@code #}
   * is not a comment. PostgreSQL (standard_conforming_strings is on by default since 9.1), Oracle,
   * SQL Server, H2, HSQLDB, Derby, Db2. A {@code '...'} literal that a backslash-escaping reading
   * would end elsewhere ({@code 'it\'s'}) still redacts everything after it, since a server may be
   * configured otherwise.
   */
  STANDARD(false, false, false),

  /**
   * MySQL and MariaDB defaults: backslash escapes in strings, {@code "..."} is a string, {@code #}
   * and {@code "-- "} start comments.
   */
  MYSQL(true, true, true),

  /**
   * Like {@link #UNKNOWN}, but {@code "..."} may be a string (SQLite falls back to that), so it is
   * redacted.
   */
  SQLITE(false, true, false),

  /**
   * Not known: like {@link #STANDARD} ({@code "..."} is an identifier, an ambiguous backslash
   * redacts the rest), and {@code # } followed by a space is taken as a MySQL comment.
   */
  UNKNOWN(false, false, false);

  final boolean backslashEscapes;
  final boolean doubleQuotedStrings;
  final boolean mysqlComments;

  SqlDialect(boolean backslashEscapes, boolean doubleQuotedStrings, boolean mysqlComments) {
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.mysqlComments = mysqlComments;
  }

  /** The dialect for a {@code db.system.name} value as {@link JdbcUrl} reports it. */
  public static SqlDialect forDbSystem(String dbSystemName) {
    if (dbSystemName == null) {
      return UNKNOWN;
    }
    switch (dbSystemName) {
      case "mysql":
      case "mariadb":
        return MYSQL;
      case "sqlite":
        return SQLITE;
      case "postgresql":
      case "oracle.db":
      case "microsoft.sql_server":
      case "h2database":
      case "hsqldb":
      case "derby":
      case "ibm.db2":
        return STANDARD;
      default:
        return UNKNOWN;
    }
  }
}
