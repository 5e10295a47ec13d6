package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A real ActiveMQ Artemis broker in a child JVM, run by the server's own main class on the
 * classpath the artemis-broker module resolves, with one CORE acceptor on 127.0.0.1 (what both the
 * javax.jms and the jakarta.jms clients speak), no persistence and no security. A child JVM rather
 * than an embedded server: the tests' JVM then holds neither the broker's threads nor its Netty,
 * and the broker is stopped by pid like every other peer. Ready means a JMS connection succeeded.
 */
public final class ArtemisBroker implements AutoCloseable {
  private static final String CLASSPATH_PROPERTY = "seamwatch.artemis.broker.classpath.file";
  private static final String JAVAX_CLIENT_PROPERTY = "seamwatch.artemis.javax.client.jar";
  private static final String MAIN = "org.apache.activemq.artemis.core.server.embedded.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static volatile ClassLoader javaxClientLoader;

  private final Path dir;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Process process;

  private ArtemisBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Writes etc/broker.xml, starts the broker and waits until it takes a JMS connection. */
  public static ArtemisBroker start() {
    ArtemisBroker broker =
        new ArtemisBroker(Brokers.tempDir("seamwatch-artemis-"), Ports.freePort());
    Brokers.closeOnExit(broker);
    try {
      broker.configureAndStart();
      return broker;
    } catch (RuntimeException | Error e) {
      broker.close();
      throw e;
    }
  }

  /** A broker URL on 127.0.0.1 where a connection is refused right now. */
  public static String refusedBrokerUrl() {
    return "tcp://" + Loopback.HOST + ":" + Ports.refusedPort();
  }

  private void configureAndStart() {
    try {
      Files.createDirectories(dir.resolve("etc"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir.resolve("etc"), e);
    }
    // The main class reads <dir>/etc/broker.xml and keeps its data under <dir>/data.
    Brokers.write(dir.resolve("etc/broker.xml"), brokerXml());
    Brokers.write(dir.resolve("log4j2.properties"), Brokers.LOG4J2_CONSOLE);
    List<String> command =
        Brokers.javaCommand(
            CLASSPATH_PROPERTY,
            "the Artemis broker classpath",
            List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties")),
            MAIN);
    command.add(dir.toString());
    process = Brokers.start(command, Map.of(), List.of("ARTEMIS_"), log());

    Exception[] last = new Exception[1];
    Await.until(
        () -> {
          Brokers.assertAlive(process, "the Artemis broker (port " + port + ")", log());
          // A bounded handshake: on a port some other program holds, the probe would otherwise wait
          // 30 s for an answer.
          try (ActiveMQConnectionFactory factory =
                  new ActiveMQConnectionFactory(brokerUrl() + "?callTimeout=2000");
              jakarta.jms.Connection connection = factory.createConnection()) {
            return Boolean.TRUE;
          } catch (jakarta.jms.JMSException e) {
            last[0] = e;
            return null;
          }
        },
        START_TIMEOUT,
        () ->
            "the Artemis broker took no JMS connection on "
                + brokerUrl()
                + " within "
                + START_TIMEOUT
                + "; last error: "
                + last[0]
                + "\n"
                + DatabaseServers.tail(log()));
  }

  private String brokerXml() {
    return String.join(
        "\n",
        "<configuration xmlns=\"urn:activemq\">",
        "  <core xmlns=\"urn:activemq:core\">",
        "    <name>seamwatch</name>",
        "    <persistence-enabled>false</persistence-enabled>",
        "    <security-enabled>false</security-enabled>",
        "    <jmx-management-enabled>false</jmx-management-enabled>",
        "    <journal-type>NIO</journal-type>",
        // On a busy two-core machine the analyzer could take a slow test for a stuck broker and
        // halt it.
        "    <critical-analyzer>false</critical-analyzer>",
        "    <acceptors>",
        "      <acceptor name=\"core\">tcp://127.0.0.1:" + port + "?protocols=CORE</acceptor>",
        "    </acceptors>",
        "  </core>",
        "</configuration>",
        "");
  }

  /** {@code tcp://127.0.0.1:<port>}, the URL both JMS clients' connection factories take. */
  public String brokerUrl() {
    return "tcp://" + Loopback.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  /** A jakarta.jms connection factory of artemis-jakarta-client, on the tests' classpath. */
  public static jakarta.jms.ConnectionFactory jakartaConnectionFactory(String brokerUrl) {
    return new ActiveMQConnectionFactory(brokerUrl);
  }

  /**
   * A javax.jms connection factory of the last javax client (org.apache.activemq's
   * artemis-jms-client-all), from a class loader of its own: its classes have the same names as the
   * jakarta client's. Only the javax.jms API is shared with the tests, so that they use it as is.
   */
  public static javax.jms.ConnectionFactory javaxConnectionFactory(String brokerUrl) {
    try {
      return (javax.jms.ConnectionFactory)
          javaxClientLoader()
              .loadClass("org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory")
              .getConstructor(String.class)
              .newInstance(brokerUrl);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot create the javax.jms client's connection factory", e);
    }
  }

  private static ClassLoader javaxClientLoader() {
    ClassLoader loader = javaxClientLoader;
    if (loader == null) {
      synchronized (ArtemisBroker.class) {
        loader = javaxClientLoader;
        if (loader == null) {
          Path jar = ChildJvm.existingFile(JAVAX_CLIENT_PROPERTY, "the javax.jms Artemis client");
          try {
            loader =
                new URLClassLoader(
                    "artemis-javax-client", new URL[] {jar.toUri().toURL()}, new JavaxJmsApiOnly());
          } catch (MalformedURLException e) {
            throw new AssertionError("bad jar path " + jar, e);
          }
          javaxClientLoader = loader;
        }
      }
    }
    return loader;
  }

  /** Hands out javax.jms.* from the tests' class loader, and nothing else but the JDK. */
  private static final class JavaxJmsApiOnly extends ClassLoader {
    private static final ClassLoader TESTS = javax.jms.ConnectionFactory.class.getClassLoader();

    JavaxJmsApiOnly() {
      super("javax-jms-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      return name.startsWith("javax.jms.") ? TESTS.loadClass(name) : super.loadClass(name, resolve);
    }
  }

  /** The broker's log (stdout and stderr of its JVM), for failure messages. */
  public Path log() {
    return dir.resolve("artemis.log");
  }

  /** The broker's JVM; empty before it started. */
  public List<ProcessHandle> processes() {
    Process running = process;
    return running == null ? List.of() : List.of(running.toHandle());
  }

  /** Stops the broker (SIGTERM, which its main class turns into a clean stop) and deletes files. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Process running = process;
      if (running != null) {
        Brokers.stop(running.toHandle(), Duration.ofSeconds(5), "the Artemis broker");
      }
    } finally {
      DatabaseServers.deleteTree(dir);
      Brokers.forget(this);
    }
  }

  @Override
  public String toString() {
    return "Artemis on " + brokerUrl() + " in " + dir;
  }
}
