package dev.seamwatch.benchmarks;

import dev.seamwatch.agent.anomaly.AnomalySettings;
import dev.seamwatch.agent.anomaly.BodySniffer;
import dev.seamwatch.agent.catalog.Catalog;
import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.pipeline.TelemetryPipeline;
import dev.seamwatch.agent.recorder.Anomalies;
import dev.seamwatch.agent.recorder.KeyRegistry;
import dev.seamwatch.agent.recorder.Recorder;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.CallRecorder;
import dev.seamwatch.bootstrap.DbCall;
import dev.seamwatch.bootstrap.HttpClientCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one whole recorded call on the application's thread: every bridge call the advice
 * makes for it, in the advice's order, on a recorder built as {@code AgentStarter} builds it.
 *
 * <ul>
 *   <li>{@code jdbcQuery}: one prepared query through the JDBC advice: {@code prepareStatement}'s
 *       exit, {@code executeQuery}'s enter and exit, {@code next()} for five rows and the false one
 *       that ends them, then the result set's and the statement's {@code close()}.
 *   <li>{@code httpCall}: one GET through the Apache HttpClient 5 classic advice: {@code execute}'s
 *       enter (start, request body size), the attempt's (trace headers, timeouts), {@code
 *       execute}'s exit (status, protocol, declared response length).
 *   <li>{@code parentScope}: only making the caller's trace current and closing it, which both
 *       others do around their call, as the application's server span would be. Subtract it for the
 *       recorder's own share.
 * </ul>
 *
 * <p>Included: the agent's pipeline as it starts in production ({@code TelemetryPipeline}: the SDK
 * built by autoconfigure with the agent's defaults, parent-based always-on sampling, a {@code
 * BatchSpanProcessor} with its default queue, the periodic metric reader, the batch log processor
 * and the SDK's own health metrics), span creation with every attribute, context propagation into
 * headers, the duration histograms, the key registry, the anomaly engine on every measure,
 * readiness checks, URL redaction and templating, SQL sanitizing (a cache hit after the first call)
 * and row counting. The calls run inside a sampled trace that changes every four calls, so spans
 * are children and the N+1 rule sees a trace id; the calls are normal, so few findings are made.
 *
 * <p>Not included: export over the network, since the exporters are {@link DiscardingExporters}
 * (the batch processor's worker still takes each span and builds its data, on its own thread); the
 * client library and the driver: the H2 statement and result set are real, but they were executed
 * once, in setup, and are handed to the recorder again on every call, as to a pool that caches
 * statements (the recorder does call their metadata getters); response body watching; the advice's
 * own glue and Byte Buddy's dispatch.
 *
 * <p>With {@code -prof gc}, B/op counts what every thread of the JVM allocates ({@code
 * getTotalThreadAllocatedBytes}), so it includes the export worker's span data. When the calls come
 * faster than the worker empties the queue, the processor drops spans (counted by the SDK, printed
 * after each trial), which is what it does in production under such a load.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecorderBenchmark {

  /** The agent's pipeline and recorder, installed in the bridge as the agent installs them. */
  @State(Scope.Benchmark)
  public static class Agent {
    /**
     * The SDK's own logger, held strongly (java.util.logging keeps loggers weakly). In the agent
     * its relocated name goes to Seamwatch's log, once a minute at most; unrelocated here, its
     * warnings of dropped spans would land amid JMH's figures, so it is silenced, and the drops are
     * counted and printed after the trial instead.
     */
    static final java.util.logging.Logger SDK_LOG =
        java.util.logging.Logger.getLogger("io.opentelemetry");

    TelemetryPipeline pipeline;

    @Setup(Level.Trial)
    public void setUp() {
      System.setProperty("otel.service.name", "seamwatch-jmh");
      System.setProperty("otel.traces.exporter", DiscardingExporters.NAME);
      System.setProperty("otel.metrics.exporter", DiscardingExporters.NAME);
      System.setProperty("otel.logs.exporter", DiscardingExporters.NAME);
      DiscardingExporters.reset();
      SDK_LOG.setLevel(java.util.logging.Level.OFF);
      pipeline = TelemetryPipeline.start("jmh");
      String tracing = pipeline.sdk().getSdkTracerProvider().toString();
      if (!tracing.contains("BatchSpanProcessor") || !tracing.contains("DiscardingExporters")) {
        throw new IllegalStateException("not the pipeline meant to be measured: " + tracing);
      }
      // As AgentStarter does, from the same (default) settings. No client adapters: the two
      // clients measured hand over plain facts. No catalog file is configured.
      AgentConfig config = AgentConfig.fromSystem();
      Recorder recorder =
          new Recorder(
              pipeline.sdk(),
              pipeline.callSpans(),
              "jmh",
              KeyRegistry.fromConfig(config),
              Map.of(),
              Map.of(),
              config.getInt("seamwatch.jdbc.pool-wait.span-threshold-ms", 100, 0, 3_600_000),
              new Anomalies(
                  pipeline.sdk(),
                  AnomalySettings.from(config),
                  config.getInt(
                      "seamwatch.http.body.scan-bytes", BodySniffer.DEFAULT_LIMIT, 0, 1024 * 1024)),
              Catalog.fromConfig(config));
      recorder.sloWindow(
          config.getDuration(
              "seamwatch.slo.error-rate.window",
              Duration.ofMinutes(1),
              Duration.ofSeconds(1),
              Duration.ofDays(1)));
      Bridge.install(recorder);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      Bridge.install(null);
      // Flushes the spans still queued and collects the metrics one last time.
      pipeline.shutdown(10_000);
      long exported = DiscardingExporters.spansExported.get();
      long dropped = DiscardingExporters.spansDropped.get();
      System.out.printf(
          "%nspans exported %d, dropped by the full queue %d (%.1f%%), anomaly log records %d%n",
          exported,
          dropped,
          100.0 * dropped / Math.max(1, exported + dropped),
          DiscardingExporters.logRecordsExported.get());
      if (exported == 0) {
        throw new IllegalStateException("no span reached the exporter: nothing was recorded");
      }
    }
  }

  /** The application's traces, one per four calls, as a service making a few calls a request. */
  @State(Scope.Thread)
  public static class Traces {
    final Context[] parents = new Context[64];
    int i;

    @Setup
    public void setUp() {
      for (int t = 0; t < parents.length; t++) {
        SpanContext parent =
            SpanContext.createFromRemoteParent(
                String.format("%032x", t + 1),
                String.format("%016x", t + 1),
                TraceFlags.getSampled(),
                TraceState.getDefault());
        parents[t] = Context.root().with(Span.wrap(parent));
      }
    }

    Context next() {
      i++;
      return parents[(i >> 2) & 63];
    }
  }

  /** An H2 statement and its open result set, as the driver returned them. */
  @State(Scope.Thread)
  public static class Jdbc {
    static final String SQL =
        "select l.line_no, l.sku, l.quantity, l.unit_price from order_lines l"
            + " where l.order_id = ? order by l.line_no";
    static final int ROWS = 5;

    Connection connection;
    PreparedStatement statement;
    ResultSet resultSet;

    @Setup
    public void setUp() throws SQLException {
      connection = DriverManager.getConnection("jdbc:h2:mem:");
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "create table order_lines (order_id bigint, line_no int, sku varchar(32),"
                + " quantity int, unit_price decimal(10, 2), primary key (order_id, line_no))");
        for (int line = 1; line <= ROWS; line++) {
          ddl.execute(
              "insert into order_lines values (1001, " + line + ", 'SKU-" + line + "', 2, 9.99)");
        }
      }
      statement = connection.prepareStatement(SQL);
      statement.setLong(1, 1001);
      // Never read nor closed: the recorder counts the rows the advice reports, and reads the
      // result's column labels from its metadata, which must stay open for that.
      resultSet = statement.executeQuery();
    }

    @TearDown
    public void tearDown() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  public DbCall jdbcQuery(Agent agent, Traces traces, Jdbc jdbc) {
    try (io.opentelemetry.context.Scope trace = traces.next().makeCurrent()) {
      CallRecorder recorder = Bridge.recorder();
      recorder.dbStatementPrepared(jdbc.statement, Jdbc.SQL);
      DbCall call = recorder.startDbStatement("jdbc", jdbc.statement, null, false);
      if (call == null) {
        throw new IllegalStateException("the query was not recorded");
      }
      call.end(jdbc.resultSet, null);
      for (int row = 0; row < Jdbc.ROWS; row++) {
        recorder.dbRowRead(jdbc.resultSet, true);
      }
      recorder.dbRowRead(jdbc.resultSet, false);
      recorder.dbClosed(jdbc.resultSet);
      recorder.dbClosed(jdbc.statement);
      return call;
    }
  }

  static final String URL =
      "https://api.payments.example.com/v2/customers/48151623/orders?status=open&page=2";

  @Benchmark
  public HttpClientCall httpCall(Agent agent, Traces traces, Blackhole headers) {
    try (io.opentelemetry.context.Scope trace = traces.next().makeCurrent()) {
      CallRecorder recorder = Bridge.recorder();
      HttpClientCall call = recorder.startHttpClient("apache-httpclient-5", "GET", URL);
      if (call == null) {
        throw new IllegalStateException("the call was not recorded");
      }
      call.requestBodySize(0);
      // The attempt advice sets these on the request.
      headers.consume(recorder.httpAttemptHeaders());
      recorder.httpTimeouts(3_000, 10_000);
      call.end(200, "1.1", 1432, null);
      return call;
    }
  }

  @Benchmark
  public io.opentelemetry.context.Scope parentScope(Traces traces) {
    try (io.opentelemetry.context.Scope trace = traces.next().makeCurrent()) {
      return trace;
    }
  }
}
