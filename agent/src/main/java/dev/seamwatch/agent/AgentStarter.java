package dev.seamwatch.agent;

import dev.seamwatch.agent.anomaly.AnomalySettings;
import dev.seamwatch.agent.anomaly.BodySniffer;
import dev.seamwatch.agent.catalog.Catalog;
import dev.seamwatch.agent.catalog.Integration;
import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import dev.seamwatch.agent.instrumentation.Instrumentations;
import dev.seamwatch.agent.pipeline.TelemetryPipeline;
import dev.seamwatch.agent.recorder.AgentThread;
import dev.seamwatch.agent.recorder.Anomalies;
import dev.seamwatch.agent.recorder.FailingRecorder;
import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.agent.recorder.KeyRegistry;
import dev.seamwatch.agent.recorder.MessagingAdapter;
import dev.seamwatch.agent.recorder.Recorder;
import dev.seamwatch.agent.recorder.SlotContextStorage;
import dev.seamwatch.agent.report.IntegrationDetails;
import dev.seamwatch.agent.report.IntegrationReports;
import dev.seamwatch.agent.report.ReportModel;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts the agent inside its own class loader: installs the instrumentations, then builds the
 * telemetry pipeline and swaps the recorder into the bridge.
 *
 * <p>Installing is cheap (see {@link Installer}); Byte Buddy and the pipeline are built on two
 * background threads and premain returns at once. By default, {@code seamwatch.startup=sync}, a
 * call made before the pipeline is ready waits for it: every call is recorded, the first one of a
 * short batch job too, and an application that makes no early call does not wait at all. With
 * {@code async}, calls made before it is ready are not recorded, and the report counts them as
 * "before the agent started".
 */
public final class AgentStarter {

  private static final String DEFAULT_STARTUP = "sync";

  private AgentStarter() {}

  public static void start(Instrumentation inst, String args, long startNanos) {
    // First, before anything of the agent's reads a context (the storage is chosen then, once).
    boolean slotStorage = SlotContextStorage.install();
    AgentConfig config = AgentConfig.fromSystem();
    String levelProblem = SeamwatchLog.setLevel(config.raw("seamwatch.log.level"));
    if (levelProblem != null) {
      SeamwatchLog.warn(
          "setting seamwatch.log.level="
              + config.raw("seamwatch.log.level")
              + " is not valid ("
              + levelProblem
              + "); using the default, info");
    }
    if (!slotStorage) {
      SeamwatchLog.debug(
          "a context was read before the agent's storage was set; using the default");
    }
    String version = version();
    boolean async =
        config.getChoice("seamwatch.startup", DEFAULT_STARTUP, "sync", "async").equals("async");
    KeyRegistry keys = KeyRegistry.fromConfig(config);
    java.time.Duration sloWindow =
        config.getDuration(
            "seamwatch.slo.error-rate.window",
            java.time.Duration.ofMinutes(1),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofDays(1));
    int poolWaitSpanMillis =
        config.getInt("seamwatch.jdbc.pool-wait.span-threshold-ms", 100, 0, 3_600_000);
    long shutdownMillis = config.getInt("seamwatch.shutdown.timeout.ms", 3000, 0, 60_000);
    long startedAtMillis = System.currentTimeMillis();
    boolean failingRecorder = config.getBoolean("seamwatch.debug.failing-recorder", false);
    AnomalySettings anomalySettings = AnomalySettings.from(config);
    int spansPerOperation = config.getInt("seamwatch.spans.per-operation", 1000, 0, 1_000_000);
    int bodyScanBytes =
        config.getInt("seamwatch.http.body.scan-bytes", BodySniffer.DEFAULT_LIMIT, 0, 1024 * 1024);

    Set<String> instrumentationNames = new HashSet<>();
    for (ClientInstrumentation instrumentation : Instrumentations.all()) {
      instrumentationNames.add(instrumentation.name());
      instrumentationNames.add(instrumentation.family());
    }
    config.reportUnknownInstrumentations(instrumentationNames);
    Installer installer = Installer.install(inst, config, Instrumentations.all());
    List<ClientInstrumentation> enabled = installer.enabled();

    AgentRuntime runtime = new AgentRuntime();
    runtime.reports =
        IntegrationReports.fromConfig(
            config, () -> runtime.model(version, startedAtMillis), Bridge::callsBeforeStart);
    runtime.reports.start();
    Runnable startPipeline =
        () -> {
          try {
            TelemetryPipeline pipeline = TelemetryPipeline.start(version);
            pipeline.callSpans().spansPerOperation(spansPerOperation);
            Map<String, HttpClientAdapter> adapters = new HashMap<>();
            Map<String, MessagingAdapter> messagingAdapters = new HashMap<>();
            for (ClientInstrumentation instrumentation : enabled) {
              if (instrumentation.httpAdapter() != null) {
                adapters.put(instrumentation.name(), instrumentation.httpAdapter());
              }
              if (instrumentation.messagingAdapter() != null) {
                messagingAdapters.put(instrumentation.name(), instrumentation.messagingAdapter());
              }
            }
            // Parsing YAML loads a hundred classes: done here, beside Byte Buddy's warm-up, not
            // before it. A bad file says so in one line per mistake; the application starts.
            Catalog catalog = Catalog.fromConfig(config);
            Recorder recorder =
                new Recorder(
                    pipeline.sdk(),
                    pipeline.callSpans(),
                    version,
                    keys,
                    adapters,
                    messagingAdapters,
                    poolWaitSpanMillis,
                    new Anomalies(pipeline.sdk(), anomalySettings, bodyScanBytes),
                    catalog);
            recorder.sloWindow(sloWindow);
            runtime.started(pipeline, recorder);
            Bridge.install(failingRecorder ? new FailingRecorder() : recorder);
            SeamwatchLog.info(
                "Seamwatch "
                    + version
                    + " started in "
                    + (System.nanoTime() - startNanos) / 1_000_000
                    + " ms"
                    + (async ? " (in the background)" : "")
                    + "; instrumentations: "
                    + (enabled.isEmpty()
                        ? "none"
                        : enabled.stream()
                            .map(ClientInstrumentation::name)
                            .distinct()
                            .collect(Collectors.joining(", ")))
                    + "; "
                    + pipeline.description());
          } catch (Throwable t) {
            runtime.failed();
            Bridge.startFailed();
            SeamwatchLog.error(
                "agent not started, the application runs without it: could not build the"
                    + " OpenTelemetry pipeline: "
                    // A bad otel.* setting says which in its message; the relocated class name
                    // of the exception would only be noise.
                    + (t.getMessage() != null ? t.getMessage() : t.toString()));
          }
        };

    // Byte Buddy and the SDK are independent: on a machine with two cores they build side by
    // side, and beside the application's own start. A class the instrumentations name that loads
    // meanwhile waits for Byte Buddy. premain returns at once in both modes; they differ in what a
    // call made before the SDK is ready does: with sync it waits for it (Bridge.awaitStart, at most
    // Bridge.START_WAIT_MILLIS) and is recorded, so an application that calls out at once pays the
    // rest of the start in that call, and one that does not never pays it; with async it is only
    // counted.
    if (!async) {
      Bridge.waitForStart();
    }
    new AgentThread(installer::prewarm, "instrument").start();
    new AgentThread(startPipeline, "start").start();
    Runtime.getRuntime()
        .addShutdownHook(new AgentThread(() -> runtime.shutdown(shutdownMillis), "shutdown"));
  }

