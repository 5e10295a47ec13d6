package dev.seamwatch.e2e.harness;

import java.util.List;
import java.util.Map;

/**
 * One request as {@link Upstream} received it. Header names are case-insensitive, as on the wire.
 */
public record RecordedRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> headers,
    long bodyBytes) {

  /** The first value of a header, or null; for checking what the agent injected (traceparent). */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (rawQuery == null ? "" : "?" + rawQuery)
        + " body="
        + bodyBytes
        + " "
        + headers;
  }
}
