package dev.seamwatch.e2e.harness;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns OTLP export requests into the plain Java values the tests assert on. */
final class OtlpDecoding {
  private OtlpDecoding() {}

  static List<ReceivedSpan> spans(ExportTraceServiceRequest request) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        String version = scopeSpans.getScope().getVersion();
        for (Span span : scopeSpans.getSpansList()) {
          out.add(new ReceivedSpan(span, resource, scope, version));
        }
      }
    }
    return out;
  }

  static List<ReceivedMetric> metrics(ExportMetricsServiceRequest request) {
    List<ReceivedMetric> out = new ArrayList<>();
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      Map<String, Object> resource = attributes(resourceMetrics.getResource().getAttributesList());
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          out.add(metric(metric, resource, scopeMetrics.getScope().getName()));
        }
      }
    }
    return out;
  }

  static List<ReceivedLog> logs(ExportLogsServiceRequest request) {
    List<ReceivedLog> out = new ArrayList<>();
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      Map<String, Object> resource = attributes(resourceLogs.getResource().getAttributesList());
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        String scope = scopeLogs.getScope().getName();
        scopeLogs.getLogRecordsList().forEach(r -> out.add(new ReceivedLog(r, resource, scope)));
      }
    }
    return out;
  }

  /** Keeps the sender's order; values may be null when the sender left them unset. */
  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    keyValues.forEach(kv -> out.put(kv.getKey(), value(kv.getValue())));
    return Collections.unmodifiableMap(out);
  }

  static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream().map(OtlpDecoding::value).toList();
      case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> value.getBytesValue().toByteArray();
      default -> null;
    };
  }

  /** Empty for an unset id, such as the parent of a root span. */
  static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  private static ReceivedMetric metric(Metric m, Map<String, Object> resource, String scope) {
    List<ReceivedMetric.Point> points = new ArrayList<>();
    ReceivedMetric.Type type;
    switch (m.getDataCase()) {
      case HISTOGRAM -> {
        type = ReceivedMetric.Type.HISTOGRAM;
        m.getHistogram().getDataPointsList().forEach(p -> points.add(histogramPoint(p)));
      }
      case SUM -> {
        type = ReceivedMetric.Type.SUM;
        m.getSum().getDataPointsList().forEach(p -> points.add(numberPoint(p)));
      }
      case GAUGE -> {
        type = ReceivedMetric.Type.GAUGE;
        m.getGauge().getDataPointsList().forEach(p -> points.add(numberPoint(p)));
      }
      default -> type = ReceivedMetric.Type.OTHER;
    }
    return new ReceivedMetric(
        m.getName(), m.getUnit(), m.getDescription(), type, resource, scope, List.copyOf(points));
  }

  private static ReceivedMetric.Point histogramPoint(HistogramDataPoint p) {
    return new ReceivedMetric.Point(
        attributes(p.getAttributesList()),
        p.getCount(),
        p.getSum(),
        List.copyOf(p.getExplicitBoundsList()),
        List.copyOf(p.getBucketCountsList()),
        null,
        null);
  }

  private static ReceivedMetric.Point numberPoint(NumberDataPoint p) {
    boolean isLong = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT;
    return new ReceivedMetric.Point(
        attributes(p.getAttributesList()),
        0,
        isLong ? p.getAsInt() : p.getAsDouble(),
        List.of(),
        List.of(),
        isLong ? p.getAsInt() : null,
        isLong ? null : p.getAsDouble());
  }
}
