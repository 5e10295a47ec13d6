package dev.seamwatch.agent.report;

import dev.seamwatch.agent.recorder.OperationStats;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The figures the report gives for an operation and, summed, for an integration: calls, errors,
 * latency percentiles, findings by type, and when calls were first and last seen.
 */
public final class CallStats {

  private final long calls;
  private final long errors;
  private final Double p50Millis;
  private final Double p95Millis;
  private final Double p99Millis;
  private final SortedMap<String, Long> anomalies;
  private final long firstSeenMillis;
  private final long lastSeenMillis;

  /**
   * @param p50Millis latency percentiles in milliseconds, null when unknown (no calls)
   * @param anomalies findings by type wire name ({@code size_outlier}); zero counts are dropped
   * @param firstSeenMillis epoch milliseconds of the first call, 0 when none
   * @param lastSeenMillis epoch milliseconds of the last call, 0 when none
   */
  public CallStats(
      long calls,
      long errors,
      Double p50Millis,
      Double p95Millis,
      Double p99Millis,
      Map<String, Long> anomalies,
      long firstSeenMillis,
      long lastSeenMillis) {
    this.calls = calls;
    this.errors = errors;
    this.p50Millis = p50Millis;
    this.p95Millis = p95Millis;
    this.p99Millis = p99Millis;
    TreeMap<String, Long> found = new TreeMap<>();
    if (anomalies != null) {
      for (Map.Entry<String, Long> e : anomalies.entrySet()) {
        if (e.getKey() != null && e.getValue() != null && e.getValue() != 0) {
          found.put(e.getKey(), e.getValue());
        }
      }
    }
    this.anomalies = Collections.unmodifiableSortedMap(found);
    this.firstSeenMillis = firstSeenMillis;
    this.lastSeenMillis = lastSeenMillis;
  }

  /**
   * The figures of a latency histogram laid out as {@link OperationStats#latencyBuckets()}, with
   * percentiles rounded to the microsecond: the buckets are 19% wide, so more digits would only be
   * noise in a diff.
   */
  static CallStats fromHistogram(
      long calls,
      long errors,
      long[] buckets,
      Map<String, Long> anomalies,
      long firstSeenMillis,
      long lastSeenMillis) {
    return new CallStats(
        calls,
        errors,
        percentileMillis(buckets, 0.50),
        percentileMillis(buckets, 0.95),
        percentileMillis(buckets, 0.99),
        anomalies,
        firstSeenMillis,
        lastSeenMillis);
  }

  /**
   * The upper bound of the bucket holding quantile {@code q}, as {@link
   * OperationStats#percentileMillis} computes it for one key; null for an empty histogram.
   */
  static Double percentileMillis(long[] buckets, double q) {
    long total = 0;
    for (long n : buckets) {
      total += n;
    }
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    int last = buckets.length - 1;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank && buckets[i] > 0) {
        last = i;
        break;
      }
    }
    return Math.round(OperationStats.bucketUpperBoundMillis(last) * 1000) / 1000.0;
  }

  public long calls() {
    return calls;
  }

  public long errors() {
    return errors;
  }

  /** Errors over calls, 0 with no calls. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }

  /** Null with no calls. */
  public Double p50Millis() {
    return p50Millis;
  }

  /** Null with no calls. */
  public Double p95Millis() {
    return p95Millis;
  }

  /** Null with no calls. */
  public Double p99Millis() {
    return p99Millis;
  }

  /** Findings by type wire name, sorted by name, only the types found. */
  public SortedMap<String, Long> anomalies() {
    return anomalies;
  }

  /** Epoch milliseconds, 0 when no call was seen. */
  public long firstSeenMillis() {
    return firstSeenMillis;
  }

  /** Epoch milliseconds, 0 when no call was seen. */
  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CallStats)) {
      return false;
    }
    CallStats other = (CallStats) o;
    return calls == other.calls
        && errors == other.errors
        && Objects.equals(p50Millis, other.p50Millis)
        && Objects.equals(p95Millis, other.p95Millis)
        && Objects.equals(p99Millis, other.p99Millis)
        && anomalies.equals(other.anomalies)
        && firstSeenMillis == other.firstSeenMillis
        && lastSeenMillis == other.lastSeenMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        calls, errors, p50Millis, p95Millis, p99Millis, anomalies, firstSeenMillis, lastSeenMillis);
  }

  @Override
  public String toString() {
    return "calls="
        + calls
        + ", errors="
        + errors
        + ", p50="
        + p50Millis
        + ", p95="
        + p95Millis
        + ", p99="
        + p99Millis
        + ", anomalies="
        + anomalies
        + ", firstSeen="
        + firstSeenMillis
        + ", lastSeen="
        + lastSeenMillis;
  }
}
