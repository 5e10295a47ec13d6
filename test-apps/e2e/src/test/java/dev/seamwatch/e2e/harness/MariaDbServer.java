package dev.seamwatch.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real MariaDB server (the Debian package's mariadbd), started in a temporary directory owned by
 * the {@code mysql} user, listening on 127.0.0.1 only, with a user {@code test}/{@code test} that
 * has every right on the database {@code test}. Installs nothing: test-apps/bin/run-tests does.
 */
public final class MariaDbServer implements AutoCloseable {
  private static final String SYSTEM_USER = "mysql";
  private static final String DRIVER = "org.mariadb.jdbc.Driver";
  private static final String NOT_INSTALLED =
      "MariaDB is not installed: run test-apps/bin/run-tests, which apt-gets mariadb-server";

  /** Small InnoDB files: the data directory is 26 MB instead of 114 MB, and is made faster. */
  private static final List<String> SMALL_INNODB =
      List.of("--innodb-buffer-pool-size=64M", "--innodb-log-file-size=8M");

  private final Tools tools;
  private final Path dir;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Process mariadbd;

  private MariaDbServer(Tools tools, Path dir, int port) {
    this.tools = tools;
    this.dir = dir;
    this.port = port;
  }

  /** Creates the data directory, starts mariadbd and waits until user test can connect. */
  public static MariaDbServer start() {
    Tools tools = Tools.find();
    MariaDbServer server =
        new MariaDbServer(
            tools,
            DatabaseServers.tempDirOwnedBy("seamwatch-mariadb-", SYSTEM_USER),
            Ports.freePort());
    DatabaseServers.closeOnExit(server);
    try {
      server.installAndStart();
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void installAndStart() {
    List<String> install = new ArrayList<>();
    install.add(tools.installDb.toString());
    install.add("--no-defaults");
    if (DatabaseServers.runningAsRoot()) {
      install.add("--user=" + SYSTEM_USER);
    }
    install.add("--datadir=" + data());
    install.add("--auth-root-authentication-method=normal");
    install.add("--skip-test-db");
    install.add("--skip-name-resolve");
    install.addAll(SMALL_INNODB);
    DatabaseServers.execOk(install, null, "mariadb-install-db");

    List<String> command = new ArrayList<>();
    command.add(tools.mariadbd.toString());
    command.add("--no-defaults");
    if (DatabaseServers.runningAsRoot()) {
      command.add("--user=" + SYSTEM_USER);
    }
    command.add("--datadir=" + data());
    command.add("--socket=" + socket());
    command.add("--pid-file=" + dir.resolve("mysqld.pid"));
    command.add("--port=" + port);
    command.add("--bind-address=127.0.0.1");
    command.add("--skip-name-resolve");
    command.addAll(SMALL_INNODB);
    command.add("--log-error=" + log());
    try {
      mariadbd =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mariadbd.out").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }

    // Root logs in through the socket only; it creates the TCP user there, once the server is up.
    Await.until(
        () -> {
          if (!mariadbd.isAlive()) {
            throw new AssertionError(
                "mariadbd exited with code "
                    + mariadbd.exitValue()
                    + " (port "
                    + port
                    + ")\n"
                    + DatabaseServers.tail(log()));
          }
          return Files.exists(socket())
                  && DatabaseServers.exec(rootSql("SELECT 1"), Duration.ofSeconds(10)).ok()
              ? Boolean.TRUE
              : null;
        },
        DatabaseServers.START_TIMEOUT,
        () ->
            "mariadbd did not accept root on "
                + socket()
                + " within "
                + DatabaseServers.START_TIMEOUT
                + "\n"
                + DatabaseServers.tail(log()));
    DatabaseServers.execOk(
        rootSql(
            "CREATE DATABASE test; "
                + "CREATE USER 'test'@'127.0.0.1' IDENTIFIED BY 'test'; "
                + "GRANT ALL PRIVILEGES ON test.* TO 'test'@'127.0.0.1';"),
        log(),
        "creating user test");
    DatabaseServers.awaitJdbc(DRIVER, jdbcUrl(), user(), password(), log(), "MariaDB");
  }

  private List<String> rootSql(String sql) {
    return List.of(
        tools.client.toString(),
        "--no-defaults",
        "--socket=" + socket(),
        "--user=root",
        "--batch",
        "-e",
        sql);
  }

  public String jdbcUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/test";
  }

  public String user() {
    return "test";
  }

  public String password() {
    return "test";
  }

  public int port() {
    return port;
  }

  /** The server's error log, for failure messages. */
  public Path log() {
    return dir.resolve("err.log");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path socket() {
    return dir.resolve("mysqld.sock");
  }

  /**
   * Shuts the server down (SIGTERM, mariadbd's normal shutdown; SIGKILL if it lingers) and deletes
   * its files. mariadb-admin shutdown would do the same but polls for the pid file once a second.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Process process = mariadbd;
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!waitFor(process, 20)) {
          System.err.println("[harness] mariadbd ignored SIGTERM for 20 s, killing it");
          process.destroyForcibly();
          waitFor(process, 10);
        }
      }
    } finally {
      DatabaseServers.deleteTree(dir);
      DatabaseServers.forget(this);
    }
  }

  private static boolean waitFor(Process process, int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "MariaDB on 127.0.0.1:" + port + " in " + dir;
  }

  /** The package's programs; fails with how to install them if one is missing. */
  private static final class Tools {
    final Path mariadbd;
    final Path installDb;
    final Path client;

    private Tools(Path mariadbd, Path installDb, Path client) {
      this.mariadbd = mariadbd;
      this.installDb = installDb;
      this.client = client;
    }

    static Tools find() {
      Path mariadbd = required("mariadbd", "/usr/sbin/mariadbd", "/usr/bin/mariadbd");
      Path installDb =
          required(
              "mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/sbin/mariadb-install-db");
      Path client = required("mariadb", "/usr/bin/mariadb");
      return new Tools(mariadbd, installDb, client);
    }

    private static Path required(String name, String... candidates) {
      Path path = DatabaseServers.firstExecutable(candidates);
      if (path == null) {
        throw new AssertionError(
            NOT_INSTALLED + " (no " + name + " at " + List.of(candidates) + ")");
      }
      return path;
    }
  }
}
