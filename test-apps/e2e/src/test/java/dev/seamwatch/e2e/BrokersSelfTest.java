package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.seamwatch.e2e.harness.ArtemisBroker;
import dev.seamwatch.e2e.harness.Brokers;
import dev.seamwatch.e2e.harness.KafkaBroker;
import dev.seamwatch.e2e.harness.RabbitMqServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The message brokers of the messaging end-to-end tests work, without the agent: each starts,
 * carries one message from a real producer to a real consumer, listens on 127.0.0.1 only, and once
 * closed has no process or file left, while its clients fail the way an application would see.
 */
class BrokersSelfTest {
  private static final Duration RECEIVE = Duration.ofSeconds(20);

  @Test
  void kafkaCarriesARecordWithHeadersAndRefusesOnceClosed() throws Exception {
    KafkaBroker kafka = timed("Kafka", KafkaBroker::start);
    String bootstrap = kafka.bootstrapServers();
    try (kafka) {
      kafka.createTopic("orders", 2);
      ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "order-7", "placed");
      sent.headers().add("probe", "p-1".getBytes(StandardCharsets.UTF_8));
      RecordMetadata metadata;
      try (KafkaProducer<String, String> producer = producer(bootstrap, 10_000)) {
        metadata = producer.send(sent).get(RECEIVE.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(metadata.topic()).isEqualTo("orders");
      assertThat(metadata.partition()).isBetween(0, 1);
      assertThat(metadata.offset()).isZero();

      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
        consumer.subscribe(List.of("orders"));
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (received.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
      }
      assertThat(received).as("records polled from " + kafka).hasSize(1);
      ConsumerRecord<String, String> record = received.get(0);
      assertThat(record.key()).isEqualTo("order-7");
      assertThat(record.value()).isEqualTo("placed");
      assertThat(record.partition()).isEqualTo(metadata.partition());
      assertThat(record.offset()).isEqualTo(metadata.offset());
      assertThat(new String(record.headers().lastHeader("probe").value(), StandardCharsets.UTF_8))
          .isEqualTo("p-1");

      assertLoopbackOnly(kafka.ports());
      assertThatThrownBy(() -> kafka.createTopic("orders", 2))
          .as("a topic created twice")
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("cannot create topic orders");
      kafka.close();
      assertGone(kafka.processes(), kafka.ports(), kafka.log().getParent());
    }

    // A closed broker: the producer cannot get metadata, and says so once max.block.ms is over.
    try (KafkaProducer<String, String> producer = producer(bootstrap, 1_500)) {
      long begin = System.nanoTime();
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("orders", "x")).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("orders");
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(8));
    }
    // An address where nothing ever listened: the Admin client times out too.
    Properties settings = new Properties();
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.refusedBootstrapServers());
    try (Admin admin = Admin.create(settings)) {
      assertThatThrownBy(
              () ->
                  admin
                      .describeCluster(new DescribeClusterOptions().timeoutMs(1_500))
                      .nodes()
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class);
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap, int maxBlockMillis) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMillis),
        new StringSerializer(),
        new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "self-test",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(),
        new StringDeserializer());
  }

  @Test
  void rabbitMqCarriesAConfirmedMessageWithHeadersAndRefusesOnceClosed() throws Exception {
    RabbitMqServer rabbit = timed("RabbitMQ", RabbitMqServer::start);
    ConnectionFactory factory = rabbit.connectionFactory();
    try (rabbit) {
      BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
      try (Connection connection = factory.newConnection("self-test");
          Channel channel = connection.createChannel()) {
        channel.queueDeclare("orders", false, false, false, null);
        channel.basicConsume(
            "orders", true, (tag, delivery) -> deliveries.add(delivery), tag -> {});
        channel.confirmSelect();
        channel.basicPublish(
            "",
            "orders",
            new AMQP.BasicProperties.Builder().headers(Map.of("probe", "p-1")).build(),
            "placed".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(RECEIVE.toMillis());

        Delivery delivery = deliveries.poll(RECEIVE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(delivery).as("delivery from " + rabbit).isNotNull();
        assertThat(new String(delivery.getBody(), StandardCharsets.UTF_8)).isEqualTo("placed");
        assertThat(delivery.getEnvelope().getRoutingKey()).isEqualTo("orders");
        assertThat(String.valueOf(delivery.getProperties().getHeaders().get("probe")))
            .isEqualTo("p-1");
        assertThat(deliveries.poll(200, TimeUnit.MILLISECONDS)).as("a second delivery").isNull();
      }

      assertLoopbackOnly(rabbit.ports());
      List<ProcessHandle> processes = rabbit.processes();
      assertThat(processes)
          .as("epmd, the script and the node's VM")
          .hasSizeGreaterThanOrEqualTo(3)
          .allMatch(Brokers::isRunning);
      rabbit.close();
      assertGone(processes, rabbit.ports(), rabbit.log().getParent().getParent());
    }

    assertThatThrownBy(() -> factory.newConnection("after-close"))
        .as("connecting to a closed node")
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void artemisCarriesJavaxAndJakartaJmsMessagesAndRefusesOnceClosed() throws Exception {
    ArtemisBroker artemis = timed("Artemis", ArtemisBroker::start);
    String url = artemis.brokerUrl();
    javax.jms.ConnectionFactory javaxFactory = ArtemisBroker.javaxConnectionFactory(url);
    jakarta.jms.ConnectionFactory jakartaFactory = ArtemisBroker.jakartaConnectionFactory(url);
    assertThat(javaxFactory.getClass().getName()).isEqualTo(jakartaFactory.getClass().getName());
    assertThat(javaxFactory.getClass().getClassLoader())
        .as("the javax client's class loader")
        .isNotSameAs(jakartaFactory.getClass().getClassLoader());
    try (artemis) {
      assertThat(javaxRoundTrip(javaxFactory, "orders.javax")).isEqualTo("placed via javax.jms");
      assertThat(jakartaRoundTrip(jakartaFactory, "orders.jakarta"))
          .isEqualTo("placed via jakarta.jms");

      assertLoopbackOnly(List.of(artemis.port()));
      artemis.close();
      assertGone(artemis.processes(), List.of(artemis.port()), artemis.log().getParent());
    }

    assertThatThrownBy(javaxFactory::createConnection)
        .as("javax.jms to a closed broker")
        .isInstanceOf(javax.jms.JMSException.class);
    assertThatThrownBy(
            () ->
                ArtemisBroker.jakartaConnectionFactory(ArtemisBroker.refusedBrokerUrl())
                    .createConnection())
        .as("jakarta.jms where nothing listens")
        .isInstanceOf(jakarta.jms.JMSException.class);
  }

  /** Sends one text message with a property to a queue and receives it on a second session. */
  private static String javaxRoundTrip(javax.jms.ConnectionFactory factory, String queueName)
      throws javax.jms.JMSException {
    try (javax.jms.Connection connection = factory.createConnection()) {
      connection.start();
      javax.jms.Session producing =
          connection.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
      javax.jms.Queue queue = producing.createQueue(queueName);
      javax.jms.TextMessage message = producing.createTextMessage("placed via javax.jms");
      message.setStringProperty("probe", "p-1");
      producing.createProducer(queue).send(message);

      javax.jms.Session consuming =
          connection.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
      javax.jms.Message received = consuming.createConsumer(queue).receive(RECEIVE.toMillis());
      assertThat(received).as("message on " + queueName).isInstanceOf(javax.jms.TextMessage.class);
      assertThat(received.getStringProperty("probe")).isEqualTo("p-1");
      assertThat(received.getJMSMessageID()).isEqualTo(message.getJMSMessageID());
      return ((javax.jms.TextMessage) received).getText();
    }
  }

  private static String jakartaRoundTrip(jakarta.jms.ConnectionFactory factory, String queueName)
      throws jakarta.jms.JMSException {
    try (jakarta.jms.Connection connection = factory.createConnection()) {
      connection.start();
      jakarta.jms.Session producing =
          connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.Queue queue = producing.createQueue(queueName);
      jakarta.jms.TextMessage message = producing.createTextMessage("placed via jakarta.jms");
      message.setStringProperty("probe", "p-1");
      producing.createProducer(queue).send(message);

      jakarta.jms.Session consuming =
          connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.Message received = consuming.createConsumer(queue).receive(RECEIVE.toMillis());
      assertThat(received)
          .as("message on " + queueName)
          .isInstanceOf(jakarta.jms.TextMessage.class);
      assertThat(received.getStringProperty("probe")).isEqualTo("p-1");
      assertThat(received.getJMSMessageID()).isEqualTo(message.getJMSMessageID());
      return ((jakarta.jms.TextMessage) received).getText();
    }
  }

  // ---- shared checks ----

  private static <T> T timed(String what, Supplier<T> start) {
    long begin = System.nanoTime();
    T broker = start.get();
    System.out.printf(
        "[harness] %s started in %d ms: %s%n",
        what, Duration.ofNanos(System.nanoTime() - begin).toMillis(), broker);
    return broker;
  }

  /** Each port takes connections on 127.0.0.1 and refuses them on another loopback address. */
  private static void assertLoopbackOnly(List<Integer> ports) throws IOException {
    for (int port : ports) {
      assertThat(acceptsOn("127.0.0.1", port)).as("127.0.0.1:%d", port).isTrue();
      assertThat(acceptsOn("127.0.0.2", port)).as("127.0.0.2:%d", port).isFalse();
    }
  }

  /** After close: no process, no listening port, no directory. */
  private static void assertGone(List<ProcessHandle> processes, List<Integer> ports, Path dir)
      throws IOException {
    assertThat(processes).as("the broker's processes").isNotEmpty();
    for (ProcessHandle process : processes) {
      assertThat(Brokers.isRunning(process))
          .as("pid %d %s after close", process.pid(), process.info().command().orElse(""))
          .isFalse();
    }
    for (int port : ports) {
      assertThat(acceptsOn("127.0.0.1", port)).as("127.0.0.1:%d after close", port).isFalse();
    }
    assertThat(dir.getFileName().toString()).startsWith("seamwatch-");
    assertThat(Files.exists(dir)).as(dir + " after close").isFalse();
  }

  private static boolean acceptsOn(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }
}
