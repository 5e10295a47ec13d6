package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.JavaSources;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library version whose classes differ from what an instrumentation's advice expects, built here:
 * the test writes the sources of a small fake {@code amqp-client} or {@code kafka-clients} (the
 * classes the advice names, with the library's names) and an application using it, compiles them
 * with the JDK's compiler, and runs the application with and without the agent.
 *
 * <ul>
 *   <li>A required method with other parameters (same name, same number of them): the library's
 *       version check leaves the whole library alone, with one "skipped" line.
 *   <li>A field the advice reads is missing (the methods are all there): the version check, which
 *       also looks for the fields, leaves the library alone with one "skipped" line naming the
 *       field. (Before fields were part of the check, Byte Buddy refused each class it could not
 *       bind, with a "failed on" line per class.)
 * </ul>
 *
 * In every case the application's output is the same as without the agent, no linkage error shows
 * anywhere, no span of that library is exported, and the HTTP call the application also makes is
 * traced: the agent was running. A fake of the supported shape is traced, which shows the fakes are
 * close enough to the real library for the advice to apply, so the "no span" checks can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MismatchedLibraryE2ETest {

  private static final List<String> LINKAGE_ERRORS =
      List.of("VerifyError", "LinkageError", "NoSuchMethodError", "NoSuchFieldError");

  /** What the fake applications print without the agent: the headers each message went with. */
  private static final List<String> RABBIT_OUTPUT =
      List.of(
          "published exchange=orders routingKey=created body=5 headers=[app]",
          "published exchange= routingKey=audit body=3 headers=[]",
          "http status=200 body=16");

  private static final List<String> KAFKA_OUTPUT =
      List.of(
          "acknowledged topic=orders partition=0 offset=42 error=null",
          "sent headers=[app]",
          "http status=200 body=16");

  @TempDir Path work;

  private OtlpReceiver receiver;
  private Upstream upstream;
  private final AtomicInteger runs = new AtomicInteger();

  @BeforeAll
  void start() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void rabbitMqWhoseBasicPublishTakesOtherParametersIsSkippedWithOneLine() {
    Path classes = compile("rabbit-other-publish", rabbitMq(RabbitShape.PUBLISH_WITH_TIMEOUT));
    List<String> line =
        assertLeftAlone(classes, "fakeapp.RabbitApp", "rabbitmq", "com.rabbitmq", RABBIT_OUTPUT);
    assertThat(line.get(0))
        .startsWith("[seamwatch] instrumentation rabbitmq skipped")
        .contains(
            "com.rabbitmq.client.impl.ChannelN has no"
                + " basicPublish(String, String, boolean, boolean, BasicProperties, byte[]);"
                + " it has basicPublish(String, String, BasicProperties, byte[]),"
                + " basicPublish(String, String, boolean, BasicProperties, byte[], long)")
        .contains("Supported: amqp-client 5.x");
  }

  @Test
  void rabbitMqWithoutTheFieldTheAdviceReadsIsSkippedWithOneLine() {
    Path classes = compile("rabbit-no-field", rabbitMq(RabbitShape.NO_SEQUENCE_FIELD));
    List<String> line =
        assertLeftAlone(classes, "fakeapp.RabbitApp", "rabbitmq", "com.rabbitmq", RABBIT_OUTPUT);
    assertThat(line.get(0))
        .startsWith("[seamwatch] instrumentation rabbitmq skipped")
        .contains("com.rabbitmq.client.impl.ChannelN has no field nextPublishSeqNo (long)")
        .contains("Supported: amqp-client 5.x");
  }

  @Test
  void kafkaWhoseRecordSizeCheckTakesALongIsSkippedWithOneLine() {
    Path classes = compile("kafka-long-size", kafka(KafkaShape.RECORD_SIZE_AS_LONG));
    List<String> line =
        assertLeftAlone(classes, "fakeapp.KafkaApp", "kafka", "org.apache.kafka", KAFKA_OUTPUT);
    assertThat(line.get(0))
        .startsWith("[seamwatch] instrumentation kafka skipped")
        .contains(
            "org.apache.kafka.clients.producer.KafkaProducer has no ensureValidRecordSize(int);"
                + " it has ensureValidRecordSize(long)")
        .contains("Supported: kafka-clients");
  }

  @Test
  void kafkaProducerWithoutTheFieldTheAdviceReadsIsSkippedWithOneLine() {
    Path classes = compile("kafka-no-field", kafka(KafkaShape.NO_CONFIG_FIELD));
    List<String> line =
        assertLeftAlone(classes, "fakeapp.KafkaApp", "kafka", "org.apache.kafka", KAFKA_OUTPUT);
    assertThat(line.get(0))
        .startsWith("[seamwatch] instrumentation kafka skipped")
        .contains(
            "org.apache.kafka.clients.producer.KafkaProducer has no field producerConfig"
                + " (ProducerConfig)")
        .contains("Supported: kafka-clients");
  }

  @Test
  void fakesOfTheSupportedShapeAreTraced() {
    Path rabbitClasses = compile("rabbit-supported", rabbitMq(RabbitShape.SUPPORTED));
    String rabbitService = nextService();
    ChildJvm.Result rabbit = run(rabbitClasses, "fakeapp.RabbitApp", rabbitService);
    // The advice put the trace context into the copy of the properties the fake "wrote".
    assertThat(rabbit.stdoutLines())
        .containsExactly(
            "published exchange=orders routingKey=created body=5 headers=[app, traceparent]",
            "published exchange= routingKey=audit body=3 headers=[traceparent]",
            "http status=200 body=16");
    List<ReceivedSpan> published =
        receiver.awaitSpans(
            s -> ofService(s, rabbitService) && "rabbitmq".equals(s.attr("messaging.system")),
            2,
            Duration.ofSeconds(20));
    assertThat(published)
        .extracting(s -> s.attr("messaging.destination.name"))
        .containsExactlyInAnyOrder("orders", "amq.default");

    Path kafkaClasses = compile("kafka-supported", kafka(KafkaShape.SUPPORTED));
    String kafkaService = nextService();
    ChildJvm.Result kafka = run(kafkaClasses, "fakeapp.KafkaApp", kafkaService);
    assertThat(kafka.stdoutLines())
        .containsExactly(
            "acknowledged topic=orders partition=0 offset=42 error=null",
            "sent headers=[app, traceparent]",
            "http status=200 body=16");
    List<ReceivedSpan> sent =
        receiver.awaitSpans(
            s -> ofService(s, kafkaService) && "kafka".equals(s.attr("messaging.system")),
            1,
            Duration.ofSeconds(20));
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).attr("messaging.destination.name")).isEqualTo("orders");
    assertThat(sent.get(0).attr("messaging.kafka.offset")).isEqualTo(42L);
    for (ChildJvm.Result result : List.of(rabbit, kafka)) {
      assertNoLinkageError(result);
      assertThat(result.seamwatchLines())
          .noneMatch(l -> l.contains("skipped") || l.contains("failed"));
    }
  }

  /**
   * Runs the application without and with the agent, checks that the agent changed nothing the
   * application can see and recorded nothing of the library, and returns the agent's one line about
   * it.
   */
  private List<String> assertLeftAlone(
      Path classes,
      String mainClass,
      String instrumentation,
      String libraryPackage,
      List<String> output) {
    ChildJvm.Result without = run(classes, mainClass, null);
    String service = nextService();
    ChildJvm.Result with = run(classes, mainClass, service);

    assertThat(without.stdoutLines()).isEqualTo(output);
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(without.appStderrLines()).contains("app done");
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertNoLinkageError(without);
    assertNoLinkageError(with);

    // The startup line lists every instrumentation by name; a line about this one names it, or
    // a class of the library.
    List<String> about =
        with.seamwatchLines().stream()
            .filter(
                l ->
                    l.contains("instrumentation " + instrumentation + " ")
                        || l.contains(libraryPackage)
                        || l.contains(libraryPackage.replace('.', '/')))
            .toList();
    assertThat(about).as("the agent's lines about %s", instrumentation).hasSize(1);

    // The agent was running: the application's HTTP call was traced. Its spans, all of them,
    // are that call's: nothing of the library.
    receiver.awaitSpans(
        s -> ofService(s, service) && Long.valueOf(upstream.port()).equals(s.attr("server.port")),
        1,
        Duration.ofSeconds(20));
    List<ReceivedSpan> spans =
        receiver.spans().stream().filter(s -> ofService(s, service)).toList();
    assertThat(spans)
        .allSatisfy(
            s -> {
              assertThat(s.attr("messaging.system")).isNull();
              assertThat(s.attr("server.port")).isEqualTo((long) upstream.port());
            });
    return about;
  }

  private static void assertNoLinkageError(ChildJvm.Result result) {
    for (String error : LINKAGE_ERRORS) {
      assertThat(result.stdout()).as("stdout of\n%s", result).doesNotContain(error);
      assertThat(result.stderr()).as("stderr of\n%s", result).doesNotContain(error);
    }
  }

  private String nextService() {
    // Each run its own service name: the receiver is shared by the whole class.
    return "mismatch-" + runs.incrementAndGet();
  }

  private static boolean ofService(ReceivedSpan span, String service) {
    return service.equals(span.resource().get("service.name"));
  }

  /** Runs {@code mainClass} on {@code classes}; with the agent when {@code service} is set. */
  private ChildJvm.Result run(Path classes, String mainClass, String service) {
    ChildJvm.Builder app =
        ChildJvm.builder()
            .classpath(classes.toString())
            .mainClass(mainClass)
            .args(upstream.baseUrl() + "/bytes/16")
            .sysProp("seamwatch.report.file", "none")
            .timeout(Duration.ofSeconds(60));
    if (service == null) {
      app.noAgent();
    } else {
      app.agent(ChildJvm.agentJar())
          .sysProp("otel.service.name", service)
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint());
    }
    return app.run().assertSuccess();
  }

  /** Writes {@code sources} (by path) under {@code name} and compiles them; returns the classes. */
  private Path compile(String name, Map<String, String> sources) {
    return JavaSources.compile(work, name, sources);
  }

  // --- the fake amqp-client ----------------------------------------------------------------------

  private enum RabbitShape {
    /** What the advice expects of amqp-client 5.x. */
    SUPPORTED,
    /** The full basicPublish overload without "immediate" and with a timeout: still six. */
    PUBLISH_WITH_TIMEOUT,
    /** The publish sequence number, which the advice reads, under another name. */
    NO_SEQUENCE_FIELD
  }

  private static Map<String, String> rabbitMq(RabbitShape shape) {
    String fullPublish =
        shape == RabbitShape.PUBLISH_WITH_TIMEOUT
            ? "String exchange, String routingKey, boolean mandatory, BasicProperties props,"
                + " byte[] body, long timeoutMillis"
            : "String exchange, String routingKey, boolean mandatory, boolean immediate,"
                + " BasicProperties props, byte[] body";
    String delegate =
        shape == RabbitShape.PUBLISH_WITH_TIMEOUT
            ? "basicPublish(exchange, routingKey, false, props, body, 0L);"
            : "basicPublish(exchange, routingKey, false, false, props, body);";
    String sequenceField =
        shape == RabbitShape.NO_SEQUENCE_FIELD ? "publishSequence" : "nextPublishSeqNo";
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(
        "com/rabbitmq/client/ConnectionFactory.java",
        """
        package com.rabbitmq.client;

        import com.rabbitmq.client.impl.ChannelN;

        public class ConnectionFactory {
          public ChannelN newChannel() {
            return new ChannelN();
          }
        }
        """);
    sources.put(
        "com/rabbitmq/client/Connection.java",
        """
        package com.rabbitmq.client;

        public interface Connection {
          java.net.InetAddress getAddress();

          int getPort();
        }
        """);
    sources.put(
        "com/rabbitmq/client/Channel.java",
        """
        package com.rabbitmq.client;

        public interface Channel {
          Connection getConnection();
        }
        """);
    sources.put(
        "com/rabbitmq/client/AMQP.java",
        """
        package com.rabbitmq.client;

        import java.util.Map;

        public interface AMQP {
          class BasicProperties {
            private final Map<String, Object> headers;

            public BasicProperties(Map<String, Object> headers) {
              this.headers = headers;
            }

            public Map<String, Object> getHeaders() {
              return headers;
            }

            public Builder builder() {
              return new Builder().headers(headers);
            }

            public static class Builder {
              private Map<String, Object> headers;

              public Builder headers(Map<String, Object> headers) {
                this.headers = headers;
                return this;
              }

              public BasicProperties build() {
                return new BasicProperties(headers);
              }
            }
          }
        }
        """);
    sources.put(
        "com/rabbitmq/client/impl/ChannelN.java",
        """
        package com.rabbitmq.client.impl;

        import com.rabbitmq.client.AMQP.BasicProperties;
        import com.rabbitmq.client.Channel;
        import com.rabbitmq.client.Connection;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.TreeMap;

        public class ChannelN implements Channel {
          private final List<String> written = new ArrayList<>();
          private volatile long SEQUENCE_FIELD;

          public Connection getConnection() {
            return null;
          }

          public void basicPublish(
              String exchange, String routingKey, BasicProperties props, byte[] body) {
            DELEGATE
          }

          public void basicPublish(FULL_PUBLISH) {
            written.add("published exchange=" + exchange + " routingKey=" + routingKey
                + " body=" + body.length + " headers="
                + (props.getHeaders() == null ? "[]" : new TreeMap<>(props.getHeaders()).keySet()));
          }

          public void handleAckNack(long seqNo, boolean multiple, boolean nack) {
            SEQUENCE_FIELD = seqNo;
          }

          public List<String> written() {
            return written;
          }
        }
        """
            .replace("SEQUENCE_FIELD", sequenceField)
            .replace("FULL_PUBLISH", fullPublish)
            .replace("DELEGATE", delegate));
    sources.put(
        "fakeapp/RabbitApp.java",
        """
        package fakeapp;

        import com.rabbitmq.client.AMQP;
        import com.rabbitmq.client.ConnectionFactory;
        import com.rabbitmq.client.impl.ChannelN;
        import java.nio.charset.StandardCharsets;
        import java.util.Map;

        public class RabbitApp {
          public static void main(String[] args) throws Exception {
            ChannelN channel = new ConnectionFactory().newChannel();
            channel.basicPublish("orders", "created",
                new AMQP.BasicProperties(Map.of("app", "yes")),
                "hello".getBytes(StandardCharsets.UTF_8));
            channel.basicPublish("", "audit", new AMQP.BasicProperties(null), new byte[3]);
            channel.handleAckNack(1L, false, false);
            for (String line : channel.written()) {
              System.out.println(line);
            }
            System.out.println(HttpCall.get(args[0]));
            System.err.println("app done");
          }
        }
        """);
    sources.put("fakeapp/HttpCall.java", HTTP_CALL);
    return sources;
  }

  // --- the fake kafka-clients --------------------------------------------------------------------

  private enum KafkaShape {
    /** What the advice expects of kafka-clients 3.3 to 4.x. */
    SUPPORTED,
    /** ensureValidRecordSize(long) instead of (int): the same name and number of parameters. */
    RECORD_SIZE_AS_LONG,
    /** The producer's configuration, which the advice reads, under another name. */
    NO_CONFIG_FIELD
  }

  private static Map<String, String> kafka(KafkaShape shape) {
    String sizeType = shape == KafkaShape.RECORD_SIZE_AS_LONG ? "long" : "int";
    String configField = shape == KafkaShape.NO_CONFIG_FIELD ? "config" : "producerConfig";
    Map<String, String> sources = new LinkedHashMap<>();
    String producer = "org/apache/kafka/clients/producer/";
    sources.put(
        producer + "Producer.java",
        """
        package org.apache.kafka.clients.producer;

        import java.util.concurrent.Future;

        public interface Producer {
          Future<RecordMetadata> send(ProducerRecord record, Callback callback);
        }
        """);
    sources.put(
        producer + "Callback.java",
        """
        package org.apache.kafka.clients.producer;

        public interface Callback {
          void onCompletion(RecordMetadata metadata, Exception exception);
        }
        """);
    sources.put(
        producer + "RecordMetadata.java",
        """
        package org.apache.kafka.clients.producer;

        public class RecordMetadata {
          private final int partition;
          private final long offset;
          private final int valueSize;

          public RecordMetadata(int partition, long offset, int valueSize) {
            this.partition = partition;
            this.offset = offset;
            this.valueSize = valueSize;
          }

          public int partition() { return partition; }
          public boolean hasOffset() { return offset >= 0; }
          public long offset() { return offset; }
          public int serializedValueSize() { return valueSize; }
          public int serializedKeySize() { return -1; }
        }
        """);
    sources.put(
        producer + "ProducerConfig.java",
        """
        package org.apache.kafka.clients.producer;

        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;

        public class ProducerConfig {
          private final Map<String, Object> originals;
          private final Map<String, Object> values = new HashMap<>();

          public ProducerConfig(Map<String, Object> originals) {
            this.originals = new HashMap<>(originals);
            values.put("acks", "all");
            values.put("retries", Integer.MAX_VALUE);
            values.put("enable.idempotence", Boolean.TRUE);
            values.put("max.request.size", 1048576);
            values.putAll(originals);
          }

          public List<String> getList(String key) { return List.of((String) values.get(key)); }
          public String getString(String key) { return (String) values.get(key); }
          public Integer getInt(String key) { return (Integer) values.get(key); }
          public Boolean getBoolean(String key) { return (Boolean) values.get(key); }
          public Map<String, Object> originals() { return new HashMap<>(originals); }
        }
        """);
    sources.put(
        producer + "ProducerRecord.java",
        """
        package org.apache.kafka.clients.producer;

        import org.apache.kafka.common.header.Headers;
        import org.apache.kafka.common.header.internals.RecordHeaders;

        public class ProducerRecord {
          private final String topic;
          private final byte[] value;
          private final Headers headers = new RecordHeaders();

          public ProducerRecord(String topic, byte[] value) {
            this.topic = topic;
            this.value = value;
          }

          public String topic() { return topic; }
          public byte[] value() { return value; }
          public Headers headers() { return headers; }
        }
        """);
    sources.put(
        "org/apache/kafka/common/header/Headers.java",
        """
        package org.apache.kafka.common.header;

        import java.util.Set;

        public interface Headers {
          Headers add(String key, byte[] value);

          Headers remove(String key);

          Set<String> keys();
        }
        """);
    sources.put(
        "org/apache/kafka/common/header/internals/RecordHeaders.java",
        """
        package org.apache.kafka.common.header.internals;

        import java.util.Map;
        import java.util.Set;
        import java.util.TreeMap;
        import org.apache.kafka.common.header.Headers;

        public class RecordHeaders implements Headers {
          private final Map<String, byte[]> headers = new TreeMap<>();

          public Headers add(String key, byte[] value) {
            headers.put(key, value);
            return this;
          }

          public Headers remove(String key) {
            headers.remove(key);
            return this;
          }

          public Set<String> keys() {
            return headers.keySet();
          }
        }
        """);
    sources.put(
        producer + "KafkaProducer.java",
        """
        package org.apache.kafka.clients.producer;

        import java.util.Map;
        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.Future;

        public class KafkaProducer implements Producer {
          private final ProducerConfig CONFIG_FIELD;
          private final String clientId;
          private final int maxRequestSize;
          private long nextOffset = 42;

          public KafkaProducer(Map<String, Object> configs) {
            CONFIG_FIELD = new ProducerConfig(configs);
            clientId = CONFIG_FIELD.getString("client.id");
            maxRequestSize = CONFIG_FIELD.getInt("max.request.size");
          }

          public Future<RecordMetadata> send(ProducerRecord record) {
            return send(record, null);
          }

          public Future<RecordMetadata> send(ProducerRecord record, Callback callback) {
            ensureValidRecordSize(record.value().length);
            AppendCallbacks callbacks = new AppendCallbacks(callback);
            RecordMetadata metadata = new RecordMetadata(0, nextOffset++, record.value().length);
            callbacks.onCompletion(metadata, null);
            return CompletableFuture.completedFuture(metadata);
          }

          private void ensureValidRecordSize(SIZE_TYPE size) {
            if (size > maxRequestSize) {
              throw new IllegalArgumentException("record of " + size + " bytes for " + clientId);
            }
          }

          private class AppendCallbacks implements Callback {
            private final Callback user;

            AppendCallbacks(Callback user) {
              this.user = user;
            }

            public void onCompletion(RecordMetadata metadata, Exception exception) {
              if (user != null) {
                user.onCompletion(metadata, exception);
              }
            }
          }
        }
        """
            .replace("CONFIG_FIELD", configField)
            .replace("SIZE_TYPE", sizeType));
    sources.put(
        "fakeapp/KafkaApp.java",
        """
        package fakeapp;

        import java.nio.charset.StandardCharsets;
        import java.util.Map;
        import org.apache.kafka.clients.producer.Callback;
        import org.apache.kafka.clients.producer.KafkaProducer;
        import org.apache.kafka.clients.producer.Producer;
        import org.apache.kafka.clients.producer.ProducerRecord;
        import org.apache.kafka.clients.producer.RecordMetadata;

        public class KafkaApp {
          public static void main(String[] args) throws Exception {
            Producer producer = new KafkaProducer(
                Map.of("bootstrap.servers", "broker-1:9092", "client.id", "fake-producer"));
            ProducerRecord record =
                new ProducerRecord("orders", "hello".getBytes(StandardCharsets.UTF_8));
            record.headers().add("app", "yes".getBytes(StandardCharsets.UTF_8));
            producer.send(record, new Callback() {
              public void onCompletion(RecordMetadata metadata, Exception exception) {
                System.out.println("acknowledged topic=" + record.topic()
                    + " partition=" + metadata.partition() + " offset=" + metadata.offset()
                    + " error=" + exception);
              }
            }).get();
            System.out.println("sent headers=" + record.headers().keys());
            System.out.println(HttpCall.get(args[0]));
            System.err.println("app done");
          }
        }
        """);
    sources.put("fakeapp/HttpCall.java", HTTP_CALL);
    return sources;
  }

  /**
   * One HttpURLConnection GET: instrumented in every run with the agent, so it proves the agent.
   */
  private static final String HTTP_CALL =
      """
      package fakeapp;

      import java.io.InputStream;
      import java.net.HttpURLConnection;
      import java.net.URL;

      final class HttpCall {
        static String get(String url) throws Exception {
          HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
          connection.setConnectTimeout(5000);
          connection.setReadTimeout(5000);
          int status = connection.getResponseCode();
          try (InputStream in = connection.getInputStream()) {
            return "http status=" + status + " body=" + in.readAllBytes().length;
          }
        }
      }
      """;
}
