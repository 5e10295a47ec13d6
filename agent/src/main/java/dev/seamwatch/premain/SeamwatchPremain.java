package dev.seamwatch.premain;

import dev.seamwatch.bootstrap.loader.AgentClassLoader;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;

/**
 * The only class of the agent that the system class loader loads. It appends the jar to the
 * bootstrap class loader (which makes the bridge, {@code dev.seamwatch.bootstrap}, visible to every
 * class), creates the agent's own class loader over the hidden {@code inst/} entries, and hands
 * over to {@code dev.seamwatch.agent.AgentStarter} there.
 *
 * <p>It is also the jar's {@code Main-Class}, for the report diff command ({@link #main}).
 *
 * <p>Nothing may escape from here: if the agent cannot start, one line says why and the application
 * starts as if the agent were absent. JDK types only, and no nested classes: this class is the
 * jar's single visible entry outside the bridge.
 */
public final class SeamwatchPremain {

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private SeamwatchPremain() {}

  public static void premain(String args, Instrumentation inst) {
    long startNanos = System.nanoTime();
    try {
      if (!enabled()) {
        return;
      }
      if (!STARTED.compareAndSet(false, true)) {
        System.err.println(
            "[seamwatch] the agent is given more than once (-javaagent); installed once, ignoring"
                + " the repeat");
        return;
      }
      URL location = SeamwatchPremain.class.getProtectionDomain().getCodeSource().getLocation();
      JarFile jar = new JarFile(new File(location.toURI()), false);
      ClassLoader agentLoader =
          new AgentClassLoader(jar, location, ClassLoader.getPlatformClassLoader());
      try {
        Class.forName("dev.seamwatch.agent.BootstrapInjection", true, agentLoader)
            .getMethod("inject", Instrumentation.class, JarFile.class)
            .invoke(null, inst, jar);
      } catch (Throwable injectionFailed) {
        // Works everywhere, at the price of a JVM warning and of class data sharing for the
        // application's classes (see BootstrapInjection).
        inst.appendToBootstrapClassLoaderSearch(jar);
      }
      Class<?> starter = Class.forName("dev.seamwatch.agent.AgentStarter", true, agentLoader);
      starter
          .getMethod("start", Instrumentation.class, String.class, long.class)
          .invoke(null, inst, args, startNanos);
    } catch (Throwable t) {
      Throwable cause =
          t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
              ? t.getCause()
              : t;
      System.err.println(
          "[seamwatch] agent not started, the application runs without it: " + cause);
    }
  }

  /**
   * The jar's {@code Main-Class}: {@code java -jar seamwatch-agent.jar diff old.json new.json}. The
   * command lives with the rest of the agent, hidden under {@code inst/}, so it runs in the agent's
   * class loader, created as premain creates it (here, in a visible class, because the layout
   * allows no other). Exits with the command's status: 0 same, 1 different, 2 trouble.
   */
  public static void main(String[] args) {
    int status;
    try {
      URL location = SeamwatchPremain.class.getProtectionDomain().getCodeSource().getLocation();
      JarFile jar = new JarFile(new File(location.toURI()), false);
      ClassLoader agentLoader =
          new AgentClassLoader(jar, location, ClassLoader.getPlatformClassLoader());
      Object result =
          Class.forName("dev.seamwatch.agent.report.DiffCommand", true, agentLoader)
              .getMethod(
                  "run", String[].class, java.io.PrintStream.class, java.io.PrintStream.class)
              .invoke(null, args, System.out, System.err);
      status = (Integer) result;
    } catch (Throwable t) {
      Throwable cause =
          t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
              ? t.getCause()
              : t;
      System.err.println(
          "[seamwatch] the command runs from seamwatch-agent.jar (java -jar"
              + " seamwatch-agent.jar diff old.json new.json), and could not start: "
              + cause);
      status = 2;
    }
    System.exit(status);
  }

  /** {@code seamwatch.enabled} (or {@code SEAMWATCH_ENABLED}), true unless set to false. */
  private static boolean enabled() {
    String value = System.getProperty("seamwatch.enabled");
    if (value == null) {
      value = System.getenv("SEAMWATCH_ENABLED");
    }
    if (value == null || value.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (value.trim().equalsIgnoreCase("false")) {
      return false;
    }
    System.err.println(
        "[seamwatch] seamwatch.enabled="
            + value
            + " is not true or false; using the default, true");
    return true;
  }
}
