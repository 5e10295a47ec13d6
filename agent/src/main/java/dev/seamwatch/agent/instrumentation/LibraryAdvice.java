package dev.seamwatch.agent.instrumentation;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Advice for a library the application loads (Apache HttpClient, OkHttp, Kafka): its methods name
 * the library's types, which the agent's class loader cannot load. {@code Advice.to(Class)} would
 * load the advice class and reflect on it, failing with {@code NoClassDefFoundError}; here it is
 * described from class files instead, found in the agent's jar and in the class loader of the class
 * being instrumented. The advice class is named, never referenced as a literal.
 */
public final class LibraryAdvice {

  private LibraryAdvice() {}

  public static Advice to(String adviceClassName, ClassLoader target) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(LibraryAdvice.class.getClassLoader()),
            target == null
                ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.of(target));
    TypePool pool = TypePool.Default.of(locator);
    return Advice.to(pool.describe(adviceClassName).resolve(), locator);
  }
}
