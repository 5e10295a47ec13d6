package dev.seamwatch.agent;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import dev.seamwatch.agent.instrumentation.IgnoredTypes;
import dev.seamwatch.agent.instrumentation.LibrarySupport;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the enabled instrumentations, in two stages, because Byte Buddy is the most expensive
 * thing the agent loads (several hundred classes, a few hundred milliseconds on two cores) and most
 * classes a JVM loads are never instrumented:
 *
 * <ol>
 *   <li>In premain, only this transformer is registered. For every class the JVM loads it does one
 *       set lookup of the class name; classes no instrumentation names are passed over, and so are
 *       the classes of another agent's own class loaders ({@link IgnoredTypes#ignoredLoader}).
 *   <li>Byte Buddy is built the first time a named class shows up, or earlier, by {@link
 *       #prewarm()} on a background thread. A class that arrives while it is being built waits for
 *       it: nothing escapes the instrumentations.
 * </ol>
 *
 * <p>Byte Buddy then does the real matching and rewriting:
 *
 * <ul>
 *   <li>without class-format changes, so that classes loaded before premain (JDK clients among
 *       them) can be retransformed, and other agents can rewrite the same classes;
 *   <li>after {@link IgnoredTypes}, a second name filter;
 *   <li>with a type pool that also describes types defined without a class file, such as the
 *       interfaces another agent adds to the classes it rewrites ({@link LoadedTypesPoolStrategy});
 *   <li>adding, as each class is transformed, a read edge from its module to the bridge's: advice
 *       inlined into JDK classes in named modules cannot call the bridge otherwise.
 * </ul>
 */
final class Installer implements ClassFileTransformer {

  private final Instrumentation inst;
  private final List<ClientInstrumentation> enabled;
  private final Set<String> targets = new HashSet<>();

  /** Marker classes of libraries, by internal name: their loading triggers the version check. */
  private final Map<String, List<ClientInstrumentation>> markers = new HashMap<>();

  private final LibrarySupport support = new LibrarySupport();
  private final byte[][] referencedPackages;
  private final Map<String, String> instrumentationOfType = new ConcurrentHashMap<>();
  private final FailureListener failures = new FailureListener(instrumentationOfType);
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private volatile ClassFileTransformer byteBuddy;

  /**
   * {@code inst} is used to install and to retransform, and by Byte Buddy to give a class in a
   * named module a read edge to the bridge; unit tests that only call {@link #transform} on classes
   * of the unnamed module pass null.
   */
  Installer(Instrumentation inst, List<ClientInstrumentation> enabled) {
    this.inst = inst;
    this.enabled = enabled;
    Set<String> packages = new HashSet<>();
    for (ClientInstrumentation instrumentation : enabled) {
      for (String name : instrumentation.typeNames()) {
        targets.add(name.replace('.', '/'));
      }
      packages.addAll(instrumentation.referencedPackages());
      for (String name : instrumentation.markerNames()) {
        markers
            .computeIfAbsent(name.replace('.', '/'), n -> new ArrayList<>())
            .add(instrumentation);
      }
    }
    referencedPackages = new byte[packages.size()][];
    int i = 0;
    for (String pkg : packages) {
      referencedPackages[i++] = pkg.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The cheap filter every loaded class goes through; Byte Buddy sees what passes. */
  private boolean candidate(String className, byte[] classFile) {
    if (targets.contains(className)) {
      return true;
    }
    return referencedPackages.length > 0
        && classFile != null
        && !IgnoredTypes.ignored(className.replace('/', '.'))
        && ConstantPool.mentionsAny(classFile, referencedPackages);
  }

  /**
   * Registers the transformer for the enabled instrumentations and retransforms the named classes
   * that are already loaded. Cheap unless such a class is already loaded.
   */
  static Installer install(
      Instrumentation inst, AgentConfig config, List<ClientInstrumentation> all) {
    List<ClientInstrumentation> enabled = new ArrayList<>();
    for (ClientInstrumentation instrumentation : all) {
      if (config.instrumentationEnabled(instrumentation.name(), instrumentation.family())) {
        instrumentation.prepare(inst);
        enabled.add(instrumentation);
      }
    }
    Installer installer = new Installer(inst, enabled);
    if (!enabled.isEmpty()) {
      readJdkClassFileOnce();
      inst.addTransformer(installer, true);
      installer.retransformLoaded();
    }
    return installer;
  }

  List<ClientInstrumentation> enabled() {
    return enabled;
  }

  /**
   * Reads one JDK class file the way Byte Buddy's locators do, before the transformer is
   * registered, so that the JDK classes which serve such a read ({@code jrt:} URL handler and
   * connection, their helpers) are loaded while no Seamwatch transformer runs.
   *
   * <p>Why: without it, the first {@code jrt:} read in the JVM can happen inside this agent's
   * transformer, on its background startup thread (the exporter's HTTP client loads {@code
   * jdk.internal.net.http} classes, which the transformer matches against the JDK's class files).
   * The JVM then loads {@code sun.net.www.protocol.jrt.JavaRuntimeURLConnection} on that thread,
   * and an agent registered after this one sees that class load with its own transformer not busy.
   * If that transformer reads a class file too (the OpenTelemetry Java agent does, to match {@code
   * URLConnection} subclasses), the JVM finds the class already being loaded on the same thread and
   * throws {@code ClassCircularityError}. It records that error in the constant pool of the {@code
   * jrt:} handler, and every later {@code jrt:} read in the JVM fails the same way: this agent's
   * type matching (libraries' classes stay uninstrumented), the other agent's, and the
   * application's own {@code getResource} on JDK classes. Seen beside the OpenTelemetry agent in
   * about one run in three when Seamwatch is attached first. Agents attached before this one have
   * done their own first read by now, so for them this read finds everything loaded.
   *
   * <p>It costs about a millisecond of premain, once; a failure here changes nothing.
   */
  private static void readJdkClassFileOnce() {
    try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/Object.class")) {
      if (in != null) {
        in.read();
      }
    } catch (Throwable t) {
      SeamwatchLog.debug("reading a JDK class file before installing failed: " + t);
    }
  }

  /** Builds Byte Buddy now, off the application's path, so that no class load waits for it. */
  void prewarm() {
    if (enabled.isEmpty()) {
      return;
    }
    try {
      byteBuddy();
    } catch (Throwable t) {
      SeamwatchLog.warn("instrumentations not installed, the agent records nothing: " + t);
    }
  }

  private void retransformLoaded() {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (!inst.isModifiableClass(type)
          || IgnoredTypes.ignoredLoader(type.getClassLoader())
          || (IgnoredTypes.ignored(type.getName())
              && !targets.contains(type.getName().replace('.', '/')))) {
        continue;
      }
      for (ClientInstrumentation instrumentation : enabled) {
        if (instrumentation.matchesLoaded(type)) {
          loaded.add(type);
          break;
        }
      }
    }
    if (!loaded.isEmpty()) {
      try {
        inst.retransformClasses(loaded.toArray(new Class<?>[0]));
      } catch (Throwable t) {
        SeamwatchLog.warn("could not instrument the already loaded " + loaded + ": " + t);
      }
    }
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (className == null || IgnoredTypes.ignoredLoader(loader)) {
      return null;
    }
    List<ClientInstrumentation> checkOnLoad = markers.get(className);
    if (checkOnLoad != null) {
      // A library's marker class: report an unsupported version now, even if none of the
      // classes the advice names exists in it. Class files only; nothing is loaded.
      for (ClientInstrumentation instrumentation : checkOnLoad) {
        try {
          support.supported(instrumentation, loader);
        } catch (Throwable t) {
          SeamwatchLog.debug("library check failed for " + className + ": " + t);
        }
      }
    }
    if (!candidate(className, classfileBuffer)) {
      return null;
    }
    try {
      return byteBuddy()
          .transform(
              module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    } catch (Throwable t) {
      // Byte Buddy hands a failed transformation to the listener, which writes its line, and then
      // throws it again wrapped ("Failed transformation of ..."): that one says nothing new, and a
      // second line for one failure would be noise.
      if (!failures.alreadyReported(t) && failureLogged.compareAndSet(false, true)) {
        SeamwatchLog.warn("could not instrument " + className.replace('/', '.') + ": " + t);
      }
      return null;
    }
  }

  private ClassFileTransformer byteBuddy() {
    ClassFileTransformer built = byteBuddy;
    if (built != null) {
      return built;
    }
    synchronized (this) {
      if (byteBuddy == null) {
        long start = System.nanoTime();
        byteBuddy = build();
        SeamwatchLog.debug(
            "byte buddy ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
      return byteBuddy;
    }
  }

  private ClassFileTransformer build() {
    // Byte Buddy's "safe" mode keeps it from reaching for sun.misc.Unsafe, which it would do to
    // prepare class injection we never use: on JDK 24+ that prints a deprecation warning on the
    // application's stderr, and it loads hundreds more classes. The property is read once, by
    // static initialisers, so it is set only while the builder is created.
    String safeProperty = ByteBuddy.class.getPackage().getName() + ".safe";
    String previous = System.getProperty(safeProperty);
    System.setProperty(safeProperty, "true");
    try {
      AgentBuilder builder =
          new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
              .disableClassFormatChanges()
              .with(new LoadedTypesPoolStrategy())
              .with(failures)
              .ignore(new NameFilter())
              .assureReadEdgeTo(inst, Bridge.class);
      for (ClientInstrumentation instrumentation : enabled) {
        builder =
            builder
                .type(instrumentation.types())
                .transform(
                    (typeBuilder, type, classLoader, module, domain) -> {
                      if (!support.supported(instrumentation, classLoader)) {
                        return typeBuilder;
                      }
                      instrumentationOfType.put(type.getName(), instrumentation.name());
                      return instrumentation.transform(typeBuilder, classLoader);
                    });
      }
      return builder.makeRaw();
    } finally {
      if (previous == null) {
        System.clearProperty(safeProperty);
      } else {
        System.setProperty(safeProperty, previous);
      }
    }
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

    /** The failure last handed to {@link #onError} on this thread, until Byte Buddy rethrows it. */
    private final ThreadLocal<Throwable> lastError = new ThreadLocal<>();

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
      lastError.set(throwable);
      String instrumentation = instrumentationOfType.get(typeName);
      if (instrumentation == null) {
        // Failed while matching, before any instrumentation chose the class: typically a
        // supertype the class loader cannot find (an optional dependency left out). The class
        // is not one we rewrite; the application will meet the same gap if it ever uses it.
        SeamwatchLog.debug("not matched " + typeName + ": " + throwable);
        return;
      }
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

    /** Whether {@code thrown} out of Byte Buddy's transformer is a failure it reported here. */
    boolean alreadyReported(Throwable thrown) {
      Throwable last = lastError.get();
      lastError.remove();
      return last != null && (thrown == last || thrown.getCause() == last);
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
