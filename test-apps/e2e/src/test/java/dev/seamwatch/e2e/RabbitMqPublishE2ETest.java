package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.RabbitMqServer;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RabbitMQ publishers end to end, against a real broker: one PRODUCER span per publish, the context
 * in the message headers without touching the application's properties, publisher confirms ending
 * the span, a nack as a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitMqPublishE2ETest {

  private static final String APP = "dev.seamwatch.testapps.messaging.RabbitApp";

  private RabbitMqServer rabbit;
  private OtlpReceiver receiver;
  private ChildJvm.Result with;
  private ChildJvm.Result without;
  private List<ReceivedSpan> spans;

  @BeforeAll
  void run() {
    rabbit = RabbitMqServer.start();
    receiver = OtlpReceiver.start();
    without = app("plain").noAgent().run().assertSuccess();
    with =
        app("traced")
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    spans =
        receiver.awaitSpans(
            s -> s.kind() == SpanKind.SPAN_KIND_PRODUCER, 5, Duration.ofSeconds(20));
  }

  private ChildJvm.Builder app(String prefix) {
    return ChildJvm.builder()
        .classpath(ChildJvm.messagingAppClasspath())
        .mainClass(APP)
        .args(
            rabbit.uri(),
            "publish=" + prefix + "-orders",
            "confirmed=" + prefix + "-confirmed",
            "nacked=" + prefix + "-bounded",
            "missing-exchange=" + prefix + "-no-such-exchange",
            "consume=" + prefix + "-bounded");
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
  }

  @Test
  void theApplicationBehavesAsWithoutTheAgent() {
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertThat(with.stdoutLines())
        .containsExactly(
            "publish ok headers=[app]",
            "confirmed ok confirmed=true",
            "nacked ok confirmed=false",
            "missing-exchange failed com.rabbitmq.client.ShutdownSignalException",
            "consume [first[]]");
  }

  @Test
  void onePublishOneSpanWithTheContextInTheHeaders() throws Exception {
    ReceivedSpan publish = only("traced-orders");
    assertThat(publish.name()).isEqualTo("send amq.default");
    assertThat(publish.attributes())
        .containsEntry("messaging.system", "rabbitmq")
        .containsEntry("messaging.operation.type", "send")
        .containsEntry("messaging.destination.name", "amq.default")
        .containsEntry("messaging.rabbitmq.destination.routing_key", "traced-orders")
        .containsEntry("messaging.message.body.size", 8L)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) rabbit.amqpPort())
        .doesNotContainKey("error.type");
    try (Connection connection = rabbit.connectionFactory().newConnection();
        Channel channel = connection.createChannel()) {
      GetResponse message = channel.basicGet("traced-orders", true);
      assertThat(message).isNotNull();
      assertThat(message.getProps().getHeaders()).containsKey("app");
      assertThat(message.getProps().getHeaders().get("traceparent").toString())
          .startsWith("00-" + publish.traceId() + "-" + publish.spanId() + "-");
      assertThat(message.getProps().getContentType()).isEqualTo("application/json");
    }
  }

  @Test
  void publisherConfirmsEndTheSpanAndANackIsAFailure() {
    ReceivedSpan confirmed = only("traced-confirmed");
    assertThat(confirmed.attributes()).doesNotContainKey("error.type");
    List<ReceivedSpan> bounded = spansWithKey("traced-bounded");
    assertThat(bounded).hasSize(2);
    assertThat(bounded.get(0).attributes()).doesNotContainKey("error.type");
    assertThat(bounded.get(1).attr("error.type")).isEqualTo("nack");
    assertThat(bounded.get(1).statusCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void aChannelClosedBeforeTheConfirmFailsThePendingSend() {
    List<ReceivedSpan> lost = new ArrayList<>();
    for (ReceivedSpan span : spans) {
      if ("traced-no-such-exchange".equals(span.attr("messaging.destination.name"))) {
        lost.add(span);
      }
    }
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).attr("error.type"))
        .isEqualTo("com.rabbitmq.client.ShutdownSignalException");
  }

  private ReceivedSpan only(String routingKey) {
    List<ReceivedSpan> matching = spansWithKey(routingKey);
    assertThat(matching).as("spans for %s in %s", routingKey, spans).hasSize(1);
    return matching.get(0);
  }

  private List<ReceivedSpan> spansWithKey(String routingKey) {
    List<ReceivedSpan> matching = new ArrayList<>();
    for (ReceivedSpan span : spans) {
      if (routingKey.equals(span.attr("messaging.rabbitmq.destination.routing_key"))) {
        matching.add(span);
      }
    }
    matching.sort(
        (a, b) -> Long.compare(a.span().getStartTimeUnixNano(), b.span().getStartTimeUnixNano()));
    return matching;
  }
}
