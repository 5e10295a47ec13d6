package dev.seamwatch.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@link KafkaBroker}, {@link RabbitMqServer} and {@link ArtemisBroker} share: long-running
 * child processes with their output in a file, stopped by pid, and a shutdown hook so that no
 * broker outlives the test JVM. Files and logs are handled as {@link DatabaseServers} does.
 */
public final class Brokers {
  /**
   * A log4j2 configuration for the brokers' JVMs: INFO to the console, which goes to the broker's
   * log file. Without one log4j2 prints errors only, and a failed start would say nothing.
   */
  static final String LOG4J2_CONSOLE =
      String.join(
          "\n",
          "rootLogger.level=INFO",
          "rootLogger.appenderRef.console.ref=console",
          "appender.console.type=Console",
          "appender.console.name=console",
          "appender.console.layout.type=PatternLayout",
          "appender.console.layout.pattern=%d{HH:mm:ss.SSS} %p [%c{1}] %m%n",
          "");

  private static final Set<AutoCloseable> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    // A failing or aborted test run must not leave brokers behind.
    Runtime.getRuntime().addShutdownHook(new Thread(Brokers::closeAll, "broker-reaper"));
  }

  private Brokers() {}

  /** A new directory under /tmp for one broker's configuration, data and logs. */
  static Path tempDir(String prefix) {
    try {
      Path tmp = Path.of("/tmp");
      return Files.isDirectory(tmp)
          ? Files.createTempDirectory(tmp, prefix)
          : Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * {@code java} of the JDK running the tests, on the classpath listed by the file that {@code
   * classpathProperty} names (a broker module's dependency:build-classpath output).
   */
  static List<String> javaCommand(
      String classpathProperty, String what, List<String> jvmOptions, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Jdks.current().resolve("bin").resolve("java").toString());
    // Brokers here live for seconds: the C1 compiler alone and a serial collector start them
    // noticeably faster on two cores.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, ChildJvm.classpathFile(classpathProperty, what)));
    command.add(mainClass);
    return command;
  }

  /**
   * Starts a long-running process with stdout and stderr in {@code output} and no stdin. Settings
   * inherited from whoever runs the build (JAVA_TOOL_OPTIONS, a CLASSPATH, the broker's own
   * variables) would silently change the broker, so the variables with {@code scrubbedPrefixes} are
   * dropped before {@code env} is added.
   */
  static Process start(
      List<String> command, Map<String, String> env, List<String> scrubbedPrefixes, Path output) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder
        .environment()
        .keySet()
        .removeIf(
            key ->
                key.equals("JAVA_TOOL_OPTIONS")
                    || key.equals("JDK_JAVA_OPTIONS")
                    || key.equals("_JAVA_OPTIONS")
                    || key.equals("CLASSPATH")
                    || scrubbedPrefixes.stream().anyMatch(key::startsWith));
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  /** Fails, with the log's tail, if a process that should be serving has exited. */
  static void assertAlive(Process process, String what, Path log) {
    if (!process.isAlive()) {
      throw new AssertionError(
          what
              + " exited with code "
              + process.exitValue()
              + " while starting\n"
              + DatabaseServers.tail(log));
    }
  }

  /**
   * Stops a process and its descendants: SIGTERM to {@code target} (the broker's own orderly
   * shutdown), SIGKILL to everything still alive after {@code grace}. Handles carry their start
   * time, so a reused pid is never signalled.
   */
  static void stop(ProcessHandle target, Duration grace, String what) {
    if (target == null) {
      return;
    }
    List<ProcessHandle> descendants = target.descendants().toList();
    if (target.isAlive()) {
      target.destroy();
      if (!exited(target, grace)) {
        System.err.println("[harness] " + what + " ignored SIGTERM for " + grace + ", killing it");
      }
    }
    // Helpers of the broker (Erlang's port programs) die with it; make sure of it, by pid.
    target.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : concat(target, descendants)) {
      if (!exited(process, Duration.ofSeconds(10))) {
        System.err.println("[harness] " + what + ": pid " + process.pid() + " did not exit");
      }
    }
  }

  /**
   * Whether a process still runs. Unlike {@link ProcessHandle#isAlive()}, a zombie does not count:
   * a broker's helper that outlives it is handed to init, which may reap it only later.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // "pid (command) state ...": the command may hold spaces and parentheses.
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return process.isAlive();
    }
  }

  private static boolean exited(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(process)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        process.onExit().get(20, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // A zombie never completes onExit; isRunning tells.
      } catch (Exception e) {
        return !isRunning(process);
      }
    }
    return true;
  }

  private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  // ---- lifetime ----

  static void closeOnExit(AutoCloseable broker) {
    RUNNING.add(broker);
  }

  static void forget(AutoCloseable broker) {
    RUNNING.remove(broker);
  }

  private static void closeAll() {
    for (AutoCloseable broker : RUNNING) {
      try {
        broker.close();
      } catch (Exception | AssertionError e) {
        System.err.println("[harness] cannot stop " + broker + ": " + e);
      }
    }
  }
}
