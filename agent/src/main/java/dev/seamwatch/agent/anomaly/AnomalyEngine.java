package dev.seamwatch.agent.anomaly;

import java.util.function.LongSupplier;

/**
 * Judges one call's observations against its key's {@link Baseline} and returns a {@link Finding}
 * when something is off, else null. Each method takes one observation, learns from it and judges
 * it; call each at most once per call and measure.
 *
 * <p>Cheap on the normal path: no allocation (a finding is the only object it creates), no boxing,
 * a short lock on one measure's state, the clock read only during warm-up, in {@link #repeated}
 * outside a trace and in {@link #allowEvent}.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>{@code latency_outlier}, {@code size_outlier}, {@code row_explosion}: the value is scored
 *       in deviations from the key's baseline in log space ({@link LogBaseline}). An outlier is at
 *       least {@code threshold} deviations and {@code min-ratio} times away from the baseline's
 *       geometric mean. It is reportable alone from {@code spike-ratio} times, else when the next
 *       one is an outlier too; a far smaller payload only from three in a row; rows from one.
 *       Latency is reported above only and at least {@code min-excess} above; sizes either way,
 *       unless both sizes are under {@code min-bytes} or they differ by less than {@code
 *       min-difference}; rows above only, at {@code min-rows} at least, and above {@code max-rows}
 *       always (even in warm-up). An episode (a spike, a shift, a ramp) is reported once; {@code
 *       shift.calls} outliers in a row on one side become the new baseline.
 *   <li>{@code shape_drift}: a fingerprint that none of the key's three most frequent ones is,
 *       while one fingerprint dominates ({@code min-observations}, {@code min-share}). Reported the
 *       first time it is seen; it then has a slot, and may become the new dominant one.
 *   <li>{@code empty_result}: an empty result while both the recent (EWMA) and the long-run empty
 *       rate of the key are under {@code max-rate}, after {@code min-non-empty} non-empty ones.
 *   <li>{@code error_in_success}, {@code near_limit}: no baseline, no warm-up.
 *   <li>{@code repeated_call}: the {@code threshold}-th call of one key in one trace on one thread
 *       (outside a trace: with less than {@code window} between calls), once per run.
 * </ul>
 *
 * <p>Warm-up: no baseline finding before the measure has {@code warmup.calls} values and {@code
 * warmup.duration} has passed since the key's first observation.
 *
 * <p>How the recorder calls it, per call: {@link #repeated} when the call starts, on the calling
 * thread (it counts per thread), with the parent span's trace id; then, when the result is known,
 * {@link #latency} (of calls that got an answer: a call that failed fast would teach the baseline a
 * latency that is not the service's), {@link #size} per payload, {@link #rows}, {@link #empty},
 * {@link #shape}, {@link #errorInSuccess} and {@link #nearLimit}, from any thread. Each non-null
 * finding is counted; it becomes an event only if {@link #allowEvent} says so. An overflow key
 * stands for many unrelated operations (one baseline, one identity): for it, only {@link
 * #errorInSuccess} and {@link #nearLimit} mean something.
 */
public final class AnomalyEngine {

  private static final double NANOS_PER_MS = 1_000_000.0;

  /** Payloads far smaller than usual are reported from this many in a row. */
  static final int SMALLER_CONFIRM_CALLS = 3;

  /** Latencies under 1 µs are clock noise: they count as 1 µs. */
  private static final long MIN_LATENCY_NANOS = 1_000;

  private final AnomalySettings settings;
  private final LongSupplier clock;
  private final LogBaseline.Rule latencyRule;
  private final LogBaseline.Rule sizeRule;
  private final LogBaseline.Rule rowsRule;
  private final ThreadLocal<RepeatTracker> repeats =
      new ThreadLocal<RepeatTracker>() {
        @Override
        protected RepeatTracker initialValue() {
          return new RepeatTracker();
        }
      };

