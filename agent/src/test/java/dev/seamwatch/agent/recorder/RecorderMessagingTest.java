package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.bootstrap.MessageSend;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recorder's message sends: spans, nesting, binding, confirmations, metrics. */
class RecorderMessagingTest {

  private InMemorySpanExporter spans;
  private InMemoryMetricReader metrics;
  private OpenTelemetrySdk sdk;
  private Recorder recorder;
  private CallSpans callSpans;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    metrics = InMemoryMetricReader.create();
    SpanProcessor processor = SimpleSpanProcessor.create(spans);
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(processor).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    callSpans = RecorderTest.callSpans(processor);
    recorder = new Recorder(sdk, callSpans, "test", new KeyRegistry(100), new HashMap<>(), 100);
  }

  @AfterEach
  void tearDown() {
    sdk.close();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  private MessageSend start(String destination) {
    return recorder.startMessageSend("kafka", "kafka", destination, "topic", "broker-1:9092");
  }

  @Test
  void aSendIsAProducerSpanEndedByItsOutcomeOnAnotherThread() throws Exception {
    MessageSend send = start("orders");
    assertThat(send.propagationHeaders()).hasSize(2).contains("traceparent");
    Object callback = new Object();
    send.bind(callback);
    send.leave();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(recorder.currentMessageSend()).isNull();

    CompletableFuture.runAsync(
            () -> {
              MessageSend bound = recorder.takeMessageSend(callback);
              bound.bodySize(42);
              bound.attribute("messaging.kafka.offset", 7L);
              bound.end(null);
            })
        .get();

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("send orders");
    assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.system")))
        .isEqualTo("kafka");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address")))
        .isEqualTo("broker-1");
    assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(9092L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.message.body.size")))
        .isEqualTo(42L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
        .isEqualTo(7L);
    assertThat(recorder.takeMessageSend(callback)).as("taken once").isNull();
  }

  @Test
  void nothingIsKeptPerSendOnceItsOutcomeIsTaken() {
    java.util.List<Object> callbacks = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      MessageSend send = start("orders");
      Object callback = new Object();
      callbacks.add(callback);
      send.bind(callback);
      send.leave();
    }
    assertThat(recorder.boundMessageCount()).isEqualTo(1_000);
    for (Object callback : callbacks) {
      recorder.takeMessageSend(callback).end(null);
    }
    // The callbacks are still strongly reachable here: only taking the binding removes it.
    assertThat(recorder.boundMessageCount()).isZero();
    assertThat(spans.getFinishedSpanItems()).hasSize(1_000);
  }

  @Test
  void theCallbackRunsInTheContextTheSendWasMadeIn() throws Exception {
    io.opentelemetry.api.trace.Span application =
        sdk.getTracer("app").spanBuilder("handle order").startSpan();
    MessageSend send;
    try (io.opentelemetry.context.Scope ignored = application.makeCurrent()) {
      send = start("orders");
      send.leave();
    }
    MessageSend sent = send;
    String seenInCallback =
        CompletableFuture.supplyAsync(
                () -> {
                  sent.end(null);
                  try (AutoCloseable restored = sent.enterSendContext()) {
                    return io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get();
    application.end();
    assertThat(seenInCallback).isEqualTo(application.getSpanContext().getSpanId());
  }

  @Test
  void aSendInsideASendIsNotRecorded() {
    MessageSend outer = start("orders");
    assertThat(recorder.currentMessageSend()).isSameAs(outer);
    assertThat(start("orders")).isNull();
    outer.end(null);
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void aFailureIsTheExceptionClassAndEndsOnce() {
    MessageSend send = start("orders");
    send.end(new IOException("broker said no to customer 42"));
    send.end(null);
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(1);
    assertThat(finished.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(finished.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
    assertThat(finished.get(0).toString()).doesNotContain("customer 42");
  }

  @Test
  void confirmationsEndOneOrEveryPendingSendUpToTheSequence() {
    Object channel = new Object();
    for (long sequence = 1; sequence <= 4; sequence++) {
      MessageSend send = start("amq.default");
      send.bind(channel, sequence);
      send.leave();
    }
    recorder.messagesConfirmed(channel, 2, true, false);
    assertThat(spans.getFinishedSpanItems()).hasSize(2);
    recorder.messagesConfirmed(channel, 4, false, true);
    assertThat(spans.getFinishedSpanItems()).hasSize(3);
    SpanData nacked = spans.getFinishedSpanItems().get(2);
    assertThat(nacked.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("nack");
    recorder.messagesConfirmed(channel, 3, false, false);
    assertThat(spans.getFinishedSpanItems()).hasSize(4);
    recorder.messagesConfirmed(channel, 4, true, false);
    assertThat(spans.getFinishedSpanItems()).as("nothing ends twice").hasSize(4);
  }

  @Test
  void successfulSendsOfOneKeyEachGetTheirOwnServerInTheMetric() {
    Recorder capped =
        new Recorder(sdk, callSpans, "test", new KeyRegistry(1), new HashMap<>(), 100);
    for (String server : List.of("broker-1:9092", "broker-2:9093", "broker-1:9092")) {
      capped.startMessageSend("kafka", "kafka", "orders", "topic", server).end(null);
    }
    capped.startMessageSend("kafka", "kafka", "audit", "topic", "broker-2:9093").end(null);

    Map<String, Long> sent =
        List.copyOf(metrics.collectAllMetrics()).stream()
            .filter(m -> m.getName().equals("messaging.client.sent.messages"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .collect(
                Collectors.toMap(
                    p ->
                        p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))
                            + " "
                            + p.getAttributes().get(AttributeKey.stringKey("server.address"))
                            + ":"
                            + p.getAttributes().get(AttributeKey.longKey("server.port")),
                    p -> p.getValue()));
    assertThat(sent)
        .containsOnly(
            Map.entry("orders broker-1:9092", 2L),
            Map.entry("orders broker-2:9093", 1L),
            Map.entry("audit broker-2:9093", 1L));
  }

  @Test
  void durationAndSentMessagesMetrics() {
    start("orders").end(null);
    start("orders").end(new IllegalStateException());
    List<MetricData> all = List.copyOf(metrics.collectAllMetrics());
    MetricData sent =
        all.stream()
            .filter(m -> m.getName().equals("messaging.client.sent.messages"))
            .findFirst()
            .orElseThrow();
    long total = sent.getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum();
    assertThat(total).isEqualTo(2);
    assertThat(all).anyMatch(m -> m.getName().equals("messaging.client.operation.duration"));
  }
}
