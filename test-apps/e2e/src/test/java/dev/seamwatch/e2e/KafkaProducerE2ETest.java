package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.KafkaBroker;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka producers end to end, against a real KRaft broker: a PRODUCER span per record from {@code
 * send} to the broker's acknowledgement, the context in the record's headers, failures from the
 * acknowledgement and from a broker that is down, the application unchanged. Run on the newest
 * kafka-clients (4.x) and, by {@link Kafka3}, on the oldest supported (3.3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaProducerE2ETest {

  private static final String APP = "dev.seamwatch.testapps.messaging.KafkaApp";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private KafkaBroker kafka;
  private OtlpReceiver receiver;
  private String topic;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private ChildJvm.Result down;
  private ChildJvm.Result downWithout;
  private List<ReceivedSpan> spans;

  List<String> classpath() {
    return ChildJvm.messagingAppClasspath();
  }

  @BeforeAll
  void run() {
    kafka = KafkaBroker.start();
    receiver = OtlpReceiver.start();
    topic = "orders-" + getClass().getSimpleName().toLowerCase();
    kafka.createTopic(topic, 1);
    kafka.createTopic(topic + "-plain", 1);
    without = app(kafka.bootstrapServers(), topic + "-plain").noAgent().run().assertSuccess();
    with =
        app(kafka.bootstrapServers(), topic)
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    String refused = KafkaBroker.refusedBootstrapServers();
    down =
        ChildJvm.builder()
            .classpath(classpath())
            .mainClass(APP)
            .args(refused, "async=" + topic + "-down")
            .sysProp("kafka.acks", "0")
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    downWithout =
        ChildJvm.builder()
            .classpath(classpath())
            .mainClass(APP)
            .args(refused, "async=" + topic + "-down")
            .sysProp("kafka.acks", "0")
            .noAgent()
            .run()
            .assertSuccess();
    spans = receiver.awaitSpans(s -> s.kind() == SpanKind.SPAN_KIND_PRODUCER, 7, WAIT);
  }

  private ChildJvm.Builder app(String servers, String topic) {
    return ChildJvm.builder()
        .classpath(classpath())
        .mainClass(APP)
        .args(
            servers,
            "sync=" + topic,
            "async=" + topic,
            "resend=" + topic,
            "too-large=" + topic,
            "consume=" + topic,
            "near-limit=" + topic);
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theApplicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertThat(with.stdoutLines())
        .containsExactly(
            "sync ok partition=0",
            "async ok callbacks=1 thread=producer-network",
            "resend ok",
            "too-large failed org.apache.kafka.common.errors.RecordTooLargeException callbacks=1",
            "consume [order-1:{\"id\":1}[], order-2:{\"id\":2,\"items\":[1,2,3]}[],"
                + " order-3:again[], order-3:again[]]",
            "near-limit ok partition=0");
    assertThat(down.stdoutLines()).isEqualTo(downWithout.stdoutLines());
    assertThat(down.stdoutLines()).hasSize(1);
    assertThat(down.stdoutLines().get(0))
        .startsWith("async failed org.apache.kafka.common.errors.TimeoutException callbacks=1");
  }

  @Test
  void oneProducerSpanPerRecordEndedByTheAcknowledgement() {
    List<ReceivedSpan> mine = spansFor(topic);
    assertThat(mine).hasSize(6);
    ReceivedSpan sync = mine.get(0);
    assertThat(sync.name()).isEqualTo("send " + topic);
    assertThat(sync.attributes())
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.operation.type", "send")
        .containsEntry("messaging.operation.name", "send")
        .containsEntry("messaging.destination.name", topic)
        .containsEntry("messaging.destination.partition.id", "0")
        .containsEntry("messaging.client.id", "kafka-app")
        .containsEntry("messaging.message.body.size", 8L)
        .containsEntry("seamwatch.messaging.kafka.key.size", 7L)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) kafka.port())
        .doesNotContainKey("error.type");
    assertThat((Long) sync.attr("messaging.kafka.offset")).isGreaterThanOrEqualTo(0L);
    assertThat(mine.get(1).attr("messaging.message.body.size")).isEqualTo(24L);
  }

  @Test
  void theContextTravelsInTheRecordHeadersOnce() {
    List<ReceivedSpan> mine = spansFor(topic);
    List<ConsumerRecord<String, String>> records = consume(topic, 5);
    assertThat(records).hasSize(5);
    for (int i = 0; i < 3; i++) {
      List<String> traceparents = traceparents(records.get(i));
      assertThat(traceparents).as("record %d", i).hasSize(1);
      assertThat(traceparents.get(0))
          .startsWith("00-" + mine.get(i).traceId() + "-" + mine.get(i).spanId() + "-");
    }
    // The same record object sent again: its headers are read-only after the first send, so it
    // goes as it is, with the first send's context, once, and nothing fails.
    assertThat(traceparents(records.get(3))).isEqualTo(traceparents(records.get(2)));
    assertThat(mine.get(3).attr("error.type")).isNull();
    // The record near the size limit (the one too large never reached the broker).
    assertThat(traceparents(records.get(4))).hasSize(1);
    assertThat(traceparents(records.get(4)).get(0))
        .startsWith("00-" + mine.get(5).traceId() + "-" + mine.get(5).spanId() + "-");
  }

  @Test
  void aRecordOverMaxRequestSizeFails() {
    ReceivedSpan tooLarge = spansFor(topic).get(4);
    assertThat(tooLarge.statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(tooLarge.attr("error.type"))
        .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
    assertThat((Long) tooLarge.attr("seamwatch.messaging.kafka.record.size"))
        .isGreaterThan((Long) tooLarge.attr("seamwatch.messaging.kafka.max_request_size"));
    assertThat(tooLarge.attr("seamwatch.anomaly.types")).isEqualTo(List.of("near_limit"));
    Map<String, Object> event = tooLarge.eventAttributes("seamwatch.anomaly");
    assertThat(event).containsEntry("seamwatch.anomaly.type", "near_limit");
    // Rejected: at least the whole limit.
    assertThat((Double) event.get("seamwatch.anomaly.observed")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aRecordCloseToMaxRequestSizeIsNearLimit() {
    ReceivedSpan near = spansFor(topic).get(5);
    assertThat(near.attr("error.type")).isNull();
    assertThat(near.attr("seamwatch.anomaly.types")).isEqualTo(List.of("near_limit"));
    assertThat((Long) near.attr("seamwatch.messaging.kafka.record.size"))
        .isGreaterThan(
            (long) (0.8 * (Long) near.attr("seamwatch.messaging.kafka.max_request_size")));
    // The event of the same key and type a moment before (the record too large) was enough: events
    // are limited to one per key and type per minute; the finding is still on the span.
    assertThat(near.eventAttributes("seamwatch.anomaly")).isNull();
    // The small records before it are far from the limit.
    for (int i = 0; i < 4; i++) {
      assertThat(spansFor(topic).get(i).attr("seamwatch.anomaly.types")).isNull();
    }
  }

  @Test
  void aBrokerThatIsDownFailsTheSend() {
    List<ReceivedSpan> failed = spansFor(topic + "-down");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).attr("error.type"))
        .isEqualTo("org.apache.kafka.common.errors.TimeoutException");
    assertThat(failed.get(0).statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void riskyProducerSettingsAreReadinessFindingsOnlyWhereSet() {
    // The producer of the main run keeps the defaults (acks=all, retries, idempotence): none.
    assertThat(spansFor(topic))
        .allSatisfy(s -> assertThat(s.eventAttributes("seamwatch.readiness")).isNull());
    // The one with acks=0, retries=0 and idempotence off: all three, on its first send.
    List<String> found =
        spansFor(topic + "-down").get(0).eventsNamed("seamwatch.readiness").stream()
            .map(e -> String.valueOf(e.get("seamwatch.readiness.type")))
            .sorted()
            .toList();
    assertThat(found)
        .containsExactly("kafka_acks_0", "kafka_idempotence_disabled", "kafka_retries_disabled");
  }

  @Test
  void messagingMetrics() {
    ReceivedMetric duration = receiver.awaitMetric("messaging.client.operation.duration", WAIT);
    assertThat(duration.type()).isEqualTo(ReceivedMetric.Type.HISTOGRAM);
    assertThat(duration.pointsWith("messaging.destination.name", topic)).isNotEmpty();
    ReceivedMetric sent = receiver.awaitMetric("messaging.client.sent.messages", WAIT);
    long total =
        sent.pointsWith("messaging.destination.name", topic).stream()
            .mapToLong(p -> p.value().longValue())
            .sum();
    assertThat(total).isEqualTo(6);
  }

  @Test
  void keysValuesAndHeaderValuesAreNeverExported() {
    assertThat(spans.toString()).doesNotContain("order-1").doesNotContain("\"id\"");
  }

  private List<ReceivedSpan> spansFor(String destination) {
    List<ReceivedSpan> matching = new ArrayList<>();
    for (ReceivedSpan span : spans) {
      if (destination.equals(span.attr("messaging.destination.name"))) {
        matching.add(span);
      }
    }
    matching.sort(
        (a, b) -> Long.compare(a.span().getStartTimeUnixNano(), b.span().getStartTimeUnixNano()));
    return matching;
  }

  private static List<String> traceparents(ConsumerRecord<String, String> record) {
    List<String> values = new ArrayList<>();
    for (Header header : record.headers().headers("traceparent")) {
      values.add(new String(header.value(), StandardCharsets.UTF_8));
    }
    return values;
  }

  private List<ConsumerRecord<String, String>> consume(String topic, int expected) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + topic + "-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
