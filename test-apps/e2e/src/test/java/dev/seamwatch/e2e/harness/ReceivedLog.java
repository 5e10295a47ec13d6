package dev.seamwatch.e2e.harness;

import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.Map;

/** One log record as the OTLP receiver got it, with its resource and scope. */
public record ReceivedLog(LogRecord record, Map<String, Object> resource, String scopeName) {

  /** A String, Long, Double, Boolean, List or Map, as the record's body was sent. */
  public Object body() {
    return OtlpDecoding.value(record.getBody());
  }

  public String eventName() {
    return record.getEventName();
  }

  public String severityText() {
    return record.getSeverityText();
  }

  public Map<String, Object> attributes() {
    return OtlpDecoding.attributes(record.getAttributesList());
  }

  public Object attr(String key) {
    return attributes().get(key);
  }

  /** Empty when the record carries no span context. */
  public String traceId() {
    return OtlpDecoding.hex(record.getTraceId());
  }

  public String spanId() {
    return OtlpDecoding.hex(record.getSpanId());
  }

  @Override
  public String toString() {
    return "log "
        + eventName()
        + " "
        + severityText()
        + " body="
        + body()
        + " trace="
        + traceId()
        + " span="
        + spanId()
        + " "
        + attributes();
  }
}
