package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.DbCall;
import java.lang.reflect.Method;

/**
 * One wait for a connection from a {@code DataSource}. Data sources wrap one another (a routing or
 * lazy proxy around the pool), so only the outermost wait on a thread is recorded.
 */
final class PoolWait implements DbCall {

  /** The pool's own name where it has one ({@code getPoolName()}, as HikariCP), else its class. */
  private static final ClassValue<Method> POOL_NAME =
      new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            Method method = type.getMethod("getPoolName");
            return method.getReturnType() == String.class ? method : null;
          } catch (Throwable t) {
            return null;
          }
        }
      };

  final Recorder recorder;
  final Object dataSource;
  final boolean nested;
  final long startNanos = System.nanoTime();
  private final int[] depth;
  private boolean ended;

  PoolWait(Recorder recorder, Object dataSource, int[] depth, boolean nested) {
    this.recorder = recorder;
    this.dataSource = dataSource;
    this.depth = depth;
    this.nested = nested;
  }

  @Override
  public void end(Object connection, Throwable error) {
    if (ended) {
      return;
    }
    ended = true;
    depth[0]--;
    if (!nested) {
      recorder.endPoolWait(this, connection, error);
    }
  }

  String poolName() {
    Method method = POOL_NAME.get(dataSource.getClass());
    if (method != null) {
      try {
        Object name = method.invoke(dataSource);
        if (name instanceof String) {
          return (String) name;
        }
      } catch (Throwable t) {
        // the class name, below
      }
    }
    return dataSource.getClass().getSimpleName();
  }
}
