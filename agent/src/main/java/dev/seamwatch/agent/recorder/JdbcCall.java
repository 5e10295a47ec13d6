package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.recorder.db.JdbcUrl;
import dev.seamwatch.agent.recorder.db.SqlStatementInfo;
import dev.seamwatch.bootstrap.DbCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One statement execution. Its duration ends when the driver returns; when that is a result set,
 * the span stays open, ended with the execution's end time, until the rows the application reads
 * are known (result set exhausted, closed, or its statement closed or executed again), so that
 * {@code db.response.returned_rows} is on the span without counting the application's own
 * processing time as the database's.
 */
final class JdbcCall implements DbCall {

  final Recorder recorder;
  final Span span;

  /**
   * The context the statement was executed in: current again when the call ends (its own scope is
   * closed first), and handed to the duration metric as such, which saves the metric a thread-local
   * lookup per call.
   */
  final Context parent;

  final JdbcUrl database;

  /** The sanitized statement, or null when the SQL is not known (a mixed batch). */
  final SqlStatementInfo query;

  final OperationStats stats;

  /** The catalog's entry for the call's integration, or null when the catalog names none. */
  volatile dev.seamwatch.agent.catalog.Integration entry;

  final JdbcState.StatementInfo statement;

  /**
   * The statement's query as the SQL this call executed (null for a batch of other SQL, or no
   * statement), whose span and metric attributes are built once for all its calls. Set before the
   * call is handed out; a thread that saw null would only build the metric attributes again.
   */
  JdbcState.Query executed;

  /** {@link System#nanoTime()} at the start, which the span's start time was taken from too. */
  final long startNanos;

  /** Rows read so far; only the thread iterating the result set writes it. */
  long rows;

  /**
   * Whether a thread's slot of the result set being counted took this call ({@code
   * JdbcState.rowReadElsewhere}); written by that thread before it counts a row there, so the
   * thread that finishes the rows sees it when it is its own slot.
   */
  boolean inThreadSlot;

  final Anomalies.Marks marks = new Anomalies.Marks();

  // Field updaters rather than two AtomicBooleans: two objects fewer per statement execution.
  private static final AtomicIntegerFieldUpdater<JdbcCall> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(JdbcCall.class, "ended");
  private static final AtomicIntegerFieldUpdater<JdbcCall> SPAN_ENDED =
      AtomicIntegerFieldUpdater.newUpdater(JdbcCall.class, "spanEnded");

  private volatile int ended;
  private volatile int spanEnded;
  private volatile long endEpochNanos;
  private Scope scope;

  JdbcCall(
      Recorder recorder,
      Span span,
      Context parent,
      Context context,
      JdbcUrl database,
      SqlStatementInfo query,
      OperationStats stats,
      JdbcState.StatementInfo statement,
      long startNanos,
      SlotContextStorage.Slot slot) {
    this.recorder = recorder;
    this.startNanos = startNanos;
    this.span = span;
    this.parent = parent;
    this.database = database;
    this.query = query;
    this.stats = stats;
    this.statement = statement;
    // The slot the call's start read the parent from (this thread's), when the agent's storage
    // serves: no second lookup.
    this.scope = slot != null ? slot.attach(context) : context.makeCurrent();
  }

  @Override
  public void end(Object result, Throwable error) {
    if (scope != null) {
      Scope open = scope;
      scope = null;
      open.close();
    }
    if (ENDED.compareAndSet(this, 0, 1)) {
      recorder.endDb(this, result, error);
    }
  }

  /** Ends the span now, or at {@code endEpochNanos} once the rows are known. */
  void endSpan(long epochNanos, boolean awaitRows) {
    endEpochNanos = epochNanos;
    if (!awaitRows) {
      finishSpan();
    }
  }

  /**
   * The rows are known: they go on the span, which ends at the execution's end time. {@code
   * exhausted}: the application read them all, so their number is the result's size.
   */
  void finishRows(boolean exhausted) {
    boolean open = endEpochNanos != 0 && spanEnded == 0;
    if (open) {
      span.setAttribute(SemanticAttributes.DB_RESPONSE_RETURNED_ROWS, rows);
    }
    if (endEpochNanos != 0) {
      recorder.rowsKnown(this, exhausted, open);
    }
    finishSpan();
  }

  private void finishSpan() {
    if (endEpochNanos != 0 && SPAN_ENDED.compareAndSet(this, 0, 1)) {
      span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    }
  }
}
