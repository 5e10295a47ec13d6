package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Load: eight threads calling at once. With a healthy collector and the default settings every span
 * of a moderate burst arrives (count exact). Under a burst larger than the export queue, the spans
 * exported plus the spans the SDK counts as dropped ({@code otel.sdk.processor.span.processed} with
 * {@code error.type=queue_full}) are exactly the calls made (part of #8).
 */
class LoadE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ChildJvm.Builder app(OtlpReceiver receiver, String service, int perThread) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsClasspath())
        .mainClass("dev.seamwatch.testapps.LoadApp")
        .args("8", Integer.toString(perThread))
        .agent(ChildJvm.agentJar())
        .sysProp("otel.service.name", service)
        .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
        .sysProp("seamwatch.report.file", "none")
        .sysProp("seamwatch.anomaly.repeated_call.enabled", "false")
        .timeout(Duration.ofSeconds(120));
  }

  private static long spansOf(OtlpReceiver receiver, String service) {
    return receiver.spans().stream()
        .filter(s -> service.equals(s.resource().get("service.name")))
        .filter(s -> s.name().equals("GET /load"))
        .count();
  }

  @Test
  void everySpanOfAModerateBurstArrives() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result result = app(receiver, "load-moderate", 200).run().assertSuccess();
      assertThat(result.stdoutLines()).containsExactly("calls ok=1600");
      receiver.awaitSpans(
          s -> "load-moderate".equals(s.resource().get("service.name")), 1600, WAIT);
      long arrived = spansOf(receiver, "load-moderate");
      assertThat(arrived).isEqualTo(1600);
    }
  }

  @Test
  void aBurstLargerThanTheQueueIsExportedOrCountedAsDropped() {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ChildJvm.Result result =
          app(receiver, "load-burst", 250)
              // A queue of 100 that is exported only at exit: most of 2,000 spans cannot wait.
              .sysProp("otel.bsp.max.queue.size", "100")
              .sysProp("otel.bsp.max.export.batch.size", "100")
              .sysProp("otel.bsp.schedule.delay", "60000")
              .run()
              .assertSuccess();
      assertThat(result.stdoutLines()).containsExactly("calls ok=2000");
      long exported = spansOf(receiver, "load-burst");
      List<ReceivedMetric> processed =
          receiver.metrics().stream()
              .filter(m -> m.name().equals("otel.sdk.processor.span.processed"))
              .filter(m -> "load-burst".equals(m.resource().get("service.name")))
              .toList();
      // Cumulative: the latest point of the queue_full series is the total dropped.
      long dropped =
          processed.stream()
              .flatMap(m -> m.points().stream())
              .filter(p -> "queue_full".equals(p.attr("error.type")))
              .mapToLong(p -> p.value().longValue())
              .max()
              .orElse(0);
      assertThat(dropped).as("spans dropped, as the SDK counts them").isPositive();
      assertThat(exported).as("spans exported").isPositive();
      assertThat(exported + dropped).isEqualTo(2000);
      // The tracer's own per-span counters are not kept (they would cost every call two counter
      // updates); the processor's, above, are.
      assertThat(
              receiver.metrics().stream()
                  .filter(m -> "load-burst".equals(m.resource().get("service.name")))
                  .map(ReceivedMetric::name)
                  .distinct())
          .contains("otel.sdk.processor.span.processed")
          .doesNotContain("otel.sdk.span.started", "otel.sdk.span.live");
    }
  }
}
