package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.Jdks;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application bundling its own OpenTelemetry SDK (1.58.0) and Byte Buddy (1.17.8) runs exactly
 * as without the agent, cannot see any agent class, and the two telemetry worlds stay apart: on
 * Java 17 and on Java 25, where the bridge is defined in the bootstrap loader differently enough
 * (module and Unsafe rules) to deserve its own run.
 */
class BundledLibrariesE2ETest {

  private static final String MAIN = "dev.seamwatch.testapps.bundled.BundledOtelApp";

  static List<Path> jdks() {
    return List.of(Jdks.current(), Jdks.temurin25());
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void applicationWithItsOwnOpenTelemetryAndByteBuddyRunsAsWithoutTheAgent(Path javaHome) {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        Upstream upstream = Upstream.start()) {
      String url = upstream.baseUrl() + "/json";
      ChildJvm.Result without =
          ChildJvm.builder()
              .javaHome(javaHome)
              .noAgent()
              .classpath(ChildJvm.bundledAppClasspath())
              .mainClass(MAIN)
              .args(url)
              .run()
              .assertSuccess();
      ChildJvm.Result with =
          ChildJvm.builder()
              .javaHome(javaHome)
              .agent(ChildJvm.agentJar())
              .classpath(ChildJvm.bundledAppClasspath())
              .mainClass(MAIN)
              .args(url)
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .sysProp("otel.service.name", "bundled")
              .run()
              .assertSuccess();

      assertThat(with.stdout()).isEqualTo(without.stdout());
      assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
      assertThat(with.stdout())
          .contains("http status=200")
          .contains("own spans=[app-child, app-parent] same-trace=true")
          .contains("own otel version=1.58.0")
          .contains("own byte buddy: made by the app's own Byte Buddy from byte-buddy-1.17.8.jar")
          .contains("Class.forName(dev.seamwatch.agent.AgentStarter) not found")
          .contains("Class.forName(dev.seamwatch.agent.recorder.Recorder) not found")
          .contains(
              "Class.forName(dev.seamwatch.agent.shaded.io.opentelemetry.api.OpenTelemetry) not found")
          .contains("Class.forName(dev.seamwatch.agent.shaded.net.bytebuddy.ByteBuddy) not found")
          .contains(
              "resources io/opentelemetry/api/OpenTelemetry.class: [app's opentelemetry-api jar]")
          .contains("resource dev/seamwatch/agent/AgentStarter.class: null")
          .doesNotContain("VISIBLE");

      // The agent still records the application's HTTP call...
      List<ReceivedSpan> ours =
          receiver.awaitSpans(s -> s.name().equals("GET /json"), 1, Duration.ofSeconds(10));
      assertThat(ours).hasSize(1);
      assertThat(ours.get(0).scopeName()).isEqualTo("dev.seamwatch");
      // ...and never exports the application's own spans, nor does the app's SDK see ours.
      assertThat(receiver.spans()).noneMatch(s -> s.name().startsWith("app-"));
      assertThat(upstream.requests()).hasSize(2);
      assertThat(upstream.requests().get(1).header("traceparent"))
          .contains(ours.get(0).traceId())
          .contains(ours.get(0).spanId());
    }
  }
}