  private static String version() {
    try (InputStream in = AgentStarter.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** What the shutdown hook needs once the pipeline is up. */
  private static final class AgentRuntime {
    private volatile TelemetryPipeline pipeline;
    private volatile Recorder recorder;
    private volatile boolean failed;
    private volatile IntegrationReports reports;

    void failed() {
      failed = true;
    }

    void started(TelemetryPipeline pipeline, Recorder recorder) {
      this.pipeline = pipeline;
      this.recorder = recorder;
    }

    /**
     * The report as of now: every operation key, with the catalog's owner, tier and runbook and the
     * readiness findings of each integration. Empty until the pipeline is up.
     */
    ReportModel model(String version, long startedAtMillis) {
      Recorder r = recorder;
      TelemetryPipeline p = pipeline;
      return ReportModel.from(
          p == null ? null : p.serviceName(),
          version,
          startedAtMillis,
          System.currentTimeMillis(),
          r == null ? new ArrayList<>() : r.keys().snapshot(),
          name -> r == null ? null : details(r, name));
    }

    private static IntegrationDetails details(Recorder recorder, String integration) {
      Integration entry = null;
      for (Integration candidate : recorder.catalog().integrations()) {
        if (candidate.name().equals(integration)) {
          entry = candidate;
          break;
        }
      }
      List<String> readiness = recorder.readiness().of(integration);
      if (entry == null && readiness.isEmpty()) {
        return null;
      }
      return new IntegrationDetails(
          entry == null ? null : entry.owner(),
          entry == null ? null : entry.tier(),
          entry == null ? null : entry.runbook(),
          readiness);
    }

    /**
     * Prints the report and flushes. If the pipeline is still being built (async startup, a job
     * that ended first), nothing was recorded: the report only counts the calls, and the exit does
     * not wait for a pipeline that would have nothing to send.
     */
    void shutdown(long timeoutMillis) {
      try {
        IntegrationReports r = reports;
        if (r != null && !failed) {
          r.writeFinal();
        }
        TelemetryPipeline p = pipeline;
        if (p != null) {
          p.shutdown(timeoutMillis);
        }
      } catch (Throwable t) {
        SeamwatchLog.warn("shutdown incomplete: " + t);
      }
    }
  }
}
