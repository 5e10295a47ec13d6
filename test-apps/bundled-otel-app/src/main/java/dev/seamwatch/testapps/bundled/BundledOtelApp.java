package dev.seamwatch.testapps.bundled;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that bundles its own OpenTelemetry SDK and Byte Buddy, at versions other than the
 * agent's. It uses both, makes an HTTP call, and prints what it sees, the same with and without the
 * agent: its own spans, its own generated class, and whether any agent class is visible to it.
 */
public final class BundledOtelApp {

  public static void main(String[] args) throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .buildAndRegisterGlobal();
    Tracer tracer = GlobalOpenTelemetry.getTracer("bundled-app");
    Span parent = tracer.spanBuilder("app-parent").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      Span child = tracer.spanBuilder("app-child").startSpan();
      child.end();
      if (args.length > 0) {
        HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(args[0])).build(),
                    HttpResponse.BodyHandlers.ofString());
        System.out.println("http status=" + response.statusCode());
      }
    } finally {
      parent.end();
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    System.out.println(
        "own spans="
            + spans.stream().map(SpanData::getName).sorted().collect(Collectors.toList())
            + " same-trace="
            + (spans.size() == 2 && spans.get(0).getTraceId().equals(spans.get(1).getTraceId())));
    System.out.println(
        "own otel version=" + OpenTelemetrySdk.class.getPackage().getImplementationVersion());

    Object generated =
        new ByteBuddy()
            .subclass(Object.class)
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the app's own Byte Buddy"))
            .make()
            .load(BundledOtelApp.class.getClassLoader())
            .getLoaded()
            .getDeclaredConstructor()
            .newInstance();
    String byteBuddyJar =
        ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println(
        "own byte buddy: "
            + generated
            + " from "
            + byteBuddyJar.substring(byteBuddyJar.lastIndexOf('/') + 1));

    for (String name :
        new String[] {
          "dev.seamwatch.agent.AgentStarter",
          "dev.seamwatch.agent.recorder.Recorder",
          "dev.seamwatch.agent.shaded.io.opentelemetry.api.OpenTelemetry",
          "dev.seamwatch.agent.shaded.net.bytebuddy.ByteBuddy",
        }) {
      System.out.println("Class.forName(" + name + ") " + visible(name));
    }
    ClassLoader loader = BundledOtelApp.class.getClassLoader();
    System.out.println(
        "resources io/opentelemetry/api/OpenTelemetry.class: "
            + Collections.list(loader.getResources("io/opentelemetry/api/OpenTelemetry.class"))
                .stream()
                .map(URL::toString)
                .map(u -> u.contains("opentelemetry-api-") ? "app's opentelemetry-api jar" : u)
                .collect(Collectors.toList()));
    System.out.println(
        "resource dev/seamwatch/agent/AgentStarter.class: "
            + loader.getResource("dev/seamwatch/agent/AgentStarter.class"));
    sdk.close();
  }

  private static String visible(String name) {
    try {
      Class.forName(name);
      return "VISIBLE";
    } catch (ClassNotFoundException e) {
      return "not found";
    }
  }
}
