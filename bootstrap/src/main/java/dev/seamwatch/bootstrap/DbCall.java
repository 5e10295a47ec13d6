package dev.seamwatch.bootstrap;

/** One statement execution in flight. It ends exactly once; later calls are ignored. */
public interface DbCall {

  /**
   * Ends the execution with what the method returned ({@code ResultSet}, update count, batch
   * counts, or null) or the exception it threw. Also closes the call's scope on the calling thread.
   * For a result set, the rows the application then reads are counted until it is exhausted or
   * closed.
   */
  void end(Object result, Throwable error);
}
