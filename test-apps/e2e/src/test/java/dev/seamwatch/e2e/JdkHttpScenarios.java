package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import dev.seamwatch.e2e.harness.OtlpReceiver;
import dev.seamwatch.e2e.harness.ReceivedMetric;
import dev.seamwatch.e2e.harness.ReceivedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calls {@code JdkHttpClientApp} makes in the java.net.http end-to-end tests, written down as
 * data, and the child JVMs that make them.
 *
 * <p>Every call gets its own path on the upstream, so that its span, its recorded request (and so
 * its traceparent) and its stdout line can be matched one to one.
 */
final class JdkHttpScenarios {
  static final String MAIN_CLASS = "dev.seamwatch.testapps.JdkHttpClientApp";
  static final String SECRET = "s3cr3t-XYZ";
  static final String PASSWORD = "pass";

  /** One application call: the app's scenario name and the URL it calls. */
  record Call(String scenario, String url) {
    String arg() {
      return scenario + "=" + url;
    }
  }

  private JdkHttpScenarios() {}

  /**
   * The full list for the main run: every scenario of the app, the error cases and the URLs with
   * secrets. Calls are listed in the order the app makes them.
   */
  static List<Call> coreCalls(String base, int refusedPort) {
    List<Call> calls = new ArrayList<>();
    calls.add(new Call("get", base + "/json?token=" + SECRET + "&page=2#frag"));
    calls.add(new Call("get-bytes", base + "/bytes/777"));
    calls.add(new Call("get-discard", base + "/bytes/321"));
    calls.add(new Call("post", base + "/echo"));
    calls.add(new Call("async", base + "/async-two"));
    calls.add(new Call("async-push", base + "/async-three"));
    calls.add(new Call("http2", base + "/h2"));
    calls.add(new Call("get", base + "/status/500"));
    calls.add(new Call("get", base + "/status/500"));
    calls.add(new Call("get", base + "/status/404"));
    calls.add(new Call("get", "http://127.0.0.1:" + refusedPort + "/refused"));
    calls.add(new Call("timeout", base + "/delay/2000"));
    calls.add(new Call("async-timeout", base + "/delay/2001"));
    calls.add(new Call("cancel", base + "/delay/1500"));
    calls.add(new Call("own-request", base + "/own"));
    // Whether the JDK sends a URL with user-info or refuses it, nothing of it may leak.
    calls.add(
        new Call(
            "get",
            base.replace("http://", "http://user:" + PASSWORD + "@")
                + "/private?token="
                + SECRET
                + "&page=2"));
    // A redirect the client follows: one logical call, two requests.
    calls.add(new Call("follow", base + "/redirect/followed"));
    return calls;
  }

  /** A few calls for the runs that check one more JDK or one more transport. */
  static List<Call> smokeCalls(String base) {
    return List.of(
        new Call("get", base + "/json?token=" + SECRET),
        new Call("post", base + "/echo"),
        new Call("async", base + "/async-two"),
        new Call("get", base + "/status/500"));
  }

  /**
   * The agent exporting over OTLP http/protobuf, named explicitly so that these runs test the
   * instrumentation whatever the default protocol; the default has a test of its own.
   */
  static ChildJvm.Builder withAgent(OtlpReceiver receiver, String service, List<Call> calls) {
    return withAgentDefaults(receiver, service, calls)
        .sysProp("otel.exporter.otlp.protocol", "http/protobuf");
  }

  /** The agent as the design's example runs it: only the endpoint and the service name set. */
  static ChildJvm.Builder withAgentDefaults(
      OtlpReceiver receiver, String service, List<Call> calls) {
    return app(calls)
        .agent(ChildJvm.agentJar())
        .sysProp("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
        .sysProp("otel.service.name", service)
        .sysProp("otel.bsp.schedule.delay", "100")
        .sysProp("otel.metric.export.interval", "500");
  }

  static ChildJvm.Builder withoutAgent(List<Call> calls) {
    return app(calls).noAgent();
  }

  private static ChildJvm.Builder app(List<Call> calls) {
    return ChildJvm.builder()
        .classpath(ChildJvm.appsJar())
        .mainClass(MAIN_CLASS)
        .args(calls.stream().map(Call::arg).toArray(String[]::new));
  }

  /**
   * The version, trace id and span id of a W3C traceparent, and whether its sampled flag is set;
   * the other flag bits (such as Level 2's random-trace-id) are the SDK's choice.
   */
  static String contextOf(String traceparent) {
    String[] parts = traceparent.split("-");
    if (parts.length != 4) {
      return "malformed " + traceparent;
    }
    boolean sampled = (Integer.parseInt(parts[3], 16) & 1) == 1;
    return parts[0] + "-" + parts[1] + "-" + parts[2] + (sampled ? " sampled" : " not sampled");
  }

  /** What {@link #contextOf} must return for the traceparent the agent sent for this span. */
  static String contextOf(ReceivedSpan span) {
    return "00-" + span.traceId() + "-" + span.spanId() + " sampled";
  }

  /**
   * Every string the receiver got that the agent wrote: span names, status messages, attribute keys
   * and values (of spans, events, resources, metric points), each with where it was found.
   */
  static List<String> exportedStrings(List<ReceivedSpan> spans, List<ReceivedMetric> metrics) {
    List<String> out = new ArrayList<>();
    for (ReceivedSpan span : spans) {
      String where = "span " + span.name();
      out.add(where + " name: " + span.name());
      out.add(where + " status: " + span.statusMessage());
      flatten(where + " attribute", span.attributes(), out);
      flatten(where + " resource", span.resource(), out);
      span.events()
          .forEach(
              e -> {
                out.add(where + " event: " + e.getName());
                e.getAttributesList()
                    .forEach(kv -> out.add(where + " event attribute " + kv.toString()));
              });
    }
    for (ReceivedMetric metric : metrics) {
      String where = "metric " + metric.name();
      flatten(where + " resource", metric.resource(), out);
      metric.points().forEach(p -> flatten(where + " point", p.attributes(), out));
    }
    return out;
  }

  private static void flatten(String where, Map<String, Object> attributes, List<String> out) {
    attributes.forEach((key, value) -> out.add(where + " " + key + "=" + value));
  }
}
