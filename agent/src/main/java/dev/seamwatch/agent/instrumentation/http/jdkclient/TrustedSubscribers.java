package dev.seamwatch.agent.instrumentation.http.jdkclient;

import dev.seamwatch.agent.recorder.ResponseBody;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpResponse;
import java.util.Collections;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;

/**
 * Keeps a watched response body on the JDK's fast path.
 *
 * <p>Why this exists: the JDK hands a body to a subscriber of its own ({@code
 * ResponseSubscribers.TrustedSubscriber}: {@code ofString}, {@code ofByteArray}, {@code
 * ofInputStream}...) on the thread that read it, and to any other subscriber through the client's
 * executor, because foreign code might block. A plain wrapper is "any other": every call then paid
 * a hand-off to another thread and back, about 30 µs on a loopback call (the benchmark showed it).
 * The wrapper never blocks, so it may say what the application's subscriber would have said: it is
 * made a {@code TrustedSubscriber} whose {@code needsExecutor()} asks the application's subscriber
 * ({@code TrustedSubscriber.needsExecutor(app)}: its own answer if it is the JDK's, else true). The
 * JDK then schedules the body exactly as without the agent.
 *
 * <p>How: the interface is in a package {@code java.net.http} does not export, so (1) at install,
 * the package is exported to the agent's module only ({@link #export}); (2) on first use, Byte
 * Buddy makes a subclass of {@link WatchedBodyHandler.Subscriber} that also implements the
 * interface (the subclass inherits the public {@code needsExecutor()}; it cannot be written in
 * source compiled with {@code --release 11}, which hides the JDK's internal packages). On a JDK
 * without the interface, or if any step fails, the plain wrapper is used, as before: same bytes,
 * one hop more.
 */
final class TrustedSubscribers {

  private static final String PACKAGE = "jdk.internal.net.http";
  private static final String TRUSTED = PACKAGE + ".ResponseSubscribers$TrustedSubscriber";

  private TrustedSubscribers() {}

  /** Exports the JDK's internal HTTP package to the agent's module; loads no class of it. */
  static void export(Instrumentation inst) {
    try {
      Module agent = TrustedSubscribers.class.getModule();
      Module javaNetHttp = ModuleLayer.boot().findModule("java.net.http").orElse(null);
      if (javaNetHttp != null && !javaNetHttp.isExported(PACKAGE, agent)) {
        inst.redefineModule(
            javaNetHttp,
            Collections.emptySet(),
            Collections.singletonMap(PACKAGE, Collections.singleton(agent)),
            Collections.emptyMap(),
            Collections.emptySet(),
            Collections.emptyMap());
      }
    } catch (Throwable t) {
      SeamwatchLog.debug("java.net.http bodies will be watched on the client's executor: " + t);
    }
  }

  /** The application's subscriber, watched; on the JDK's fast path when the JDK allows it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> HttpResponse.BodySubscriber<T> watch(
      HttpResponse.BodySubscriber<T> subscriber, ResponseBody body) {
    MethodHandle factory = Holder.FACTORY;
    if (factory != null) {
      try {
        return (WatchedBodyHandler.Subscriber)
            factory.invokeExact((HttpResponse.BodySubscriber) subscriber, body);
      } catch (Throwable t) {
        // A constructor that only stores two fields: cannot happen, but never fail a call for it.
      }
    }
    return new WatchedBodyHandler.Subscriber<>(subscriber, body);
  }

  /** {@code TrustedSubscriber.needsExecutor(subscriber)}, or true (the JDK's answer for others). */
  static boolean needsExecutor(HttpResponse.BodySubscriber<?> subscriber) {
    MethodHandle needsExecutor = Holder.NEEDS_EXECUTOR;
    if (needsExecutor != null) {
      try {
        return (boolean) needsExecutor.invokeExact((HttpResponse.BodySubscriber) subscriber);
      } catch (Throwable t) {
        return true;
      }
    }
    return true;
  }

  /** Made on first use (class initialisation is the lock), not at startup. */
  private static final class Holder {
    static final MethodHandle FACTORY;
    static final MethodHandle NEEDS_EXECUTOR;

    static {
      MethodHandle factory = null;
      MethodHandle needsExecutor = null;
      try {
        Class<?> trusted = Class.forName(TRUSTED, false, HttpResponse.class.getClassLoader());
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        needsExecutor =
            lookup.findStatic(
                trusted,
                "needsExecutor",
                MethodType.methodType(boolean.class, HttpResponse.BodySubscriber.class));
        Class<?> subclass =
            new ByteBuddy()
                .subclass(
                    WatchedBodyHandler.Subscriber.class,
                    ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                .implement(trusted)
                .name(WatchedBodyHandler.class.getName() + "$TrustedSubscriber")
                .make()
                .load(
                    WatchedBodyHandler.class.getClassLoader(),
                    ClassLoadingStrategy.UsingLookup.of(lookup))
                .getLoaded();
        SeamwatchLog.debug("java.net.http bodies are watched on the JDK's own delivery path");
        factory =
            lookup
                .findConstructor(
                    subclass,
                    MethodType.methodType(
                        void.class, HttpResponse.BodySubscriber.class, ResponseBody.class))
                .asType(
                    MethodType.methodType(
                        WatchedBodyHandler.Subscriber.class,
                        HttpResponse.BodySubscriber.class,
                        ResponseBody.class));
      } catch (Throwable t) {
        factory = null;
        needsExecutor = null;
        SeamwatchLog.debug("java.net.http bodies will be watched on the client's executor: " + t);
      }
      FACTORY = factory;
      NEEDS_EXECUTOR = needsExecutor;
    }
  }
}
