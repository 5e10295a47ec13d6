package dev.seamwatch.agent.instrumentation;

import dev.seamwatch.agent.recorder.HttpClientAdapter;
import java.util.Collections;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumentation: which types it rewrites and the advice it puts on their methods. It reads
 * like a table of what it hooks; all recording logic lives in the recorder.
 */
public interface ClientInstrumentation {

  /** The setting name: {@code seamwatch.instrumentation.<name>.enabled}. */
  String name();

  /** The family group: {@code http-client}, {@code jdbc} or {@code messaging}. */
  String family();

  /**
   * The classes this instrumentation may rewrite, by name: the first filter every class the JVM
   * loads goes through, and the only one most classes ever meet.
   */
  default Set<String> typeNames() {
    return Collections.emptySet();
  }

  /**
   * For instrumentations that match by supertype (any driver's {@code Statement}): packages, in
   * internal form such as {@code java/sql/}, that a class's constant pool must mention to be
   * considered at all. Reading the constant pool costs microseconds; Byte Buddy's hierarchy
   * matching, which follows, costs far more.
   */
  default Set<String> referencedPackages() {
    return Collections.emptySet();
  }

  /** Whether a class already loaded when the agent starts is one to retransform. */
  default boolean matchesLoaded(Class<?> type) {
    return typeNames().contains(type.getName());
  }

  /** Which of those types Byte Buddy rewrites. */
  ElementMatcher<TypeDescription> types();

  /**
   * Puts the advice on a matched type of the class loader {@code target} (null for the bootstrap
   * loader). Instrumentations of libraries the application loads need it (see {@link
   * LibraryAdvice}); those of the JDK and of {@code java.sql} do not.
   */
  DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target);

  /**
   * For instrumentations of a library the application loads: classes of that library present in
   * every version of it, supported or not (its client class). When one of them loads, the library
   * in that class loader is checked against {@link #requirements()}, so that an unsupported version
   * is reported even when none of the classes the advice names exists in it.
   */
  default Set<String> markerNames() {
    return Collections.emptySet();
  }

  /** What the advice needs from the library; all must be met, or nothing of it is rewritten. */
  default java.util.List<LibraryRequirement> requirements() {
    return Collections.emptyList();
  }

  /** The versions it supports and was tested with, for the line an unsupported version gets. */
  default String supportedVersions() {
    return "";
  }

  /**
   * Called once at startup, before any class is rewritten, with the JVM's instrumentation: for
   * instrumentations whose adapter needs access to JDK internals (a package opened to the agent).
   */
  default void prepare(java.lang.instrument.Instrumentation inst) {}

  /** For messaging clients whose advice hands over objects, the recorder's reader of them. */
  default dev.seamwatch.agent.recorder.MessagingAdapter messagingAdapter() {
    return null;
  }

  /** For clients whose types the agent can see (the JDK's), the recorder's reader of them. */
  default HttpClientAdapter httpAdapter() {
    return null;
  }
}
