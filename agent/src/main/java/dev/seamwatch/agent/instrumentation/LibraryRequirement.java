package dev.seamwatch.agent.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * One thing an instrumentation's advice needs from a library: a class, and a method it declares.
 * Checked against the library's class files before any of its classes is rewritten, so that a
 * version that lacks it is left alone as a whole, with one line, rather than half instrumented.
 */
public final class LibraryRequirement {

  private final String typeName;
  private final ElementMatcher<? super MethodDescription> method;
  private final String methodDescription;

  private LibraryRequirement(
      String typeName, ElementMatcher<? super MethodDescription> method, String description) {
    this.typeName = typeName;
    this.method = method;
    this.methodDescription = description;
  }

  /** {@code typeName} must exist and declare a method {@code method}, described as given. */
  public static LibraryRequirement method(
      String typeName, ElementMatcher<? super MethodDescription> method, String description) {
    return new LibraryRequirement(typeName, method, description);
  }

  /** Why {@code pool}'s classes do not meet this requirement, or null when they do. */
  String unmetIn(TypePool pool) {
    TypePool.Resolution resolution = pool.describe(typeName);
    if (!resolution.isResolved()) {
      return typeName + " not found";
    }
    if (resolution.resolve().getDeclaredMethods().filter(method).isEmpty()) {
      return typeName + " has no " + methodDescription;
    }
    return null;
  }
}
