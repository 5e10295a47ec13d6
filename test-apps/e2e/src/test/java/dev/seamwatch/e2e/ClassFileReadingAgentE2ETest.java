package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.JavaSources;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import dev.seamwatch.e2e.harness.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seamwatch attached before another agent whose transformer reads JDK class files through the class
 * loaders ({@code jrt:} URLs), as the OpenTelemetry Java agent does to match the subclasses of
 * {@code URLConnection}. The other agent is built here: its transformer reads {@code
 * URLConnection}'s class file when the classes of the {@code jrt:} handler load, and when the
 * application's class {@code probe.Later} loads, its own first read.
 *
 * <p>What this pins: if the JVM's first {@code jrt:} read happened inside Seamwatch's transformer
 * (on its startup thread, matching the exporter's HTTP client classes), the other agent's read
 * would meet the {@code jrt:} connection class while it is being loaded, on the same thread. The
 * JVM then throws {@code ClassCircularityError} and keeps it in the handler's constant pool, and
 * every later {@code jrt:} read fails: the application's, and Seamwatch's own matching. Found
 * beside the OpenTelemetry agent on Temurin 25, one run in three. The application waits before its
 * first read so that Seamwatch's startup thread has read first, which without the fix made this
 * fail in every run.
 */
class ClassFileReadingAgentE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String AGENT =
      """
      package probe;

      import java.io.InputStream;
      import java.lang.instrument.ClassFileTransformer;
      import java.lang.instrument.Instrumentation;
      import java.security.ProtectionDomain;

      public final class ReadingAgent implements ClassFileTransformer {
        private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

        public static void premain(String args, Instrumentation inst) {
          inst.addTransformer(new ReadingAgent());
        }

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) {
          if (name == null || busy.get() != null) {
            return null;
          }
          if (!name.startsWith("sun/net/www/protocol/jrt/") && !name.equals("probe/Later")) {
            return null;
          }
          busy.set(Boolean.TRUE);
          try (InputStream in =
              ClassLoader.getSystemResourceAsStream("java/net/URLConnection.class")) {
            in.read();
          } catch (Throwable t) {
            System.err.println("reading agent: " + t);
          } finally {
            busy.remove();
          }
          return null;
        }
      }
      """;

  private static final String APP =
      """
      package probe;

      import java.io.InputStream;
      import java.net.HttpURLConnection;
      import java.net.URL;

      public final class App {
        public static void main(String[] args) throws Exception {
          Thread.sleep(Long.parseLong(args[1]));
          System.out.println(new Later());
          try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/Object.class")) {
            System.out.println("read java/lang/Object.class: " + in.readAllBytes().length);
          }
          HttpURLConnection connection = (HttpURLConnection) new URL(args[0]).openConnection();
          System.out.println("status " + connection.getResponseCode());
          connection.getInputStream().readAllBytes();
        }
      }
      """;

  private static final String LATER =
      """
      package probe;

      final class Later {
        @Override
        public String toString() {
          return "later";
        }
      }
      """;

  @TempDir Path work;

  @Test
  void jdkClassFilesStayReadableForTheApplicationAndBothAgents() {
    Path agentClasses =
        JavaSources.compile(work, "agent", Map.of("probe/ReadingAgent.java", AGENT));
    Path readingAgent =
        JavaSources.agentJar(agentClasses, "probe.ReadingAgent", work.resolve("reading-agent.jar"));
    Path app =
        JavaSources.compile(work, "app", Map.of("probe/App.java", APP, "probe/Later.java", LATER));

    try (Upstream upstream = Upstream.start();
        OtlpReceiver receiver = OtlpReceiver.start()) {
      String url = upstream.baseUrl() + "/json";
      ChildJvm.Result alone =
          ChildJvm.builder()
              .agent(readingAgent)
              .classpath(app.toString())
              .mainClass("probe.App")
              .args(url, "0")
              .run()
              .assertSuccess();
      // The baseline: the other agent alone reads without trouble, so what follows is Seamwatch's.
      assertThat(alone.stderrLines()).as(alone.toString()).isEmpty();
      assertThat(alone.stdoutLines())
          .as(alone.toString())
          .hasSize(3)
          .startsWith("later")
          .endsWith("status 200");

      ChildJvm.Result both =
          ChildJvm.builder()
              .agent(ChildJvm.agentJar())
              .agent(readingAgent)
              .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
              .classpath(app.toString())
              .mainClass("probe.App")
              .args(url, "3000")
              .run();

      assertThat(both.exitCode()).as(both.toString()).isZero();
      assertThat(both.stdout()).as(both.toString()).isEqualTo(alone.stdout());
      assertThat(both.appStderrLines()).as(both.toString()).isEmpty();
      assertThat(both.seamwatchLines())
          .as(both.toString())
          .noneMatch(line -> line.contains("Error") || line.contains(" failed on "))
          .contains("[seamwatch] integration report: 1 integration(s), 1 call(s), 0 error(s)");
      List<ReceivedSpan> spans = receiver.awaitSpans(s -> true, 1, WAIT);
      assertThat(spans).extracting(ReceivedSpan::name).containsExactly("GET /json");
    }
  }
}