  public AnomalyEngine(AnomalySettings settings, LongSupplier nanoClock) {
    this.settings = settings;
    this.clock = nanoClock;
    // Faster calls are never reported; slower: one alone from spike-ratio, else two in a row.
    this.latencyRule =
        new LogBaseline.Rule(
            settings.latencyThreshold,
            settings.latencyMinRatio,
            settings.latencySpikeRatio,
            2,
            Double.POSITIVE_INFINITY,
            LogBaseline.Rule.NEVER,
            settings.shiftCalls);
    // Larger: as latency. Smaller: only three in a row, since a short page or an empty list
    // among full ones is usually the data, not a fault.
    this.sizeRule =
        new LogBaseline.Rule(
            settings.sizeThreshold,
            settings.sizeMinRatio,
            settings.sizeSpikeRatio,
            2,
            Double.POSITIVE_INFINITY,
            SMALLER_CONFIRM_CALLS,
            settings.shiftCalls);
    // Row explosions are far by definition (min-ratio): one is enough. Fewer rows: never.
    this.rowsRule =
        new LogBaseline.Rule(
            settings.rowsThreshold,
            settings.rowsMinRatio,
            settings.rowsMinRatio,
            1,
            Double.POSITIVE_INFINITY,
            LogBaseline.Rule.NEVER,
            settings.shiftCalls);
  }

  public AnomalySettings settings() {
    return settings;
  }

  /** {@code latency_outlier}: a call far slower than the key's usual. */
  public Finding latency(Baseline b, long durationNanos) {
    if (!settings.enabled(AnomalyType.LATENCY_OUTLIER) || durationNanos < 0) {
      return null;
    }
    double y = Math.log(Math.max(durationNanos, MIN_LATENCY_NANOS));
    LogBaseline s = b.latency;
    synchronized (s) {
      int outcome = s.observe(y, warm(b, s), latencyRule);
      if (outcome != LogBaseline.OUTLIER || s.score <= 0) {
        return null;
      }
      double expectedNanos = Math.exp(s.expected);
      if (durationNanos - expectedNanos < settings.latencyMinExcessNanos) {
        return null;
      }
      s.markReported();
      return new Finding(
          AnomalyType.LATENCY_OUTLIER,
          "latency_ms",
          durationNanos / NANOS_PER_MS,
          expectedNanos / NANOS_PER_MS,
          s.score,
          null);
    }
  }

  /**
   * {@code ln(1 + n)} of a count: {@code Math.log1p} is not a JIT intrinsic (a software routine of
   * several times the cost, on every sized or row-returning call), and its extra precision only
   * matters for arguments far below 1, which a count never is ({@code 1.0 + n} is exact for any
   * count below 2^53).
   */
  static double log1p(long n) {
    return Math.log(1.0 + n);
  }

  /** {@code size_outlier}: a payload far larger or smaller than the key's usual. */
  public Finding size(Baseline b, SizeKind kind, long bytes) {
    if (!settings.enabled(AnomalyType.SIZE_OUTLIER) || bytes < 0) {
      return null;
    }
    LogBaseline s = b.sizes[kind.ordinal()];
    synchronized (s) {
      int outcome = s.observe(log1p(bytes), warm(b, s), sizeRule);
      if (outcome != LogBaseline.OUTLIER) {
        return null;
      }
      double expected = Math.expm1(s.expected);
      if (Math.max(bytes, expected) < settings.sizeMinBytes
          || Math.abs(bytes - expected) < settings.sizeMinDifference) {
        return null;
      }
      s.markReported();
      return new Finding(
          AnomalyType.SIZE_OUTLIER, kind.measure(), bytes, expected, Math.abs(s.score), null);
    }
  }

  /** {@code row_explosion}: far more rows than the key's usual, or more than the cap. */
  public Finding rows(Baseline b, long rows) {
    if (!settings.enabled(AnomalyType.ROW_EXPLOSION) || rows < 0) {
      return null;
    }
    LogBaseline s = b.rows;
    synchronized (s) {
      int outcome = s.observe(log1p(rows), warm(b, s), rowsRule);
      if (outcome == LogBaseline.OUTLIER && s.score > 0 && rows >= settings.rowsMin) {
        s.markReported();
        return new Finding(
            AnomalyType.ROW_EXPLOSION, "rows", rows, Math.expm1(s.expected), s.score, null);
      }
    }
    long max = settings.rowsMax;
    if (max > 0 && rows > max) {
      return new Finding(AnomalyType.ROW_EXPLOSION, "rows", rows, max, (double) rows / max, null);
    }
    return null;
  }

