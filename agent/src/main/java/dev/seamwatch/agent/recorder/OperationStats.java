package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.anomaly.Baseline;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the report needs of one operation key, in constant memory: counts and a log-scale latency
 * histogram (four buckets per doubling, from 1 µs to about 1,000 s, so a percentile is within about
 * 19% of the true value).
 */
public final class OperationStats {

  private static final int BUCKETS = 4 * 30;

  public final String kind;
  public final String integration;
  public final String operation;

  /** What the anomaly engine learnt of this key: here so the recorder needs no other lookup. */
  public final Baseline baseline = new Baseline();

  /** Findings of this key, by {@link AnomalyType} ordinal, for the report. */
  private final AtomicLongArray anomalies = new AtomicLongArray(AnomalyType.values().length);

  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
  private volatile String lastErrorType;
  private volatile long firstSeenMillis;
  private volatile long lastSeenMillis;

  /**
   * The recorder's copy of the duration metric's attributes of this key's last successful call,
   * with what they were built from (a holder of the call's kind, see {@code Recorder}).
   */
  volatile Object lastMetricAttributes;

  /** When the registry last handed this key out, on its clock; see {@link KeyRegistry}. */
  volatile long lastUsedNanos;

  /**
   * This key's span budget ({@link CallSpans#spansPerOperation}): the monotonic time from which its
   * next span may be kept, 0 before its first. A span kept moves it one interval on; it never lags
   * the present by more than the burst, so an idle key saves up at most a burst's worth. Racy on
   * purpose: two threads reading the same value both keep a span, a few spans over the budget at
   * worst, for no lock or CAS on the calling thread.
   */
  private volatile long spansFrom;

  /** Whether a span of this key may be kept at {@code nanoTime}, taking it from the budget. */
  boolean takeSpan(long nanoTime, long intervalNanos, long burstNanos) {
    long from = spansFrom;
    long floor = nanoTime - burstNanos;
    if (from == 0 || from - floor < 0) {
      from = floor;
    }
    if (from - nanoTime > 0) {
      return false;
    }
    spansFrom = from + intervalNanos;
    return true;
  }

  OperationStats(String kind, String integration, String operation) {
    this.kind = kind;
    this.integration = integration;
    this.operation = operation;
  }

  void record(long durationNanos, String errorType) {
    calls.increment();
    if (errorType != null) {
      errors.increment();
      lastErrorType = errorType;
    }
    latency.incrementAndGet(bucket(durationNanos));
    long now = System.currentTimeMillis();
    if (firstSeenMillis == 0) {
      firstSeenMillis = now;
    }
    lastSeenMillis = now;
  }

  /**
   * Adds an evicted key's counts to this one (an overflow key), so totals survive eviction. A call
   * still recording into the evicted key after this is lost: it was idle for minutes, so at most a
   * call that outlived the idle timeout.
   */
  void absorb(OperationStats other) {
    calls.add(other.calls());
    errors.add(other.errors());
    for (int i = 0; i < BUCKETS; i++) {
      long n = other.latency.get(i);
      if (n != 0) {
        latency.addAndGet(i, n);
      }
    }
    // The evicted key was idle: its error is older than any the overflow key has seen.
    if (lastErrorType == null) {
      lastErrorType = other.lastErrorType;
    }
    // One sweep at a time absorbs (KeyRegistry), so only record() races here, harmlessly.
    long first = other.firstSeenMillis;
    if (first != 0 && (firstSeenMillis == 0 || first < firstSeenMillis)) {
      firstSeenMillis = first;
    }
    if (other.lastSeenMillis > lastSeenMillis) {
      lastSeenMillis = other.lastSeenMillis;
    }
  }

  static int bucket(long nanos) {
    double micros = nanos / 1000.0;
    if (micros <= 1) {
      return 0;
    }
    int index = (int) Math.ceil(4 * Math.log(micros) / Math.log(2));
    return Math.min(index, BUCKETS - 1);
  }

  /** The bucket's upper bound, in milliseconds. */
  static double upperBoundMillis(int bucket) {
    return Math.pow(2, bucket / 4.0) / 1000.0;
  }

  void anomaly(AnomalyType type) {
    anomalies.incrementAndGet(type.ordinal());
  }

  /** The findings of one type so far. */
  public long anomalies(AnomalyType type) {
    return anomalies.get(type.ordinal());
  }

  public long calls() {
    return calls.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public String lastErrorType() {
    return lastErrorType;
  }

  public long firstSeenMillis() {
    return firstSeenMillis;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  /**
   * A copy of the latency histogram: the count of calls per bucket, bucket {@code i} holding the
   * calls up to {@link #bucketUpperBoundMillis(int) bucketUpperBoundMillis(i)}. The report merges
   * these across the operations of an integration, since percentiles cannot be averaged.
   */
  public long[] latencyBuckets() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = latency.get(i);
    }
    return copy;
  }

  /** The upper bound of a {@link #latencyBuckets()} bucket, in milliseconds. */
  public static double bucketUpperBoundMillis(int bucket) {
    return upperBoundMillis(bucket);
  }

  /** The latency at quantile {@code q} (0..1), in milliseconds, or NaN with no calls. */
  public double percentileMillis(double q) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += latency.get(i);
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += latency.get(i);
      if (seen >= rank && latency.get(i) > 0) {
        return upperBoundMillis(i);
      }
    }
    return upperBoundMillis(BUCKETS - 1);
  }
}
