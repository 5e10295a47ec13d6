package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.Upstream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Client versions outside the supported ranges (Apache HttpClient 4.2, whose classes the advice
 * names do not exist; OkHttp 3.14, whose calls live in other classes): the application runs as
 * without the agent, nothing of the library is rewritten, and each gets one line saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnsupportedLibraryVersionsE2ETest {

  private static final String APP = "dev.seamwatch.testapps.httpclients.contract.ContractApp";

  private OtlpReceiver receiver;
  private Upstream upstream;

  @BeforeAll
  void start() {
    receiver = OtlpReceiver.start();
    upstream = Upstream.start();
  }

  @AfterAll
  void stop() {
    receiver.close();
    upstream.close();
  }

  private ChildJvm.Result run(String client, boolean agent) {
    ChildJvm.Builder app =
        ChildJvm.builder()
            .classpath(ChildJvm.unsupportedHttpClientsClasspath())
            .mainClass(APP)
            .args(
                client,
                "get=" + upstream.baseUrl() + "/bytes/64",
                "get=" + upstream.baseUrl() + "/status/503");
    if (agent) {
      app.agent(ChildJvm.agentJar())
          .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint());
    } else {
      app.noAgent();
    }
    return app.run().assertSuccess();
  }

  @Test
  void apacheHttpClient42() {
    assertLeftAlone("apache-httpclient-4-legacy", "apache-httpclient-4", "InternalHttpClient");
  }

  @Test
  void okHttp3() {
    assertLeftAlone("okhttp", "okhttp", "okhttp3.internal.connection.RealCall not found");
  }

  private void assertLeftAlone(String client, String instrumentation, String reason) {
    ChildJvm.Result without = run(client, false);
    ChildJvm.Result with = run(client, true);
    assertThat(without.stdoutLines())
        .containsExactly("get status=200 body=64", "get status=503 body=10");
    assertThat(with.stdoutLines()).isEqualTo(without.stdoutLines());
    assertThat(with.appStderrLines()).isEqualTo(without.appStderrLines());
    List<String> skipped =
        with.seamwatchLines().stream()
            .filter(line -> line.contains("instrumentation " + instrumentation + " skipped"))
            .toList();
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0)).contains(reason).contains("Supported: ");
    assertThat(with.seamwatchLines())
        .noneMatch(line -> line.contains("failed") || line.contains("Error"));
    // Nothing of these calls was traced; the agent itself still exported (its own spans: none).
    assertThat(receiver.spans())
        .noneMatch(s -> Long.valueOf(upstream.port()).equals(s.attr("server.port")));
  }
}
