package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.DbCall;
import java.lang.reflect.Method;

/**
 * One step towards a connection: waiting for one from a {@code DataSource} (a pool), or a driver
 * opening one. Both wrap one another (a routing data source around the pool, a wrapping driver
 * around the real one), so only the outermost step of each kind on a thread is recorded.
 */
final class ConnectionStep implements DbCall {

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

  /** The data source waited on, or the driver connecting. */
  final Object source;

  /** The driver's URL; null for a wait on a data source. */
  final String url;

  final boolean nested;
  final long startNanos = System.nanoTime();
  private final int[] depth;
  private boolean ended;

  ConnectionStep(Recorder recorder, Object source, String url, int[] depth, boolean nested) {
    this.recorder = recorder;
    this.source = source;
    this.url = url;
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
      recorder.endConnectionStep(this, connection, error);
    }
  }

  String poolName() {
    Method method = POOL_NAME.get(source.getClass());
    if (method != null) {
      try {
        Object name = method.invoke(source);
        if (name instanceof String) {
          return (String) name;
        }
      } catch (Throwable t) {
        // the class name, below
      }
    }
    return source.getClass().getSimpleName();
  }
}
