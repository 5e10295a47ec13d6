package dev.seamwatch.agent.recorder;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operational readiness findings: configurations that are fine until the day the dependency slows
 * down (no timeout), or that lose data (a producer with {@code acks=0}). Each is reported once per
 * integration: a span event {@code seamwatch.readiness} on the call that showed it, the counter
 * {@code seamwatch.readiness.findings}, and the report.
 */
public final class Readiness {

  public static final String NO_CONNECT_TIMEOUT = "no_connect_timeout";
  public static final String NO_RESPONSE_TIMEOUT = "no_response_timeout";
  public static final String NO_QUERY_TIMEOUT = "no_query_timeout";
  public static final String KAFKA_ACKS_0 = "kafka_acks_0";
  public static final String KAFKA_RETRIES_DISABLED = "kafka_retries_disabled";
  public static final String KAFKA_IDEMPOTENCE_DISABLED = "kafka_idempotence_disabled";

  public static final String EVENT = "seamwatch.readiness";
  public static final AttributeKey<String> TYPE =
      AttributeKey.stringKey("seamwatch.readiness.type");

  /** Cap on integrations tracked, as for keys: past it, new integrations are not checked. */
  private static final int MAX_INTEGRATIONS = 10_000;

  private final ConcurrentHashMap<String, Set<String>> found = new ConcurrentHashMap<>();
  private final LongCounter counter;

  public Readiness(OpenTelemetry openTelemetry) {
    this.counter =
        openTelemetry
            .getMeter("dev.seamwatch")
            .counterBuilder("seamwatch.readiness.findings")
            .setUnit("{finding}")
            .setDescription("Risky client configurations Seamwatch found, once per integration.")
            .build();
  }

  /** Whether {@code type} is still to be found for {@code integration}: a cheap check first. */
  boolean pending(String integration, String type) {
    Set<String> types = found.get(integration);
    return types == null || !types.contains(type);
  }

  /** Reports a finding on {@code span}, the call that showed it, unless already reported. */
  void report(Span span, String integration, String type) {
    if (!pending(integration, type)) {
      return;
    }
    Set<String> types = found.get(integration);
    if (types == null) {
      if (found.size() >= MAX_INTEGRATIONS) {
        return;
      }
      types = found.computeIfAbsent(integration, k -> ConcurrentHashMap.newKeySet());
    }
    if (types.add(type)) {
      Attributes attributes =
          Attributes.of(TYPE, type, SemanticAttributes.INTEGRATION_NAME, integration);
      counter.add(1, attributes);
      span.addEvent(EVENT, attributes);
    }
  }

  /** The HTTP timeouts a call runs with: 0 is none, negative not known. */
  void checkHttp(Span span, String integration, long connectMillis, long responseMillis) {
    if (connectMillis == 0) {
      report(span, integration, NO_CONNECT_TIMEOUT);
    }
    if (responseMillis == 0) {
      report(span, integration, NO_RESPONSE_TIMEOUT);
    }
  }

  /** The findings of one integration, sorted; empty when none. */
  public List<String> of(String integration) {
    Set<String> types = found.get(integration);
    if (types == null) {
      return Collections.emptyList();
    }
    List<String> sorted = new ArrayList<>(types);
    Collections.sort(sorted);
    return sorted;
  }

  /** Every integration's findings. */
  public Map<String, List<String>> all() {
    Map<String, List<String>> all = new TreeMap<>();
    for (String integration : found.keySet()) {
      all.put(integration, of(integration));
    }
    return all;
  }
}
