package dev.seamwatch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge ({@code dev.seamwatch.bootstrap.*}) in the bootstrap class loader, where the
 * advice inlined into every class (JDK classes included) can reach it.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: on a JVM with class data
 * sharing (the default), appending to the bootstrap search path turns sharing off for every class
 * the platform and application loaders load, and makes the JVM print "Sharing is only supported for
 * boot loader classes because bootstrap classpath has been appended" on the application's stderr.
 * Defining the handful of bridge classes directly leaves the application's startup and output as
 * they were. It takes the JDK's internal {@code Unsafe.defineClass} (present from 11 to 25),
 * reached by exporting {@code jdk.internal.misc} to the agent's own module only, never to the
 * application's. The premain falls back to appending if this fails on some JVM.
 *
 * <p>This class must not reference any bridge type: they do not exist in the bootstrap loader yet.
 */
public final class BootstrapInjection {

  private static final String BRIDGE_PACKAGE = "dev/seamwatch/bootstrap/";

  private BootstrapInjection() {}

  public static void inject(Instrumentation inst, JarFile jar) throws Exception {
    Map<String, byte[]> classes = bridgeClasses(jar);
    if (classes.isEmpty()) {
      throw new IllegalStateException("no bridge classes in " + jar.getName());
    }
    Module javaBase = Object.class.getModule();
    Module agent = BootstrapInjection.class.getModule();
    inst.redefineModule(
        javaBase,
        Collections.emptySet(),
        Map.of("jdk.internal.misc", Set.of(agent)),
        Collections.emptyMap(),
        Collections.emptySet(),
        Collections.emptyMap());
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method define =
        unsafeClass.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            ProtectionDomain.class);

    // A class's supertypes must exist when it is defined; rather than keep an order by hand,
    // retry what failed until a pass defines nothing new.
    List<String> pending = new ArrayList<>(classes.keySet());
    Throwable last = null;
    while (!pending.isEmpty()) {
      List<String> failed = new ArrayList<>();
      for (String name : pending) {
        byte[] bytes = classes.get(name);
        try {
          define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        } catch (java.lang.reflect.InvocationTargetException e) {
          if (e.getCause() instanceof LinkageError && isAlreadyDefined(name)) {
            continue;
          }
          last = e.getCause();
          failed.add(name);
        }
      }
      if (failed.size() == pending.size()) {
        throw new IllegalStateException("could not define " + failed, last);
      }
      pending = failed;
    }
  }

  private static boolean isAlreadyDefined(String name) {
    try {
      return Class.forName(name, false, null) != null;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Map<String, byte[]> bridgeClasses(JarFile jar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (JarEntry entry : Collections.list(jar.entries())) {
      String name = entry.getName();
      if (name.startsWith(BRIDGE_PACKAGE)
          && name.endsWith(".class")
          && name.indexOf('/', BRIDGE_PACKAGE.length()) < 0) {
        try (InputStream in = jar.getInputStream(entry)) {
          classes.put(
              name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              in.readAllBytes());
        }
      }
    }
    return classes;
  }
}
