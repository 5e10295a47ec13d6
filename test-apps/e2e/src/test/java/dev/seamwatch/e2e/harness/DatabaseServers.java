package dev.seamwatch.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link PostgresServer} and {@link MariaDbServer} share: running their command-line tools,
 * temporary directories owned by the database's system user, JDBC connections through the drivers
 * of the JDBC test application, and a shutdown hook so that no server outlives the test JVM.
 */
public final class DatabaseServers {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final Set<AutoCloseable> RUNNING = ConcurrentHashMap.newKeySet();
  private static volatile ClassLoader driverLoader;

  static {
    // A failing or aborted test run must not leave database servers behind.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(DatabaseServers::closeAll, "database-server-reaper"));
  }

  private DatabaseServers() {}

  /**
   * The JDBC test application's classpath: its jar, then its drivers and pool, from the system
   * properties seamwatch.jdbc.jar and seamwatch.jdbc.classpath.file.
   */
  public static List<String> jdbcAppClasspath() {
    return ChildJvm.appClasspath("seamwatch.jdbc", "the jdbc-app");
  }

  // ---- JDBC, with the application's own drivers (the harness has none on its classpath) ----

  /** Opens a connection with the driver class the JDBC test application ships. */
  static Connection connect(String driverClass, String url, String user, String password)
      throws SQLException {
    Driver driver;
    try {
      driver =
          (Driver)
              Class.forName(driverClass, true, driverLoader())
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot load JDBC driver " + driverClass, e);
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    Connection connection = driver.connect(url, properties);
    if (connection == null) {
      throw new AssertionError(driverClass + " does not accept " + url);
    }
    return connection;
  }

  private static ClassLoader driverLoader() {
    ClassLoader loader = driverLoader;
    if (loader == null) {
      synchronized (DatabaseServers.class) {
        loader = driverLoader;
        if (loader == null) {
          List<URL> urls = new ArrayList<>();
          for (String entry : jdbcAppClasspath()) {
            try {
              urls.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
              throw new AssertionError("bad classpath entry " + entry, e);
            }
          }
          loader =
              new URLClassLoader(
                  "jdbc-drivers", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
          driverLoader = loader;
        }
      }
    }
    return loader;
  }

  /** Polls until a JDBC connection succeeds and a trivial query runs, or fails with the log. */
  static void awaitJdbc(
      String driverClass, String url, String user, String password, Path log, String what) {
    SQLException[] last = new SQLException[1];
    Await.until(
        () -> {
          try (Connection connection = connect(driverClass, url, user, password)) {
            connection.createStatement().execute("SELECT 1");
            return Boolean.TRUE;
          } catch (SQLException e) {
            last[0] = e;
            return null;
          }
        },
        START_TIMEOUT,
        () ->
            what
                + " accepted no JDBC connection to "
                + url
                + " within "
                + START_TIMEOUT
                + "; last error: "
                + last[0]
                + "\n"
                + tail(log));
  }

  // ---- commands ----

  /** How a command ended: its exit code and its stdout and stderr, interleaved. */
  record Exec(List<String> command, int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + "\nexit code " + exitCode + "\n" + output;
    }
  }

  /**
   * Runs a command to completion. Output goes to a file rather than a pipe: a server that a tool
   * starts in the background (pg_ctl) would otherwise hold the pipe open.
   */
  static Exec exec(List<String> command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("seamwatch-exec-", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (!exited) {
        throw new AssertionError(
            "still running after "
                + timeout
                + ", killed: "
                + String.join(" ", command)
                + "\n"
                + text);
      }
      return new Exec(List.copyOf(command), process.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A leftover log file in the temp directory is harmless.
        }
      }
    }
  }

  /** Runs a command and fails with its output, and the server log's tail, unless it exits 0. */
  static Exec execOk(List<String> command, Path log, String what) {
    Exec result = exec(command, COMMAND_TIMEOUT);
    if (!result.ok()) {
      throw new AssertionError(
          what + " failed:\n" + result + (log == null ? "" : "\n" + tail(log)));
    }
    return result;
  }

  /**
   * The command as {@code user}: through runuser when the tests run as root (the database tools
   * refuse to run as root), as is otherwise.
   */
  static List<String> asUser(String user, String... command) {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", user, "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  static boolean runningAsRoot() {
    return ROOT;
  }

  // ---- files ----

  /**
   * A new directory under /tmp (short enough for Unix socket paths, and reachable by the database
   * user), owned by {@code user} when the tests run as root.
   */
  static Path tempDirOwnedBy(String prefix, String user) {
    try {
      Path base = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : null;
      Path dir =
          base == null
              ? Files.createTempDirectory(prefix)
              : Files.createTempDirectory(base, prefix);
      if (ROOT) {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        try {
          view.setOwner(users.lookupPrincipalByName(user));
          view.setGroup(users.lookupPrincipalByGroupName(user));
        } catch (IOException e) {
          deleteTree(dir);
          throw new AssertionError(
              "cannot hand " + dir + " to the system user " + user + " (is the package installed?)",
              e);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("[harness] cannot delete " + dir + ": " + e);
    }
  }

  /** The last lines of a server log, for failure messages. */
  static String tail(Path log) {
    if (log == null || !Files.isRegularFile(log)) {
      return "(no log at " + log + ")";
    }
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - 40);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(from, lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The first existing executable among the candidates, or null. */
  static Path firstExecutable(String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }

  // ---- lifetime ----

  static void closeOnExit(AutoCloseable server) {
    RUNNING.add(server);
  }

  static void forget(AutoCloseable server) {
    RUNNING.remove(server);
  }

  private static void closeAll() {
    for (AutoCloseable server : RUNNING) {
      try {
        server.close();
      } catch (Exception | AssertionError e) {
        System.err.println("[harness] cannot stop " + server + ": " + e);
      }
    }
  }
}
