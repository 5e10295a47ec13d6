package dev.seamwatch.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a real application in a child JVM, with or without the packaged Seamwatch agent. */
public final class ChildJvm {
  private static final String SEAMWATCH_PREFIX = "[seamwatch]";

  private ChildJvm() {}

  public static Builder builder() {
    return new Builder();
  }

  /** The packaged agent jar, from the system property seamwatch.agent.jar. */
  public static Path agentJar() {
    return existingFile("seamwatch.agent.jar", "the packaged agent jar");
  }

  /**
   * The OpenTelemetry Java agent jar, for runs with another agent attached beside Seamwatch; from
   * the system property seamwatch.otel.javaagent.jar.
   */
  public static Path otelJavaagentJar() {
    return existingFile("seamwatch.otel.javaagent.jar", "the OpenTelemetry Java agent jar");
  }

  /** The test applications jar, from the system property seamwatch.apps.jar. */
  public static String appsJar() {
    return existingFile("seamwatch.apps.jar", "the test applications jar").toString();
  }

  /**
   * Runs {@code java <args>} on the applications' JDK (for example {@code -jar agent.jar diff}).
   */
  public static Result java(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Jdks.child().resolve("bin").resolve("java").toString());
    command.addAll(List.of(args));
    return ChildProcess.run(command, Map.of(), timeout);
  }

  /** The test applications jar, then its dependencies (H2, HikariCP). */
  public static List<String> appsClasspath() {
    return appClasspath("seamwatch.apps", "the test applications");
  }

  /** The application that bundles its own OpenTelemetry: its jar, then its dependencies. */
  public static List<String> bundledAppClasspath() {
    return appClasspath("seamwatch.bundled", "the bundled-otel app");
  }

  /** The application using HTTP client libraries: its jar, then its dependencies. */
  public static List<String> httpClientsAppClasspath() {
    return appClasspath("seamwatch.httpclients", "the http-clients app");
  }

  /**
   * The same application on OkHttp 5 instead of 4: the file its pom-only module writes lists the
   * app's jar and every dependency.
   */
  public static List<String> okHttp5AppClasspath() {
    return classpathFile("seamwatch.okhttp5.classpath.file", "the OkHttp 5 classpath");
  }

  /** The messaging application (Kafka producer and consumer): its jar, then its dependencies. */
  public static List<String> messagingAppClasspath() {
    return appClasspath("seamwatch.messaging", "the messaging app");
  }

  /** The messaging application on kafka-clients 3.3, the oldest supported. */
  public static List<String> kafka3AppClasspath() {
    return classpathFile("seamwatch.kafka3.classpath.file", "the kafka-clients 3 classpath");
  }

  /** The messaging application on Artemis's javax.jms client instead of its jakarta one. */
  public static List<String> javaxJmsAppClasspath() {
    return classpathFile("seamwatch.jms.javax.classpath.file", "the javax.jms classpath");
  }

  /** The same application on the oldest client versions Seamwatch supports. */
  public static List<String> oldestHttpClientsClasspath() {
    return classpathFile("seamwatch.oldest.classpath.file", "the oldest clients' classpath");
  }

  /** The same application on client versions Seamwatch does not support. */
  public static List<String> unsupportedHttpClientsClasspath() {
    return classpathFile(
        "seamwatch.unsupported.classpath.file", "the unsupported clients' classpath");
  }

  /**
   * A test application with dependencies of its own: the jar named by {@code <property>.jar}, then
   * the entries of the file named by {@code <property>.classpath.file}, which the app's module
   * writes with {@code dependency:build-classpath}.
   */
  public static List<String> appClasspath(String property, String what) {
    List<String> classpath = new ArrayList<>();
    classpath.add(existingFile(property + ".jar", what + " jar").toString());
    classpath.addAll(classpathFile(property + ".classpath.file", what + " classpath"));
    return classpath;
  }

  static List<String> classpathFile(String property, String what) {
    List<String> classpath = new ArrayList<>();
    Path listFile = existingFile(property, what);
    try {
      String entries = Files.readString(listFile, StandardCharsets.UTF_8).trim();
      Arrays.stream(entries.split(File.pathSeparator))
          .map(String::trim)
          .filter(entry -> !entry.isEmpty())
          .forEach(classpath::add);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + listFile, e);
    }
    return classpath;
  }

  static Path existingFile(String property, String what) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new AssertionError(
          "system property " + property + " (" + what + ") is not set; run the tests with mvn");
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      throw new AssertionError(
          what + " not found at " + path + " (" + property + "); run mvn package first");
    }
    return path;
  }

  /** Describes one child JVM; {@link #run()} starts it and waits for it to exit. */
  public static final class Builder {
    private Path javaHome = Jdks.child();
    private final List<String> agents = new ArrayList<>();
    private boolean noAgent;
    private final List<String> classpath = new ArrayList<>();
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> sysProps = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {}

    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /** Adds a -javaagent; calling it twice passes the jar twice, as a misconfigured host might. */
    public Builder agent(Path jar) {
      agents.add("-javaagent:" + jar);
      return this;
    }

    public Builder agent(Path jar, String options) {
      agents.add("-javaagent:" + jar + "=" + options);
      return this;
    }

    /** Says explicitly that this run is the baseline without the agent. */
    public Builder noAgent() {
      this.noAgent = true;
      return this;
    }

    public Builder classpath(String... entries) {
      return classpath(List.of(entries));
    }

    public Builder classpath(List<String> entries) {
      classpath.addAll(entries);
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    public Builder sysProp(String key, String value) {
      sysProps.put(key, value);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Runs the child to completion; throws an AssertionError if it outlives the timeout. */
    public Result run() {
      return ChildProcess.run(command(), Map.copyOf(env), timeout);
    }

    private List<String> command() {
      if (mainClass == null) {
        throw new IllegalStateException("mainClass(...) is required");
      }
      // Forcing the choice keeps a forgotten agent(...) from passing as a baseline run.
      if (noAgent != agents.isEmpty()) {
        throw new IllegalStateException("call either agent(...) or noAgent(), not both or neither");
      }
      List<String> command = new ArrayList<>();
      command.add(javaHome.resolve("bin").resolve("java").toString());
      command.addAll(jvmArgs);
      command.addAll(agents);
      sysProps.forEach((key, value) -> command.add("-D" + key + "=" + value));
      if (!classpath.isEmpty()) {
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
      }
      command.add(mainClass);
      command.addAll(args);
      return command;
    }
  }

  /** How a child JVM ended and what it wrote. */
  public record Result(
      List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public List<String> stdoutLines() {
      return stdout.lines().toList();
    }

    public List<String> stderrLines() {
      return stderr.lines().toList();
    }

    /** What the agent's own logger wrote. */
    public List<String> seamwatchLines() {
      return stderr.lines().filter(line -> line.startsWith(SEAMWATCH_PREFIX)).toList();
    }

    /** Everything else on stderr: the application's and the JVM's own lines. */
    public List<String> appStderrLines() {
      return stderr.lines().filter(line -> !line.startsWith(SEAMWATCH_PREFIX)).toList();
    }

    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("child JVM failed\n" + this);
      }
      return this;
    }

    /** Everything a failure message needs: the command, how it ended and both streams. */
    @Override
    public String toString() {
      return "exit code "
          + exitCode
          + " after "
          + elapsed.toMillis()
          + " ms\ncommand: "
          + String.join(" ", command)
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }
}
