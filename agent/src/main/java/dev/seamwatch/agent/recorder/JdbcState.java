package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.recorder.db.JdbcUrl;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.Statement;

/**
 * What the recorder remembers between JDBC calls, weakly: the SQL each prepared statement was
 * prepared with, the batch being built on each statement, each connection's database, and the
 * result sets whose rows are being counted.
 *
 * <p>Row counting is on the path of every {@code ResultSet.next()}, so the result set executed last
 * is kept in a field, and the last one seen on each thread in a thread-local: iterating one result
 * set costs an identity check and an increment per row, not a map lookup.
 */
final class JdbcState {

  /** The statement-level facts; mutable, guarded by the statement's own single-threaded use. */
  static final class StatementInfo {
    String preparedSql;
    String batchSql;
    boolean batchMixed;
    int batchSize;
    JdbcCall openResult;

    /**
     * The statement's database and catalog entry, found on its first execution: a statement belongs
     * to one connection for its whole life, so neither changes.
     */
    Database database;

    /** The sanitized form of the SQL last executed, for the same SQL (the same String) again. */
    Query query;

    /**
     * Whether this statement's query timeout needs no more looking at: the integration's finding
     * was already reported, or the statement had a timeout when first looked at (timeouts are set
     * when a statement is made, not between its executions). Saves two map lookups per call.
     */
    boolean queryTimeoutSettled;

    /**
     * The column labels of this statement's last result and their signature: the same statement
     * nearly always returns the same columns (often the very same label Strings), so comparing them
     * is cheaper than hashing every label's characters on every call.
     */
    Columns columns;
  }

  /** A result's column labels and their signature, immutable: read in one step. */
  static final class Columns {
    final String[] labels;
    final long signature;

    Columns(String[] labels, long signature) {
      this.labels = labels;
      this.signature = signature;
    }
  }

  /** A database and its catalog entry (null: none), immutable: read in one step. */
  static final class Database {
    final JdbcUrl url;
    final dev.seamwatch.agent.catalog.Integration entry;

    Database(JdbcUrl url, dev.seamwatch.agent.catalog.Integration entry) {
      this.url = url;
      this.entry = entry;
    }
  }

  /** A statement's SQL and what the sanitizer made of it, immutable: read in one step. */
  static final class Query {
    final String sql;
    final dev.seamwatch.agent.recorder.db.SqlStatementInfo info;

    /**
     * The duration metric's attributes of a successful execution of this SQL, once built: they
     * depend only on the query and on the statement's database and catalog entry, which never
     * change, so a statement executed again reuses them instead of building and sorting them on
     * every call. Written by the executing thread; a stale read only builds them once more.
     */
    io.opentelemetry.api.common.Attributes metricAttributes;

    /** The start attributes of this SQL's spans, once built (see {@link CallSpans.Shared}). */
    CallSpans.Shared spanAttributes;

    Query(String sql, dev.seamwatch.agent.recorder.db.SqlStatementInfo info) {
      this.sql = sql;
      this.info = info;
    }
  }

  /**
   * The database of {@code statement}, whose info is {@code info}: from the info after the first
   * execution, which saves asking the driver for the connection and two lookups per call.
   */
  Database databaseOf(Object statement, StatementInfo info) {
    Database known = info.database;
    if (known == null) {
      JdbcUrl url = database(statement);
      known = new Database(url, catalogEntry(url));
      info.database = known;
    }
    return known;
  }

  /**
   * The sanitized form of {@code sql} as executed by the statement of {@code info}: a prepared
   * statement executes the same String every time, so it is sanitized (or found in the shared
   * cache) once per statement rather than looked up on every call.
   */
  static dev.seamwatch.agent.recorder.db.SqlStatementInfo query(
      StatementInfo info, String sql, JdbcUrl database) {
    Query last = info.query;
    if (last != null && last.sql == sql) {
      return last.info;
    }
    dev.seamwatch.agent.recorder.db.SqlStatementInfo parsed =
        dev.seamwatch.agent.recorder.db.SqlCache.get(sql, database.dialect());
    info.query = new Query(sql, parsed);
    return parsed;
  }

  private final WeakIdentityMap<Object, StatementInfo> statements =
      new WeakIdentityMap<>(info -> {});
  private final WeakIdentityMap<Object, JdbcUrl> connections = new WeakIdentityMap<>(url -> {});

  /**
   * The catalog's entry of each parsed URL (FALSE: none), matched once, on the raw URL, when the
   * connection is first seen: the raw URL is not kept.
   */
  private final WeakIdentityMap<JdbcUrl, Object> entries = new WeakIdentityMap<>(entry -> {});

  dev.seamwatch.agent.catalog.Catalog catalog = dev.seamwatch.agent.catalog.Catalog.empty();

  /** The catalog's entry for a database, or null. */
  dev.seamwatch.agent.catalog.Integration catalogEntry(JdbcUrl url) {
    Object entry = url == null ? null : entries.get(url);
    return entry instanceof dev.seamwatch.agent.catalog.Integration
        ? (dev.seamwatch.agent.catalog.Integration) entry
        : null;
  }

  private final WeakIdentityMap<Object, JdbcCall> results =
      new WeakIdentityMap<>(call -> call.finishRows(false));
  private final ThreadLocal<Object[]> lastResult = ThreadLocal.withInitial(() -> new Object[3]);

  StatementInfo statement(Object statement, boolean create) {
    StatementInfo info = statements.get(statement);
    if (info == null && create) {
      info = new StatementInfo();
      statements.put(statement, info);
    }
    return info;
  }

