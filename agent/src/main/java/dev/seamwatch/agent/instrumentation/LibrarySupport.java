package dev.seamwatch.agent.instrumentation;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Whether each class loader's copy of a library is a version an instrumentation supports: decided
 * once per class loader and instrumentation, from the library's class files (never by loading its
 * classes), before any of them is rewritten. An unsupported version gets one line and is left as it
 * is; the application runs as without the agent.
 */
public final class LibrarySupport {

  private final Map<ClassLoader, Map<ClientInstrumentation, Boolean>> verdicts =
      new WeakHashMap<>();
  private final Map<ClientInstrumentation, Boolean> reported = new ConcurrentHashMap<>();

  /** Whether {@code instrumentation} may rewrite classes of {@code loader}. */
  public boolean supported(ClientInstrumentation instrumentation, ClassLoader loader) {
    if (loader == null || instrumentation.requirements().isEmpty()) {
      return true;
    }
    Map<ClientInstrumentation, Boolean> byInstrumentation;
    synchronized (verdicts) {
      byInstrumentation = verdicts.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }
    return byInstrumentation.computeIfAbsent(instrumentation, i -> check(i, loader));
  }

  private boolean check(ClientInstrumentation instrumentation, ClassLoader loader) {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
    for (LibraryRequirement requirement : instrumentation.requirements()) {
      String unmet;
      try {
        unmet = requirement.unmetIn(pool);
      } catch (Throwable t) {
        unmet = "its classes could not be read (" + t + ")";
      }
      if (unmet != null) {
        if (reported.putIfAbsent(instrumentation, Boolean.TRUE) == null) {
          SeamwatchLog.warn(
              "instrumentation "
                  + instrumentation.name()
                  + " skipped: this version of the library is not supported ("
                  + unmet
                  + "); its calls are not traced. Supported: "
                  + instrumentation.supportedVersions()
                  + ".");
        }
        return false;
      }
    }
    return true;
  }
}
