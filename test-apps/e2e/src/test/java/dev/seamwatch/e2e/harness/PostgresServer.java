package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (the Debian package's binaries), started as the {@code postgres} user in
 * a temporary directory, listening on 127.0.0.1 only, with trust authentication for the user {@code
 * test} and a database {@code test}. Installs nothing: test-apps/bin/run-tests does.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String SYSTEM_USER = "postgres";
  private static final String DRIVER = "org.postgresql.Driver";
  private static final Path PACKAGE_ROOT = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path dir;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Taken at start: a handle keeps its start time, so a reused pid is never killed. */
  private volatile ProcessHandle postmaster;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Creates a cluster, starts it and waits until database {@code test} takes connections. */
  public static PostgresServer start() {
    Path bin = binDir();
    PostgresServer server =
        new PostgresServer(
            bin, DatabaseServers.tempDirOwnedBy("seamwatch-pg-", SYSTEM_USER), Ports.freePort());
    DatabaseServers.closeOnExit(server);
    try {
      server.initAndStart();
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void initAndStart() {
    DatabaseServers.execOk(
        DatabaseServers.asUser(
            SYSTEM_USER,
            bin.resolve("initdb").toString(),
            "-D",
            data().toString(),
            "-U",
            user(),
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync"),
        null,
        "initdb");
    DatabaseServers.execOk(
        DatabaseServers.asUser(
            SYSTEM_USER,
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-l",
            log().toString(),
            "-w",
            "-t",
            String.valueOf(DatabaseServers.START_TIMEOUT.toSeconds()),
            "-o",
            "-c listen_addresses=127.0.0.1 -p "
                + port
                + " -k "
                + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start"),
        log(),
        "pg_ctl start (port " + port + ")");
    postmaster = postmasterHandle();
    // pg_ctl -w has waited for the server; the connection proves it serves JDBC over TCP.
    String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    DatabaseServers.awaitJdbc(DRIVER, admin, user(), password(), log(), "PostgreSQL");
    try (Connection connection = DatabaseServers.connect(DRIVER, admin, user(), password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE test");
    } catch (SQLException e) {
      throw new AssertionError("cannot create database test\n" + DatabaseServers.tail(log()), e);
    }
    DatabaseServers.awaitJdbc(DRIVER, jdbcUrl(), user(), password(), log(), "PostgreSQL");
  }

  /** The newest installed major version's bin directory; fails if PostgreSQL is not installed. */
  private static Path binDir() {
    if (Files.isDirectory(PACKAGE_ROOT)) {
      try (Stream<Path> versions = Files.list(PACKAGE_ROOT)) {
        Optional<Path> newest =
            versions
                .filter(version -> version.getFileName().toString().matches("\\d+"))
                .filter(version -> Files.isExecutable(version.resolve("bin/initdb")))
                .filter(version -> Files.isExecutable(version.resolve("bin/pg_ctl")))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        throw new AssertionError("cannot list " + PACKAGE_ROOT, e);
      }
    }
    throw new AssertionError(
        "PostgreSQL is not installed: run test-apps/bin/run-tests, which apt-gets postgresql"
            + " (no "
            + PACKAGE_ROOT
            + "/<version>/bin/initdb)");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/test";
  }

  public String user() {
    return "test";
  }

  /** Trust authentication: any password is accepted; this one is what the tests pass. */
  public String password() {
    return "test";
  }

  public int port() {
    return port;
  }

  /** The server's log file, for failure messages. */
  public Path log() {
    return dir.resolve("pg.log");
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** The postmaster, from the first line of postmaster.pid; null if there is none. */
  private ProcessHandle postmasterHandle() {
    try {
      List<String> lines =
          Files.readAllLines(data().resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty()
          ? null
          : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
              // A stale file's pid may belong to some other process by now.
              .filter(handle -> handle.info().command().orElse("").endsWith("/postgres"))
              .orElse(null);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Stops the server (fast shutdown, then SIGKILL if it lingers) and deletes its directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (Files.exists(data().resolve("postmaster.pid"))) {
        if (postmaster == null) {
          postmaster = postmasterHandle();
        }
        DatabaseServers.Exec stop =
            DatabaseServers.exec(
                DatabaseServers.asUser(
                    SYSTEM_USER,
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    data().toString(),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    "20",
                    "stop"),
                Duration.ofSeconds(30));
        if (!stop.ok()) {
          System.err.println("[harness] pg_ctl stop failed, killing the server:\n" + stop);
          killIfAlive(postmaster);
        }
      } else {
        killIfAlive(postmaster);
      }
    } finally {
      DatabaseServers.deleteTree(dir);
      DatabaseServers.forget(this);
    }
  }

  private static void killIfAlive(ProcessHandle postmaster) {
    if (postmaster == null || !postmaster.isAlive()) {
      return;
    }
    // Its backends are its children; killing the postmaster first would orphan them.
    postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
    postmaster.destroyForcibly();
    try {
      postmaster.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("[harness] PostgreSQL pid " + postmaster.pid() + " did not exit: " + e);
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL on 127.0.0.1:" + port + " in " + dir;
  }
}
