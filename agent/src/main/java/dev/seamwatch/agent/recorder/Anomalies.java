package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.anomaly.AnomalyEngine;
import dev.seamwatch.agent.anomaly.AnomalySettings;
import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.anomaly.BodySniffer;
import dev.seamwatch.agent.anomaly.Finding;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Where the anomaly engine's findings go. A finding made while its call's span is open becomes a
 * span event {@code seamwatch.anomaly} and a value of the span's {@code seamwatch.anomaly.types};
 * one made after the span ended (a body the application read later) becomes a log record {@code
 * seamwatch.anomaly} carrying the span's context, exported over OTLP. Events and log records are
 * rate-limited per key and type by the engine; the counter {@code seamwatch.anomalies} counts every
 * finding.
 */
public final class Anomalies {

  public static final String EVENT = "seamwatch.anomaly";
  public static final AttributeKey<String> TYPE = AttributeKey.stringKey("seamwatch.anomaly.type");
  public static final AttributeKey<java.util.List<String>> TYPES =
      AttributeKey.stringArrayKey("seamwatch.anomaly.types");
  static final AttributeKey<String> MEASURE = AttributeKey.stringKey("seamwatch.anomaly.measure");
  static final AttributeKey<Double> OBSERVED = AttributeKey.doubleKey("seamwatch.anomaly.observed");
  static final AttributeKey<Double> EXPECTED = AttributeKey.doubleKey("seamwatch.anomaly.expected");
  static final AttributeKey<Double> SCORE = AttributeKey.doubleKey("seamwatch.anomaly.score");
  static final AttributeKey<String> DETAIL = AttributeKey.stringKey("seamwatch.anomaly.detail");

  final AnomalyEngine engine;
  final AnomalySettings settings;

  /**
   * Salts body fingerprints for this process, so that a fingerprint cannot be matched against a
   * dictionary of key sets computed elsewhere.
   */
  final long salt = new SecureRandom().nextLong();

  private final LongCounter counter;
  private final Logger logger;

  /** How much of a response body is looked at for its shape and error markers. */
  final int bodyScanLimit;

  public Anomalies(OpenTelemetry openTelemetry, AnomalySettings settings) {
    this(openTelemetry, settings, BodySniffer.DEFAULT_LIMIT);
  }

  public Anomalies(OpenTelemetry openTelemetry, AnomalySettings settings, int bodyScanLimit) {
    this.settings = settings;
    this.bodyScanLimit = bodyScanLimit;
    this.engine = new AnomalyEngine(settings, System::nanoTime);
    this.counter =
        openTelemetry
            .getMeter("dev.seamwatch")
            .counterBuilder("seamwatch.anomalies")
            .setUnit("{finding}")
            .setDescription("Anomalies Seamwatch found in external calls, by type and integration.")
            .build();
    this.logger = openTelemetry.getLogsBridge().get("dev.seamwatch");
  }

  /** The types already put on one span, kept by its call. */
  static final class Marks {
    private static final String[] NONE = new String[0];
    private String[] types = NONE;

    synchronized java.util.List<String> add(String type) {
      for (String seen : types) {
        if (seen.equals(type)) {
          return null;
        }
      }
      types = Arrays.copyOf(types, types.length + 1);
      types[types.length - 1] = type;
      return Arrays.asList(types.clone());
    }
  }

  /**
   * Reports a finding of a call: on its span while the span records, else as a log record in the
   * span's context. {@code marks} is the call's; null when the caller knows the span has ended.
   */
  void report(Span span, Marks marks, OperationStats stats, Finding finding) {
    if (finding == null) {
      return;
    }
    // Past the key cap, every operation shares one overflow key: its baseline and its identity
    // mean nothing for one call. Only the findings that need no baseline apply there.
    if (KeyRegistry.OVERFLOW.equals(stats.operation)
        && finding.type != AnomalyType.ERROR_IN_SUCCESS
        && finding.type != AnomalyType.NEAR_LIMIT
        && finding.type != AnomalyType.SLO_BREACH) {
      return;
    }
    String type = finding.type.wireName();
    counter.add(
        1, Attributes.of(TYPE, type, SemanticAttributes.INTEGRATION_NAME, stats.integration));
    stats.anomaly(finding.type);
    boolean open = marks != null && span.isRecording();
    if (open) {
      if (span instanceof CallSpan) {
        // A span with a finding is kept whatever its key's span budget, event or not.
        ((CallSpan) span).keep();
      }
      java.util.List<String> types = marks.add(type);
      if (types != null) {
        span.setAttribute(TYPES, types);
      }
    }
    if (!engine.allowEvent(stats.baseline, finding.type)) {
      return;
    }
    Attributes attributes = describe(finding, stats);
    if (open) {
      span.addEvent(EVENT, attributes);
    } else {
      emitLog(span.getSpanContext(), attributes);
    }
  }

  /** A finding that belongs to no span (no call is open to carry it). */
  void reportDetached(SpanContext context, OperationStats stats, Finding finding) {
    report(Span.wrap(context), null, stats, finding);
  }

  private void emitLog(SpanContext context, Attributes attributes) {
    logger
        .logRecordBuilder()
        .setContext(Context.root().with(Span.wrap(context)))
        .setEventName(EVENT)
        .setSeverity(Severity.WARN)
        .setSeverityText("WARN")
        .setBody(EVENT + " " + attributes.get(TYPE))
        .setAllAttributes(attributes)
        .emit();
  }

  private static Attributes describe(Finding finding, OperationStats stats) {
    AttributesBuilder builder =
        Attributes.builder()
            .put(TYPE, finding.type.wireName())
            .put(MEASURE, finding.measure)
            .put(OBSERVED, finding.observed)
            .put(EXPECTED, finding.expected)
            .put(SCORE, finding.score)
            .put(SemanticAttributes.INTEGRATION_NAME, stats.integration)
            .put(SemanticAttributes.OPERATION_NAME, stats.operation);
    if (finding.detail != null) {
      builder.put(DETAIL, finding.detail);
    }
    return builder.build();
  }

  boolean enabled(AnomalyType type) {
    return settings.enabled(type);
  }
}
