package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ArtemisBroker;
import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * JMS producers end to end, javax.jms and jakarta.jms, against a real ActiveMQ Artemis broker: a
 * PRODUCER span per send (bound producer, unbound producer, {@code JMSProducer}), the context as a
 * message property that the consumer receives, the application otherwise unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmsProducerE2ETest {

  private static final String JAKARTA = "dev.seamwatch.testapps.messaging.jms.JakartaJmsApp";
  private static final String JAVAX = "dev.seamwatch.testapps.messaging.jms.JavaxJmsApp";

  private ArtemisBroker artemis;
  private OtlpReceiver receiver;

  @BeforeAll
  void start() {
    artemis = ArtemisBroker.start();
    receiver = OtlpReceiver.start();
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (artemis != null) {
      artemis.close();
    }
  }

  @Test
  void jakartaJms() {
    assertTraced(ChildJvm.messagingAppClasspath(), JAKARTA, "jakarta-orders");
  }

  @Test
  void javaxJms() {
    assertTraced(ChildJvm.javaxJmsAppClasspath(), JAVAX, "javax-orders");
  }

  private void assertTraced(List<String> classpath, String app, String queue) {
    ChildJvm.Result without =
        ChildJvm.builder()
            .classpath(classpath)
            .mainClass(app)
            .args(artemis.brokerUrl(), queue + "-plain")
            .noAgent()
            .run()
            .assertSuccess();
    ChildJvm.Result with =
        ChildJvm.builder()
            .classpath(classpath)
            .mainClass(app)
            .args(artemis.brokerUrl(), queue)
            .agent(ChildJvm.agentJar())
            .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
            .run()
            .assertSuccess();
    List<String> expected =
        List.of(
            "text sent",
            "bytes sent",
            "jmsproducer sent",
            "consumed [{\"id\":1}[app], bytes:64[], from JMSProducer[]]");
    assertThat(without.stdoutLines()).startsWith(expected.toArray(new String[0]));
    assertThat(with.stdoutLines().subList(0, 4)).isEqualTo(without.stdoutLines().subList(0, 4));
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    assertThat(without.stdoutLines().get(4)).isEqualTo("traceparents [null, null, null]");

    List<ReceivedSpan> spans =
        new ArrayList<>(
            receiver.awaitSpans(
                s ->
                    s.kind() == SpanKind.SPAN_KIND_PRODUCER
                        && queue.equals(s.attr("messaging.destination.name")),
                3,
                Duration.ofSeconds(20)));
    assertThat(spans).hasSize(3);
    spans.sort(
        (a, b) -> Long.compare(a.span().getStartTimeUnixNano(), b.span().getStartTimeUnixNano()));
    for (ReceivedSpan span : spans) {
      assertThat(span.name()).isEqualTo("send " + queue);
      assertThat(span.attributes())
          .containsEntry("messaging.system", "jms")
          .containsEntry("messaging.operation.type", "send")
          .containsEntry("seamwatch.messaging.destination.kind", "queue")
          .doesNotContainKey("error.type");
    }
    assertThat(spans.get(0).attr("messaging.message.body.size")).isEqualTo(8L);
    assertThat(spans.get(1).attr("messaging.message.body.size")).isEqualTo(64L);
    assertThat(spans.get(2).attr("messaging.message.body.size")).isEqualTo(16L);

    String contexts = with.stdoutLines().get(4);
    for (ReceivedSpan span : spans) {
      assertThat(contexts).contains("00-" + span.traceId() + "-" + span.spanId() + "-");
    }
  }
}
