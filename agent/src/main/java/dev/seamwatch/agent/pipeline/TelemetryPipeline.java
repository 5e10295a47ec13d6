package dev.seamwatch.agent.pipeline;

import dev.seamwatch.agent.recorder.AgentThread;
import dev.seamwatch.agent.recorder.CallSpans;
import dev.seamwatch.bootstrap.SeamwatchLog;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OpenTelemetry SDK, built by the SDK's autoconfigure module so that every standard {@code
 * otel.*} property and {@code OTEL_*} variable means what users expect. Seamwatch only changes what
 * it must:
 *
 * <ul>
 *   <li>the resource gets the distro and host/process/runtime attributes, never the command line;
 *   <li>OTLP over HTTP exports run on {@link AgentThread}s (the exporters' executor), so the
 *       recorder can tell the agent's own {@code java.net.http} calls from the application's;
 *   <li>OTLP defaults to {@code http/protobuf} (the SDK alone defaults to {@code grpc});
 *   <li>the SDK reports its own health (dropped spans, exporter results) as metrics;
 *   <li>the log signal is OTLP too, as for traces and metrics: it carries the anomalies found after
 *       their call's span ended (a body read later); only Seamwatch emits log records;
 *   <li>autoconfigure's shutdown hook is off: the agent's own flushes with a short bound, so an
 *       unreachable collector cannot hold the JVM's exit.
 * </ul>
 */
public final class TelemetryPipeline {

  private final OpenTelemetrySdk sdk;
  private final CallSpans callSpans;
  private final ExecutorService exportExecutor;
  private final String description;

  private final String serviceName;

  private TelemetryPipeline(
      OpenTelemetrySdk sdk,
      CallSpans callSpans,
      ExecutorService exportExecutor,
      String description,
      String serviceName) {
    this.sdk = sdk;
    this.callSpans = callSpans;
    this.exportExecutor = exportExecutor;
    this.description = description;
    this.serviceName = serviceName;
  }

  public static TelemetryPipeline start(String version) {
    SdkLogForwarding.install();
    ExecutorService exportExecutor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            AgentThread.factory("export"));
    AtomicReference<ConfigProperties> config = new AtomicReference<>();
    AtomicReference<Resource> resourceBuilt = new AtomicReference<>();
    // The tracer provider's span processors (one per configured exporter), for the recorded
    // calls' own spans (CallSpans), which go to them as the SDK's spans do.
    List<SpanProcessor> processors = new CopyOnWriteArrayList<>();
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.logs.exporter", "otlp");
    // The SDK's own default is grpc; users of an agent expect the specification's default, as the
    // OpenTelemetry Java agent has it.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // The SDK's own health metrics in their semantic-convention form: spans dropped because the
    // export queue was full are otel.sdk.processor.span.processed{error.type=queue_full}, so a
    // burst larger than the queue is counted, not silently lost. ("legacy", the SDK's default,
    // exports none of them.)
    defaults.put("otel.experimental.sdk.telemetry.version", "latest");
    io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk built =
        AutoConfiguredOpenTelemetrySdk.builder()
            .setServiceClassLoader(TelemetryPipeline.class.getClassLoader())
            .disableShutdownHook()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesCustomizer(
                properties -> {
                  config.set(properties);
                  return Collections.emptyMap();
                })
            .addResourceCustomizer(
                (resource, properties) -> {
                  io.opentelemetry.sdk.resources.Resource merged =
                      AgentResource.detect(version).merge(resource);
                  resourceBuilt.set(merged);
                  return merged;
                })
            .addSpanProcessorCustomizer(
                (processor, properties) -> {
                  processors.add(processor);
                  return processor;
                })
            .addTracerProviderCustomizer(
                (tracers, properties) ->
                    // The tracer's own metrics count every span as it starts and ends
                    // (otel.sdk.span.started, otel.sdk.span.live): two counter updates on the
                    // calling thread per recorded call (about 2% of a JDBC call's added time),
                    // telling nothing the call metrics do not. A no-op meter provider for the
                    // tracer alone: the span processor was built with the real one before this
                    // customizer runs, so its metrics (queue size, spans processed and dropped)
                    // stay, and so do the exporters'.
                    tracers.setMeterProvider(io.opentelemetry.api.metrics.MeterProvider::noop))
            .addSpanExporterCustomizer(
                (exporter, properties) -> {
                  if (exporter instanceof OtlpHttpSpanExporter) {
                    OtlpHttpSpanExporter replacement =
                        ((OtlpHttpSpanExporter) exporter)
                            .toBuilder().setExecutorService(exportExecutor).build();
                    exporter.shutdown();
                    return replacement;
                  }
                  return exporter;
                })
            .addMetricExporterCustomizer(
                (exporter, properties) -> {
                  if (exporter instanceof OtlpHttpMetricExporter) {
                    OtlpHttpMetricExporter replacement =
                        ((OtlpHttpMetricExporter) exporter)
                            .toBuilder().setExecutorService(exportExecutor).build();
                    exporter.shutdown();
                    return replacement;
                  }
                  return exporter;
                })
            .addLogRecordExporterCustomizer(
                (exporter, properties) -> {
                  if (exporter instanceof OtlpHttpLogRecordExporter) {
                    OtlpHttpLogRecordExporter replacement =
                        ((OtlpHttpLogRecordExporter) exporter)
                            .toBuilder().setExecutorService(exportExecutor).build();
                    exporter.shutdown();
                    return replacement;
                  }
                  return exporter;
                })
            .build();
    OpenTelemetrySdk sdk = built.getOpenTelemetrySdk();
    SdkTracerProvider tracers = sdk.getSdkTracerProvider();
    CallSpans callSpans =
        CallSpans.create(
            processors,
            tracers.getSampler(),
            tracers.getSpanLimits(),
            resourceBuilt.get() != null ? resourceBuilt.get() : Resource.getDefault(),
            version);
    String service =
        resourceBuilt.get() == null
            ? null
            : resourceBuilt
                .get()
                .getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"));
    return new TelemetryPipeline(sdk, callSpans, exportExecutor, describe(config.get()), service);
  }

  /** The service's name, as the resource has it ({@code otel.service.name}). */
  public String serviceName() {
    return serviceName;
  }

  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  /** Starts the recorded calls' spans, for the SDK's span processors (see {@link CallSpans}). */
  public CallSpans callSpans() {
    return callSpans;
  }

  /** Where traces and metrics go, for the startup line. */
  public String description() {
    return description;
  }

  /**
   * Flushes and shuts the SDK down, waiting at most {@code timeoutMillis}. The SDK's shutdown
   * blocks its caller (the periodic metric reader exports synchronously, bounded only by the
   * exporter's timeout, 10 s by default), so it runs on a thread of its own and is abandoned when
   * time is up: an unreachable or hanging collector never holds the JVM's exit.
   */
  public void shutdown(long timeoutMillis) {
    long start = System.nanoTime();
    CompletableResultCode[] result = new CompletableResultCode[1];
    Thread flushing =
        new AgentThread(
            () -> {
              result[0] = sdk.shutdown();
              result[0].join(timeoutMillis, TimeUnit.MILLISECONDS);
            },
            "flush");
    flushing.start();
    try {
      flushing.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CompletableResultCode flushed = result[0];
    SeamwatchLog.debug(
        "telemetry flushed at exit: "
            + (flushed != null && flushed.isDone()
                ? (flushed.isSuccess() ? "ok" : "failed")
                : "timed out")
            + " in "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");
    exportExecutor.shutdownNow();
  }

  private static String describe(ConfigProperties config) {
    if (config == null) {
      return "exporters unknown";
    }
    return "traces "
        + signal(config, "traces", "otel.traces.exporter")
        + ", metrics "
        + signal(config, "metrics", "otel.metrics.exporter");
  }

  private static String signal(ConfigProperties config, String signal, String exporterKey) {
    String exporter = config.getString(exporterKey, "otlp");
    if (!exporter.contains("otlp")) {
      return exporter;
    }
    String protocol =
        config.getString(
            "otel.exporter.otlp." + signal + ".protocol",
            config.getString("otel.exporter.otlp.protocol", "http/protobuf"));
    boolean grpc = protocol.equals("grpc");
    String endpoint = config.getString("otel.exporter.otlp." + signal + ".endpoint");
    if (endpoint == null) {
      String base =
          config.getString(
              "otel.exporter.otlp.endpoint",
              grpc ? "http://localhost:4317" : "http://localhost:4318");
      endpoint = grpc ? base : base.replaceAll("/$", "") + "/v1/" + signal;
    }
    return exporter + " " + protocol + " " + endpoint;
  }
}
