package dev.seamwatch.e2e.harness;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real RabbitMQ node (the Debian package's server, run directly rather than through the wrapper
 * that switches user and reads /etc), with its own epmd, Erlang cookie, configuration, Mnesia
 * directory and logs in a temporary directory, and every port (AMQP, Erlang distribution, epmd) on
 * 127.0.0.1 only. No plugins. Ready means an AMQP connection as {@code guest} succeeded. Installs
 * nothing: test-apps/bin/run-tests does.
 */
public final class RabbitMqServer implements AutoCloseable {
  private static final String NOT_INSTALLED =
      "RabbitMQ is not installed: run test-apps/bin/run-tests, which apt-gets rabbitmq-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final String NODE = "seamwatch@localhost";

  private final Path dir;
  private final int port;
  private final int distPort;
  private final int epmdPort;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Process epmd;
  private volatile Process server;

  private RabbitMqServer(Path dir, int port, int distPort, int epmdPort) {
    this.dir = dir;
    this.port = port;
    this.distPort = distPort;
    this.epmdPort = epmdPort;
  }

  /** Starts epmd and a RabbitMQ node, and waits until the node takes AMQP connections. */
  public static RabbitMqServer start() {
    Path script = serverScript();
    Path epmd = required("epmd", "/usr/bin/epmd", "/usr/lib/erlang/bin/epmd");
    RabbitMqServer server =
        new RabbitMqServer(
            Brokers.tempDir("seamwatch-rabbitmq-"),
            Ports.freePort(),
            Ports.freePort(),
            Ports.freePort());
    Brokers.closeOnExit(server);
    try {
      server.configureAndStart(script, epmd);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void configureAndStart(Path script, Path epmdBinary) {
    try {
      Files.createDirectories(dir.resolve("home"));
      Files.createDirectories(dir.resolve("mnesia"));
      Files.createDirectories(dir.resolve("log"));
      Path cookie = dir.resolve("home/.erlang.cookie");
      Files.writeString(cookie, randomCookie());
      // Erlang refuses a cookie that others can read.
      Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    Brokers.write(dir.resolve("enabled_plugins"), "[].\n");
    Brokers.write(dir.resolve("rabbitmq-env.conf"), "");
    Brokers.write(dir.resolve("rabbitmq.conf"), "log.file.level = info\n");

    // Our own epmd, so that its pid is ours to stop; the node would otherwise start a shared one.
    epmd =
        Brokers.start(
            List.of(epmdBinary.toString(), "-address", Loopback.HOST, "-port", "" + epmdPort),
            Map.of(),
            List.of("ERL_"),
            dir.resolve("epmd.log"));
    Await.until(
        () -> {
          Brokers.assertAlive(epmd, "epmd (port " + epmdPort + ")", dir.resolve("epmd.log"));
          return accepts(epmdPort) ? Boolean.TRUE : null;
        },
        Duration.ofSeconds(10),
        () -> "epmd did not listen on port " + epmdPort + " within 10 s");

    server =
        Brokers.start(
            List.of(script.toString()),
            environment(),
            List.of("RABBITMQ_", "ERL_"),
            dir.resolve("rabbitmq-server.out"));

    Exception[] last = new Exception[1];
    Await.until(
        () -> {
          if (!server.isAlive()) {
            throw new AssertionError(
                "rabbitmq-server exited with code "
                    + server.exitValue()
                    + " while starting (AMQP port "
                    + port
                    + ")\n"
                    + logs());
          }
          try (Connection connection = connectionFactory().newConnection("seamwatch-readiness")) {
            return connection.isOpen() ? Boolean.TRUE : null;
          } catch (IOException | TimeoutException e) {
            last[0] = e;
            return null;
          }
        },
        START_TIMEOUT,
        () ->
            "RabbitMQ took no AMQP connection on 127.0.0.1:"
                + port
                + " within "
                + START_TIMEOUT
                + "; last error: "
                + last[0]
                + "\n"
                + logs());
  }

  private Map<String, String> environment() {
    return Map.ofEntries(
        Map.entry("HOME", dir.resolve("home").toString()),
        Map.entry("LANG", "C.UTF-8"),
        Map.entry("LC_ALL", "C.UTF-8"),
        Map.entry("RABBITMQ_NODENAME", NODE),
        Map.entry("RABBITMQ_NODE_IP_ADDRESS", Loopback.HOST),
        Map.entry("RABBITMQ_NODE_PORT", "" + port),
        Map.entry("RABBITMQ_DIST_PORT", "" + distPort),
        Map.entry("ERL_EPMD_ADDRESS", Loopback.HOST),
        Map.entry("ERL_EPMD_PORT", "" + epmdPort),
        // Without it the distribution port listens on every interface.
        Map.entry(
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"),
        // Nothing from /etc/rabbitmq or /var/lib/rabbitmq: the node is wholly in our directory.
        Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
        Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
        Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()),
        Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
        Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
        Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
        Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString()));
  }

  /** A client factory for this node, as {@code guest} (allowed from loopback only). */
  public ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(Loopback.HOST);
    factory.setPort(port);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setConnectionTimeout(2_000);
    factory.setHandshakeTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  public String host() {
    return Loopback.HOST;
  }

  public int amqpPort() {
    return port;
  }

  /** {@code amqp://guest:guest@127.0.0.1:<port>}, for clients configured by URI. */
  public String uri() {
    return "amqp://guest:guest@" + Loopback.HOST + ":" + port;
  }

  /** Every port the node listens on (AMQP, Erlang distribution, epmd), for loopback checks. */
  public List<Integer> ports() {
    return List.of(port, distPort, epmdPort);
  }

  /** The node's log, for failure messages. */
  public Path log() {
    return dir.resolve("log").resolve(NODE + ".log");
  }

  /**
   * A failed boot is told on the script's output, the rest in the node's log: both, for failures.
   */
  private String logs() {
    return DatabaseServers.tail(dir.resolve("rabbitmq-server.out"))
        + "\n"
        + DatabaseServers.tail(log());
  }

  /** epmd, the rabbitmq-server script and the node's Erlang VM (beam.smp) with its helpers. */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> processes = new ArrayList<>();
    for (Process process : new Process[] {epmd, server}) {
      if (process != null) {
        processes.add(process.toHandle());
        process.descendants().forEach(processes::add);
      }
    }
    return processes;
  }

  /**
   * Stops the node (SIGTERM to its Erlang VM, which shuts RabbitMQ down in order; SIGKILL if it
   * lingers), then epmd, and deletes the directory.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Process script = server;
      if (script != null) {
        // The script waits for the VM; signalling the VM itself is what stops the node.
        script.children().forEach(vm -> Brokers.stop(vm, Duration.ofSeconds(20), "RabbitMQ"));
        Brokers.stop(script.toHandle(), Duration.ofSeconds(5), "rabbitmq-server");
      }
      Process daemon = epmd;
      if (daemon != null) {
        Brokers.stop(daemon.toHandle(), Duration.ofSeconds(5), "epmd");
      }
    } finally {
      DatabaseServers.deleteTree(dir);
      Brokers.forget(this);
    }
  }

  @Override
  public String toString() {
    return "RabbitMQ on 127.0.0.1:" + port + " in " + dir;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Loopback.HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String randomCookie() {
    SecureRandom random = new SecureRandom();
    StringBuilder cookie = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      cookie.append((char) ('A' + random.nextInt(26)));
    }
    return cookie.toString();
  }

  /**
   * The package's own server script: /usr/lib/rabbitmq/bin/rabbitmq-server, or the versioned one it
   * links to. The one on the PATH (/usr/sbin) switches to the rabbitmq user and its files.
   */
  private static Path serverScript() {
    Path linked = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    if (Files.isExecutable(linked)) {
      return linked;
    }
    Path lib = Path.of("/usr/lib/rabbitmq/lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        return versions
            .map(version -> version.resolve("sbin/rabbitmq-server"))
            .filter(Files::isExecutable)
            .max(Comparator.naturalOrder())
            .orElseThrow(() -> new AssertionError(NOT_INSTALLED + " (no " + linked + ")"));
      } catch (IOException e) {
        throw new AssertionError("cannot list " + lib, e);
      }
    }
    throw new AssertionError(NOT_INSTALLED + " (no " + linked + ")");
  }

  private static Path required(String name, String... candidates) {
    Path path = DatabaseServers.firstExecutable(candidates);
    if (path == null) {
      throw new AssertionError(NOT_INSTALLED + " (no " + name + " at " + List.of(candidates) + ")");
    }
    return path;
  }
}
