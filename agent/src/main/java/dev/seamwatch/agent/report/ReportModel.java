package dev.seamwatch.agent.report;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.recorder.KeyRegistry;
import dev.seamwatch.agent.recorder.OperationStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The integration report as data: every dependency the service called, with its operations. The
 * console table ({@link ConsoleReport}), the JSON file ({@link JsonReport}) and the diff ({@link
 * ReportDiff}) all work from it. Integrations are kept in a stable order (kind, then name, the
 * overflow key last in its kind), so two reports of the same service line up.
 */
public final class ReportModel {

  /** The value of the JSON file's {@code schema} field. */
  public static final String SCHEMA = "seamwatch-report";

  /**
   * The JSON file's {@code version}: raised only for a change an older reader would misread; fields
   * added alongside keep it, since readers ignore fields they do not know.
   */
  public static final int VERSION = 1;

  private final String service;
  private final String agentVersion;
  private final long startedAtMillis;
  private final long generatedAtMillis;
  private final List<IntegrationReport> integrations;

  public ReportModel(
      String service,
      String agentVersion,
      long startedAtMillis,
      long generatedAtMillis,
      List<IntegrationReport> integrations) {
    this.service = service == null ? "unknown" : service;
    this.agentVersion = agentVersion == null ? "unknown" : agentVersion;
    this.startedAtMillis = startedAtMillis;
    this.generatedAtMillis = generatedAtMillis;
    List<IntegrationReport> sorted = new ArrayList<>(integrations);
    sorted.sort(IntegrationReport.ORDER);
    this.integrations = Collections.unmodifiableList(sorted);
  }

  /**
   * Builds the report from the recorder's keys: one integration per (kind, integration name), its
   * totals summed and its percentiles taken from the merged latency histograms of its operations.
   *
   * @param details the catalog entry and readiness findings of an integration name; it may return
   *     null (no entry), and is not asked about the overflow key
   */
  public static ReportModel from(
      String service,
      String agentVersion,
      long startedAtMillis,
      long nowMillis,
      List<OperationStats> stats,
      Function<String, IntegrationDetails> details) {
    Map<String, Map<String, Sums>> byIntegration = new TreeMap<>();
    Map<String, String[]> names = new LinkedHashMap<>();
    for (OperationStats s : stats) {
      String key = s.kind + '\u0000' + s.integration;
      names.putIfAbsent(key, new String[] {s.kind, s.integration});
      byIntegration
          .computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(s.operation, k -> new Sums())
          .add(s);
    }
    List<IntegrationReport> integrations = new ArrayList<>();
    for (Map.Entry<String, Map<String, Sums>> entry : byIntegration.entrySet()) {
      String kind = names.get(entry.getKey())[0];
      String name = names.get(entry.getKey())[1];
      boolean overflow = KeyRegistry.OVERFLOW.equals(name);
      Sums total = new Sums();
      List<OperationReport> operations = new ArrayList<>();
      for (Map.Entry<String, Sums> operation : entry.getValue().entrySet()) {
        Sums sums = operation.getValue();
        total.add(sums);
        operations.add(new OperationReport(operation.getKey(), sums.lastErrorType, sums.toStats()));
      }
      IntegrationDetails found = overflow || details == null ? null : details.apply(name);
      integrations.add(
          new IntegrationReport(kind, name, overflow, found, total.toStats(), operations));
    }
    return new ReportModel(service, agentVersion, startedAtMillis, nowMillis, integrations);
  }

  public String service() {
    return service;
  }

  public String agentVersion() {
    return agentVersion;
  }

  public long startedAtMillis() {
    return startedAtMillis;
  }

  public long generatedAtMillis() {
    return generatedAtMillis;
  }

  /** Sorted by kind, then name; the overflow key last within its kind. */
  public List<IntegrationReport> integrations() {
    return integrations;
  }

  /** The integration of that kind and name, or null. */
  public IntegrationReport integration(String kind, String name) {
    for (IntegrationReport integration : integrations) {
      if (integration.kind().equals(kind) && integration.name().equals(name)) {
        return integration;
      }
    }
    return null;
  }

  public long calls() {
    long calls = 0;
    for (IntegrationReport integration : integrations) {
      calls += integration.stats().calls();
    }
    return calls;
  }

  public long errors() {
    long errors = 0;
    for (IntegrationReport integration : integrations) {
      errors += integration.stats().errors();
    }
    return errors;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ReportModel)) {
      return false;
    }
    ReportModel other = (ReportModel) o;
    return service.equals(other.service)
        && agentVersion.equals(other.agentVersion)
        && startedAtMillis == other.startedAtMillis
        && generatedAtMillis == other.generatedAtMillis
        && integrations.equals(other.integrations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, agentVersion, startedAtMillis, generatedAtMillis, integrations);
  }

  @Override
  public String toString() {
    return "report of "
        + service
        + " by "
        + agentVersion
        + " ("
        + startedAtMillis
        + ".."
        + generatedAtMillis
        + "): "
        + integrations;
  }

  /**
   * Counts added up across keys: one operation (a key seen twice, which a registry sweep can cause)
   * or a whole integration.
   */
  private static final class Sums {
    private static final AnomalyType[] TYPES = AnomalyType.values();

    long calls;
    long errors;
    long[] buckets;
    final long[] anomalies = new long[TYPES.length];
    long firstSeen;
    long lastSeen;
    String lastErrorType;
    long lastErrorSeen;

    void add(OperationStats s) {
      // The histogram first: a call recording meanwhile shows in calls() read after it rather
      // than in percentiles missing a count.
      long[] latency = s.latencyBuckets();
      long[] found = new long[TYPES.length];
      for (AnomalyType type : TYPES) {
        found[type.ordinal()] = s.anomalies(type);
      }
      add(
          s.calls(),
          s.errors(),
          latency,
          found,
          s.firstSeenMillis(),
          s.lastSeenMillis(),
          s.lastErrorType());
    }

    void add(Sums other) {
      add(
          other.calls,
          other.errors,
          other.buckets,
          other.anomalies,
          other.firstSeen,
          other.lastSeen,
          other.lastErrorType);
    }

    private void add(
        long calls,
        long errors,
        long[] latency,
        long[] found,
        long first,
        long last,
        String errorType) {
      this.calls += calls;
      this.errors += errors;
      if (latency != null) {
        if (buckets == null) {
          buckets = new long[latency.length];
        }
        for (int i = 0; i < latency.length; i++) {
          buckets[i] += latency[i];
        }
      }
      for (int i = 0; i < found.length; i++) {
        anomalies[i] += found[i];
      }
      if (first != 0 && (firstSeen == 0 || first < firstSeen)) {
        firstSeen = first;
      }
      if (last > lastSeen) {
        lastSeen = last;
      }
      // The error of the key seen last is the latest one (exact per key, close across keys).
      if (errorType != null && (lastErrorType == null || last >= lastErrorSeen)) {
        lastErrorType = errorType;
        lastErrorSeen = last;
      }
    }

    CallStats toStats() {
      Map<String, Long> found = new TreeMap<>();
      for (AnomalyType type : TYPES) {
        if (anomalies[type.ordinal()] > 0) {
          found.put(type.wireName(), anomalies[type.ordinal()]);
        }
      }
      return CallStats.fromHistogram(
          calls, errors, buckets == null ? new long[0] : buckets, found, firstSeen, lastSeen);
    }
  }
}
