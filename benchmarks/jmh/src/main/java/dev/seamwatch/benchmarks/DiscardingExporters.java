package dev.seamwatch.benchmarks;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exporters named {@code discard} for {@code otel.traces.exporter}, {@code otel.metrics.exporter}
 * and {@code otel.logs.exporter}, registered as autoconfigure providers (META-INF/services): the
 * agent's own pipeline is built as in production, with its batch processors and metric reader, and
 * every batch they hand over is counted and dropped instead of sent. So a benchmark measures the
 * recording, not the network.
 *
 * <p>The counts tell afterwards that the spans really went through the pipeline: spans exported,
 * and spans the batch processor dropped because its queue was full, which the SDK counts itself
 * ({@code otel.sdk.processor.span.processed} with {@code error.type}, cumulative).
 */
public final class DiscardingExporters {

  static final String NAME = "discard";

  private static final String PROCESSED = "otel.sdk.processor.span.processed";
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AtomicLong spansExported = new AtomicLong();
  static final AtomicLong spansDropped = new AtomicLong();
  static final AtomicLong logRecordsExported = new AtomicLong();

  private DiscardingExporters() {}

  static void reset() {
    spansExported.set(0);
    spansDropped.set(0);
    logRecordsExported.set(0);
  }

  /** {@code otel.traces.exporter=discard}. */
  public static final class Spans implements ConfigurableSpanExporterProvider, SpanExporter {
    @Override
    public SpanExporter createExporter(ConfigProperties config) {
      return new Spans();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      spansExported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** {@code otel.metrics.exporter=discard}: cumulative, as OTLP is by default. */
  public static final class Metrics implements ConfigurableMetricExporterProvider, MetricExporter {
    @Override
    public MetricExporter createExporter(ConfigProperties config) {
      return new Metrics();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      for (MetricData metric : metrics) {
        if (metric.getName().equals(PROCESSED) && metric.getType() == MetricDataType.LONG_SUM) {
          long dropped = 0;
          for (LongPointData point : metric.getLongSumData().getPoints()) {
            if (point.getAttributes().get(ERROR_TYPE) != null) {
              dropped += point.getValue();
            }
          }
          spansDropped.set(dropped);
        }
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** {@code otel.logs.exporter=discard}: the anomalies found after their span ended. */
  public static final class Logs
      implements ConfigurableLogRecordExporterProvider, LogRecordExporter {
    @Override
    public LogRecordExporter createExporter(ConfigProperties config) {
      return new Logs();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      logRecordsExported.addAndGet(logs.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