  /** {@code empty_result}: called once per result whose emptiness is known. */
  public Finding empty(Baseline b, boolean empty) {
    if (!settings.enabled(AnomalyType.EMPTY_RESULT)) {
      return null;
    }
    EmptyRate s = b.empty;
    synchronized (s) {
      boolean judge = b.timeWarm(settings.warmupNanos, clock) && s.seen >= settings.warmupCalls;
      if (!s.observe(empty, judge, settings.emptyMaxRate, settings.emptyMinNonEmpty)) {
        return null;
      }
      // "One result in N is empty": N is the score, at most the results seen.
      double rate = s.rateBefore;
      double oneIn = 1 / Math.max(rate, 1.0 / s.total);
      return new Finding(AnomalyType.EMPTY_RESULT, "empty", 1, rate, oneIn, null);
    }
  }

  /** {@code shape_drift}: a fingerprint (JSON key set, result columns) not seen lately. */
  public Finding shape(Baseline b, long fingerprint) {
    if (!settings.enabled(AnomalyType.SHAPE_DRIFT) || fingerprint == 0) {
      return null;
    }
    ShapeSlots s = b.shape;
    synchronized (s) {
      boolean judge = b.timeWarm(settings.warmupNanos, clock) && s.seen >= settings.warmupCalls;
      boolean isNew = s.observe(fingerprint);
      if (!isNew
          || !judge
          || s.dominantCount < settings.shapeMinObservations
          || s.dominantShare < settings.shapeMinShare) {
        return null;
      }
      return new Finding(
          AnomalyType.SHAPE_DRIFT, "shape", 0, s.dominantShare, s.dominantCount, null);
    }
  }

  /** {@code error_in_success}: the caller found an error marker in a 2xx body. */
  public Finding errorInSuccess(String marker) {
    if (marker == null || !settings.enabled(AnomalyType.ERROR_IN_SUCCESS)) {
      return null;
    }
    return new Finding(AnomalyType.ERROR_IN_SUCCESS, "marker", 1, 0, 1, marker);
  }

  /**
   * {@code near_limit}: a record of at least {@code ratio} of the producer's {@code
   * max.request.size}, or one rejected for its size.
   */
  public Finding nearLimit(long size, long limit, boolean rejected) {
    if (!settings.enabled(AnomalyType.NEAR_LIMIT)) {
      return null;
    }
    double ratio = settings.nearLimitRatio;
    if (rejected) {
      // Rejected for its size: at the limit at least, even when the size is not known.
      double fraction = size > 0 && limit > 0 ? Math.max(1, (double) size / limit) : 1;
      return new Finding(
          AnomalyType.NEAR_LIMIT, "size_ratio", fraction, ratio, fraction / ratio, null);
    }
    if (limit <= 0 || size < 0) {
      return null;
    }
    double fraction = (double) size / limit;
    if (fraction < ratio) {
      return null;
    }
    return new Finding(
        AnomalyType.NEAR_LIMIT, "size_ratio", fraction, ratio, fraction / ratio, null);
  }

  /**
   * {@code repeated_call}: counts one call of {@code operationKey} (compared by identity) on this
   * thread, within the trace {@code traceId} (compared with equals), or outside any trace (null)
   * among calls less than the window apart. Reports the run once, when it reaches the threshold.
   */
  public Finding repeated(Object operationKey, String traceId) {
    if (operationKey == null || !settings.enabled(AnomalyType.REPEATED_CALL)) {
      return null;
    }
    long now = traceId == null ? clock.getAsLong() : 0;
    int count = repeats.get().count(operationKey, traceId, now, settings.repeatedWindowNanos);
    if (count != settings.repeatedThreshold) {
      return null;
    }
    return new Finding(
        AnomalyType.REPEATED_CALL, "calls_in_sequence", count, settings.repeatedThreshold, 1, null);
  }

  /**
   * Whether a finding of this type on this key may become an event (span event or log record) now:
   * at most one per key and type per {@code events.min-interval}. The counter of findings is not
   * limited: count every finding, emit an event only when this says so.
   */
  public boolean allowEvent(Baseline b, AnomalyType type) {
    return b.tryEvent(type, clock.getAsLong(), settings.eventMinIntervalNanos);
  }

  private boolean warm(Baseline b, LogBaseline s) {
    // Time first: the key's first observation starts the warm-up clock, whatever the measure.
    return b.timeWarm(settings.warmupNanos, clock) && s.hasCalls(settings.warmupCalls);
  }
}
