package dev.seamwatch.agent;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import dev.seamwatch.agent.instrumentation.IgnoredTypes;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the enabled instrumentations with Byte Buddy.
 *
 * <ul>
 *   <li>Retransformation without class-format changes: classes loaded before premain (JDK clients
 *       among them) are rewritten too, and other agents can rewrite the same classes.
 *   <li>Every loaded class first meets {@link IgnoredTypes}, a name check; only then the
 *       instrumentations' own (name-first) matchers.
 *   <li>Advice inlined into JDK classes calls the bridge, which lives in the unnamed module of the
 *       bootstrap loader; named JDK modules cannot read it until a read edge is added, which {@code
 *       assureReadEdgeTo} does as each class is transformed.
 * </ul>
 */
final class Installer {

  private Installer() {}

  /** Installs and returns the names of the instrumentations that are on. */
  static List<ClientInstrumentation> install(
      Instrumentation inst, AgentConfig config, List<ClientInstrumentation> all) {
    List<ClientInstrumentation> enabled = new ArrayList<>();
    for (ClientInstrumentation instrumentation : all) {
      if (config.instrumentationEnabled(instrumentation.name(), instrumentation.family())) {
        enabled.add(instrumentation);
      }
    }
    if (enabled.isEmpty()) {
      return enabled;
    }
    Map<String, String> instrumentationOfType = new ConcurrentHashMap<>();
    // Byte Buddy's "safe" mode keeps it from reaching for sun.misc.Unsafe, which it would do to
    // prepare class injection we never use; on JDK 24+ that prints a deprecation warning on the
    // application's stderr. The property is read once, in static initialisers, so it is set only
    // while the builder is created and installed (premain: the application has not started).
    String safeProperty = ByteBuddy.class.getPackage().getName() + ".safe";
    String previous = System.getProperty(safeProperty);
    System.setProperty(safeProperty, "true");
    try {
      installAll(inst, enabled, instrumentationOfType);
    } finally {
      if (previous == null) {
        System.clearProperty(safeProperty);
      } else {
        System.setProperty(safeProperty, previous);
      }
    }
    return enabled;
  }

  private static void installAll(
      Instrumentation inst,
      List<ClientInstrumentation> enabled,
      Map<String, String> instrumentationOfType) {
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(new FailureListener(instrumentationOfType))
            .ignore(new NameFilter())
            .assureReadEdgeTo(inst, Bridge.class);
    for (ClientInstrumentation instrumentation : enabled) {
      builder =
          builder
              .type(instrumentation.types())
              .transform(
                  (typeBuilder, type, classLoader, module, domain) -> {
                    instrumentationOfType.put(type.getName(), instrumentation.name());
                    return instrumentation.transform(typeBuilder);
                  });
    }
    builder.installOn(inst);
  }

  private static final class NameFilter
      extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
    @Override
    public boolean matches(TypeDescription type) {
      return IgnoredTypes.ignored(type.getName());
    }
  }

  /** Logs a failing instrumentation once, with its name and the library's version. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    private final Map<String, String> instrumentationOfType;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    FailureListener(Map<String, String> instrumentationOfType) {
      this.instrumentationOfType = instrumentationOfType;
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      SeamwatchLog.debug("instrumented " + type.getName());
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      String instrumentation = instrumentationOfType.getOrDefault(typeName, "unknown");
      if (reported.add(instrumentation)) {
        SeamwatchLog.warn(
            "instrumentation "
                + instrumentation
                + " failed on "
                + typeName
                + " (library version "
                + libraryVersion(typeName, classLoader)
                + "); it stays off for that class: "
                + throwable);
      }
    }

    private static String libraryVersion(String typeName, ClassLoader classLoader) {
      if (classLoader == null || typeName.startsWith("jdk.") || typeName.startsWith("java.")) {
        return "JDK " + Runtime.version();
      }
      int dot = typeName.lastIndexOf('.');
      Package pkg = dot < 0 ? null : classLoader.getDefinedPackage(typeName.substring(0, dot));
      String version = pkg == null ? null : pkg.getImplementationVersion();
      return version == null ? "unknown" : version;
    }
  }
}
