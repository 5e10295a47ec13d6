package dev.seamwatch.e2e.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (4.x, KRaft: one node that is both broker and controller) in a child JVM, on
 * the classpath the kafka-broker module resolves from Maven Central, listening on 127.0.0.1 only. A
 * separate process rather than Kafka's in-process test kit, which is an internal API: the tests
 * then see the broker an application would. Ready means an Admin client got the cluster's brokers
 * back, never that some time has passed.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String CLASSPATH_PROPERTY = "seamwatch.kafka.broker.classpath.file";
  private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Process process;
  private volatile Admin admin;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a new log directory, starts the broker and waits until it serves metadata. */
  public static KafkaBroker start() {
    KafkaBroker broker =
        new KafkaBroker(Brokers.tempDir("seamwatch-kafka-"), Ports.freePort(), Ports.freePort());
    Brokers.closeOnExit(broker);
    try {
      broker.formatAndStart();
      return broker;
    } catch (RuntimeException | Error e) {
      broker.close();
      throw e;
    }
  }

  /** A bootstrap address on 127.0.0.1 where a connection is refused right now. */
  public static String refusedBootstrapServers() {
    return Loopback.HOST + ":" + Ports.refusedPort();
  }

  private void formatAndStart() {
    Brokers.write(dir.resolve("server.properties"), serverProperties());
    Brokers.write(dir.resolve("log4j2.properties"), Brokers.LOG4J2_CONSOLE);
    List<String> jvm =
        List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));

    List<String> format =
        Brokers.javaCommand(CLASSPATH_PROPERTY, "the Kafka broker classpath", jvm, STORAGE_TOOL);
    format.addAll(
        List.of(
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            dir.resolve("server.properties").toString()));
    DatabaseServers.execOk(format, null, "formatting the Kafka log directory " + data());

    List<String> command =
        Brokers.javaCommand(CLASSPATH_PROPERTY, "the Kafka broker classpath", jvm, "kafka.Kafka");
    command.add(dir.resolve("server.properties").toString());
    process = Brokers.start(command, Map.of(), List.of("KAFKA_"), log());

    Properties settings = new Properties();
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    settings.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    settings.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    admin = Admin.create(settings);
    Throwable[] last = new Throwable[1];
    Await.until(
        () -> {
          Brokers.assertAlive(process, "the Kafka broker (port " + port + ")", log());
          try {
            return admin
                    .describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) CALL_TIMEOUT.toMillis()))
                    .nodes()
                    .get()
                    .isEmpty()
                ? null
                : Boolean.TRUE;
          } catch (ExecutionException e) {
            last[0] = e.getCause();
            return null;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for Kafka", e);
          }
        },
        START_TIMEOUT,
        () ->
            "the Kafka broker on "
                + bootstrapServers()
                + " listed no broker to an Admin client within "
                + START_TIMEOUT
                + "; last error: "
                + last[0]
                + "\n"
                + DatabaseServers.tail(log()));
  }

  private String serverProperties() {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data(),
        // One node: every internal topic must make do with one replica.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        // A consumer group's first join would otherwise wait for 50 offsets partitions and 3 s.
        "offsets.topic.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  /** {@code host:port} for the clients' bootstrap.servers. */
  public String bootstrapServers() {
    return Loopback.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  /** Every port the broker listens on (clients, then the controller), for loopback checks. */
  public List<Integer> ports() {
    return List.of(port, controllerPort);
  }

  /**
   * Creates a topic with one replica and waits until every partition has a leader, so that a
   * producer's first send does not race the topic's creation. Fails if the topic already exists.
   */
  public void createTopic(String name, int partitions) {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "cannot create topic " + name + " (" + partitions + " partitions) on " + this, e);
    }
    Await.until(
        () -> {
          try {
            TopicDescription topic =
                admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
            return topic.partitions().size() == partitions
                    && topic.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())
                ? Boolean.TRUE
                : null;
          } catch (ExecutionException e) {
            return null;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for topic " + name, e);
          }
        },
        TOPIC_TIMEOUT,
        () -> "topic " + name + " has no leader for every partition within " + TOPIC_TIMEOUT);
  }

  /** The broker's log (stdout and stderr of its JVM), for failure messages. */
  public Path log() {
    return dir.resolve("kafka.log");
  }

  /** The broker's JVM; empty before it started. */
  public List<ProcessHandle> processes() {
    Process running = process;
    return running == null ? List.of() : List.of(running.toHandle());
  }

  private Path data() {
    return dir.resolve("data");
  }

  /**
   * Stops the broker (SIGTERM, its controlled shutdown; SIGKILL if it lingers) and deletes its log
   * directory.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Admin client = admin;
      if (client != null) {
        client.close(Duration.ZERO);
      }
      Process running = process;
      if (running != null) {
        Brokers.stop(running.toHandle(), Duration.ofSeconds(20), "the Kafka broker");
      }
    } finally {
      DatabaseServers.deleteTree(dir);
      Brokers.forget(this);
    }
  }

  @Override
  public String toString() {
    return "Kafka on " + bootstrapServers() + " in " + dir;
  }
}
