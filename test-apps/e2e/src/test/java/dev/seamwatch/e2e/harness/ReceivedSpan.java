package dev.seamwatch.e2e.harness;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One span as the OTLP receiver got it, with its resource and scope, in plain Java values. */
public record ReceivedSpan(
    Span span, Map<String, Object> resource, String scopeName, String scopeVersion) {

  public String name() {
    return span.getName();
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  public String traceId() {
    return OtlpDecoding.hex(span.getTraceId());
  }

  public String spanId() {
    return OtlpDecoding.hex(span.getSpanId());
  }

  /** Empty for a root span. */
  public String parentSpanId() {
    return OtlpDecoding.hex(span.getParentSpanId());
  }

  /** String, Long, Double, Boolean or List values, in the order the exporter sent them. */
  public Map<String, Object> attributes() {
    return OtlpDecoding.attributes(span.getAttributesList());
  }

  public Object attr(String key) {
    return attributes().get(key);
  }

  public Status.StatusCode statusCode() {
    return span.getStatus().getCode();
  }

  public String statusMessage() {
    return span.getStatus().getMessage();
  }

  public List<Span.Event> events() {
    return span.getEventsList();
  }

  /** The attributes of every event with this name, in order. */
  public List<Map<String, Object>> eventsNamed(String eventName) {
    return events().stream()
        .filter(e -> e.getName().equals(eventName))
        .map(e -> OtlpDecoding.attributes(e.getAttributesList()))
        .toList();
  }

  /** The attributes of the first event with this name, or null when there is none. */
  public Map<String, Object> eventAttributes(String eventName) {
    return events().stream()
        .filter(e -> e.getName().equals(eventName))
        .findFirst()
        .map(e -> OtlpDecoding.attributes(e.getAttributesList()))
        .orElse(null);
  }

  public Duration duration() {
    return Duration.ofNanos(span.getEndTimeUnixNano() - span.getStartTimeUnixNano());
  }

  /** One line, because assertion messages list every span received. */
  @Override
  public String toString() {
    return name()
        + " "
        + kind()
        + " "
        + statusCode()
        + " trace="
        + traceId()
        + " span="
        + spanId()
        + " parent="
        + parentSpanId()
        + " scope="
        + scopeName
        + " "
        + attributes();
  }
}