  void prepared(Object statement, String sql) {
    statement(statement, true).preparedSql = sql;
  }

  void batchAdded(Object statement, String sql) {
    StatementInfo info = statement(statement, true);
    if (sql != null) {
      if (info.batchSize == 0) {
        info.batchSql = sql;
      } else if (!sql.equals(info.batchSql)) {
        info.batchMixed = true;
      }
    }
    info.batchSize++;
  }

  /** The statement's database, read once per connection from its metadata URL. */
  JdbcUrl database(Object statement) {
    Connection connection = null;
    try {
      connection = ((Statement) statement).getConnection();
    } catch (Throwable t) {
      // A closed statement or an odd driver: the call is still recorded, as "other_sql".
    }
    return databaseOf(connection);
  }

  JdbcUrl databaseOf(Connection connection) {
    if (connection == null) {
      return JdbcUrl.parse(null);
    }
    JdbcUrl url = connections.get(connection);
    if (url == null) {
      String text = null;
      try {
        text = connection.getMetaData().getURL();
      } catch (Throwable t) {
        // as above
      }
      url = JdbcUrl.parse(text);
      dev.seamwatch.agent.catalog.Integration entry = text == null ? null : catalog.matchJdbc(text);
      entries.put(url, entry != null ? entry : Boolean.FALSE);
      connections.put(connection, url);
    }
    return url;
  }

  /** Counts the rows read from a result set that an execution returned. */
  void track(Object resultSet, JdbcCall call, StatementInfo info) {
    latest = new Latest(results.put(resultSet, call), call);
    if (info != null) {
      if (info.openResult != null && info.openResult != call) {
        // Executing again closes the previous result set (JDBC), read or not.
        info.openResult.finishRows(false);
      }
      info.openResult = call;
    }
  }

  /**
   * The result set of the query executed last, in any thread, with its call: read (never written)
   * on every row, so that reading the rows of the query just run, the common case, counts them
   * without even the thread-local lookup. Written once per query, not per row: rows of other result
   * sets fall through to the thread's slot, and threads do not take turns writing this field (which
   * would bounce it between cores). A plain field: a thread that sees another thread's value, or an
   * old one, only misses the shortcut, since the result set itself must match, and a result set's
   * rows all belong to its one call, whichever thread reads them.
   */
  private Latest latest;

  private static final class Latest {
    /** The map's own weak key of the result set, shared rather than a second weak reference. */
    final WeakReference<Object> resultSet;

    final JdbcCall call;

    Latest(WeakReference<Object> resultSet, JdbcCall call) {
      this.resultSet = resultSet;
      this.call = call;
    }
  }

  /**
   * A row read, or the end of the rows. This runs inside the driver's {@code next()}, and the JIT
   * compiles it into that method, so it is kept small: one more row (or the end) of the result set
   * executed last is all that is here, the rest is in {@link #rowReadElsewhere}.
   */
  void rowRead(Object resultSet, boolean hasRow) {
    Latest shortcut = latest;
    if (shortcut != null && shortcut.resultSet.get() == resultSet) {
      if (hasRow) {
        shortcut.call.rows++;
      } else {
        finish(resultSet, shortcut.call, true);
      }
    } else {
      rowReadElsewhere(resultSet, hasRow);
    }
  }

  private void rowReadElsewhere(Object resultSet, boolean hasRow) {
    Object[] last = lastResult.get();
    // Slot 0/1: the result set being counted and its call; slot 2: the last one seen that is not
    // counted (a pool's proxy and the driver's result set alternate on every row). Held weakly:
    // a thread-local must not keep the application's result sets alive.
    JdbcCall call;
    if (is(last[0], resultSet)) {
      call = (JdbcCall) last[1];
    } else if (is(last[2], resultSet)) {
      return;
    } else {
      call = results.get(resultSet);
      if (call == null) {
        last[2] = new WeakReference<>(resultSet);
        return;
      }
      last[0] = new WeakReference<>(resultSet);
      last[1] = call;
      call.inThreadSlot = true;
    }
    if (hasRow) {
      call.rows++;
    } else {
      finish(resultSet, call, true);
    }
  }

  private static boolean is(Object slot, Object resultSet) {
    return slot != null && ((WeakReference<?>) slot).get() == resultSet;
  }

  void closed(Object resultSetOrStatement) {
    JdbcCall call = results.get(resultSetOrStatement);
    if (call != null) {
      finish(resultSetOrStatement, call, false);
      return;
    }
    StatementInfo info = statements.get(resultSetOrStatement);
    if (info != null && info.openResult != null) {
      info.openResult.finishRows(false);
      info.openResult = null;
    }
  }

  private void finish(Object resultSet, JdbcCall call, boolean exhausted) {
    results.remove(resultSet);
    Latest shortcut = latest;
    if (shortcut != null && shortcut.call == call) {
      latest = null;
    }
    // Only a call some thread's slot took can be in this thread's: the others (the rows of the
    // query executed last, the common case) skip the thread-local lookup. This assumes that a
    // result set object belongs to one execution, as in JDBC: were a driver to hand the same
    // object out again, a slot could still hold it with the earlier call.
    if (call.inThreadSlot) {
      Object[] last = lastResult.get();
      if (is(last[0], resultSet)) {
        last[0] = null;
        last[1] = null;
      }
    }
    call.finishRows(exhausted);
  }
}
