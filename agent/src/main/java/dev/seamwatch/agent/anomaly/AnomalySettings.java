package dev.seamwatch.agent.anomaly;

import dev.seamwatch.agent.config.AgentConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The engine's thresholds, immutable. Read from {@code seamwatch.anomaly.*} by {@link
 * #from(AgentConfig)}: {@code seamwatch.anomaly.enabled} (everything), {@code
 * seamwatch.anomaly.<type>.enabled} and {@code seamwatch.anomaly.<type>.<setting>} per type (the
 * type's wire name, such as {@code latency_outlier}), and a few shared ones ({@code warmup.calls},
 * {@code warmup.duration}, {@code shift.calls}, {@code events.min-interval}). A bad value gives one
 * line and the default; so does a key under {@code seamwatch.anomaly.} that names no setting. Tests
 * build them with {@link #builder()}.
 */
public final class AnomalySettings {

  static final String PREFIX = "seamwatch.anomaly.";

  private static final AnomalySettings DEFAULTS = new Builder().build();

  private final boolean[] enabled;
  final int warmupCalls;
  final long warmupNanos;
  final int shiftCalls;
  final long eventMinIntervalNanos;
  final double latencyThreshold;
  final double latencyMinRatio;
  final double latencySpikeRatio;
  final long latencyMinExcessNanos;
  final double sizeThreshold;
  final double sizeMinRatio;
  final double sizeSpikeRatio;
  final long sizeMinBytes;
  final long sizeMinDifference;
  final double rowsThreshold;
  final double rowsMinRatio;
  final long rowsMin;
  final long rowsMax;
  final int shapeMinObservations;
  final double shapeMinShare;
  final double emptyMaxRate;
  final long emptyMinNonEmpty;
  final double nearLimitRatio;
  final int repeatedThreshold;
  final long repeatedWindowNanos;

  private AnomalySettings(Builder b) {
    enabled = new boolean[b.typeEnabled.length];
    for (int i = 0; i < enabled.length; i++) {
      enabled[i] = b.allEnabled && b.typeEnabled[i];
    }
    warmupCalls = b.warmupCalls;
    warmupNanos = b.warmup.toNanos();
    shiftCalls = b.shiftCalls;
    eventMinIntervalNanos = b.eventMinInterval.toNanos();
    latencyThreshold = b.latencyThreshold;
    latencyMinRatio = b.latencyMinRatio;
    latencySpikeRatio = b.latencySpikeRatio;
    latencyMinExcessNanos = b.latencyMinExcess.toNanos();
    sizeThreshold = b.sizeThreshold;
    sizeMinRatio = b.sizeMinRatio;
    sizeSpikeRatio = b.sizeSpikeRatio;
    sizeMinBytes = b.sizeMinBytes;
    sizeMinDifference = b.sizeMinDifference;
    rowsThreshold = b.rowsThreshold;
    rowsMinRatio = b.rowsMinRatio;
    rowsMin = b.rowsMin;
    rowsMax = b.rowsMax;
    shapeMinObservations = b.shapeMinObservations;
    shapeMinShare = b.shapeMinShare;
    emptyMaxRate = b.emptyMaxRate;
    emptyMinNonEmpty = b.emptyMinNonEmpty;
    nearLimitRatio = b.nearLimitRatio;
    repeatedThreshold = b.repeatedThreshold;
    repeatedWindowNanos = b.repeatedWindow.toNanos();
  }

  public static AnomalySettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether findings of this type are looked for: its own switch and the global one. */
  public boolean enabled(AnomalyType type) {
    return enabled[type.ordinal()];
  }

  /** Reads every {@code seamwatch.anomaly.*} setting; see the class comment. */
  public static AnomalySettings from(AgentConfig config) {
    Reader r = new Reader(config);
    Builder b = new Builder();
    b.allEnabled = r.bool("enabled", true);
    for (AnomalyType type : AnomalyType.values()) {
      b.typeEnabled[type.ordinal()] = r.bool(type.wireName() + ".enabled", true);
    }
    b.warmupCalls = r.integer("warmup.calls", b.warmupCalls, 2, 1_000_000);
    b.warmup = r.duration("warmup.duration", b.warmup, Duration.ZERO, Duration.ofDays(1));
    b.shiftCalls = r.integer("shift.calls", b.shiftCalls, 2, 1000);
    b.eventMinInterval =
        r.duration("events.min-interval", b.eventMinInterval, Duration.ZERO, Duration.ofDays(1));

    String latency = AnomalyType.LATENCY_OUTLIER.wireName() + ".";
    b.latencyThreshold = r.decimal(latency + "threshold", b.latencyThreshold, 1, 1000);
    b.latencyMinRatio = r.decimal(latency + "min-ratio", b.latencyMinRatio, 1, 1e6);
    b.latencySpikeRatio = r.decimal(latency + "spike-ratio", b.latencySpikeRatio, 1, 1e6);
    b.latencyMinExcess =
        r.duration(latency + "min-excess", b.latencyMinExcess, Duration.ZERO, Duration.ofHours(1));

    String size = AnomalyType.SIZE_OUTLIER.wireName() + ".";
    b.sizeThreshold = r.decimal(size + "threshold", b.sizeThreshold, 1, 1000);
    b.sizeMinRatio = r.decimal(size + "min-ratio", b.sizeMinRatio, 1, 1e6);
    b.sizeSpikeRatio = r.decimal(size + "spike-ratio", b.sizeSpikeRatio, 1, 1e6);
    b.sizeMinBytes = r.whole(size + "min-bytes", b.sizeMinBytes, 0, 1L << 40);
    b.sizeMinDifference = r.whole(size + "min-difference", b.sizeMinDifference, 0, 1L << 40);

    String rows = AnomalyType.ROW_EXPLOSION.wireName() + ".";
    b.rowsThreshold = r.decimal(rows + "threshold", b.rowsThreshold, 1, 1000);
    b.rowsMinRatio = r.decimal(rows + "min-ratio", b.rowsMinRatio, 1, 1e6);
    b.rowsMin = r.whole(rows + "min-rows", b.rowsMin, 0, 1L << 40);
    b.rowsMax = r.whole(rows + "max-rows", b.rowsMax, 0, Long.MAX_VALUE);

    String shape = AnomalyType.SHAPE_DRIFT.wireName() + ".";
    b.shapeMinObservations =
        r.integer(shape + "min-observations", b.shapeMinObservations, 1, 1_000_000);
    b.shapeMinShare = r.decimal(shape + "min-share", b.shapeMinShare, 0.5, 1);

    String empty = AnomalyType.EMPTY_RESULT.wireName() + ".";
    b.emptyMaxRate = r.decimal(empty + "max-rate", b.emptyMaxRate, 0.0001, 0.5);
    b.emptyMinNonEmpty = r.whole(empty + "min-non-empty", b.emptyMinNonEmpty, 1, 1_000_000_000);

    b.nearLimitRatio =
        r.decimal(AnomalyType.NEAR_LIMIT.wireName() + ".ratio", b.nearLimitRatio, 0.01, 1);

    String repeated = AnomalyType.REPEATED_CALL.wireName() + ".";
    b.repeatedThreshold = r.integer(repeated + "threshold", b.repeatedThreshold, 2, 1_000_000);
    b.repeatedWindow =
        r.duration(
            repeated + "window", b.repeatedWindow, Duration.ofMillis(1), Duration.ofHours(1));

    config.reportUnknownSettings(PREFIX, r.known);
    return b.build();
  }

  /** Reads settings under the prefix and remembers their keys, to report unknown ones. */
  private static final class Reader {
    final AgentConfig config;
    final Set<String> known = new HashSet<>();

    Reader(AgentConfig config) {
      this.config = config;
    }

    private String key(String name) {
      String key = PREFIX + name;
      known.add(key);
      return key;
    }

    boolean bool(String name, boolean defaultValue) {
      return config.getBoolean(key(name), defaultValue);
    }

    int integer(String name, int defaultValue, int min, int max) {
      return config.getInt(key(name), defaultValue, min, max);
    }

    long whole(String name, long defaultValue, long min, long max) {
      return config.getLong(key(name), defaultValue, min, max);
    }

    double decimal(String name, double defaultValue, double min, double max) {
      return config.getDouble(key(name), defaultValue, min, max);
    }

    Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
      return config.getDuration(key(name), defaultValue, min, max);
    }
  }

  /**
   * Settings starting from the defaults. The defaults and why they are what they are are here, in
   * one place.
   */
  public static final class Builder {
    private boolean allEnabled = true;
    private final boolean[] typeEnabled = new boolean[AnomalyType.values().length];

    /** Enough values for a first mean and deviation to mean something. */
    private int warmupCalls = 20;

    /** Startup is not the normal: connection pools fill, the JIT compiles, caches warm. */
    private Duration warmup = Duration.ofSeconds(10);

    /** Five outliers in a row on one side are a new normal, not bad luck. */
    private int shiftCalls = 5;

    /** At most one event per key and type a minute: a storm becomes one line and a counter. */
    private Duration eventMinInterval = Duration.ofMinutes(1);

    /**
     * Six deviations in log space: 3x to 7x the usual for the usual spreads. The normal traffic of
     * the tests (20 seeds of 30,000 calls) gives no finding at 5 either: there is a margin.
     */
    private double latencyThreshold = 6;

    /**
     * A call less than 3x slower than usual is not an outlier, however steady the key; at 2x, the
     * tests' normal traffic gave a false alarm (two slow calls in a row, 2.4x, on a steady key).
     */
    private double latencyMinRatio = 3;

    /**
     * One slow call alone is reported from 10x the usual; below, only two in a row are (a GC pause
     * makes single calls 2-3x slower, and with their own jitter up to 5x).
     */
    private double latencySpikeRatio = 10;

    /**
     * Below 50 ms of extra time a single call rarely matters to a request, and GC pauses, CPU
     * throttling of a container (100 ms periods) and a new connection's handshake all add tens of
     * ms to single calls of any key.
     */
    private Duration latencyMinExcess = Duration.ofMillis(50);

    /**
     * As latency: 2x to 7x the usual for the usual spreads. The tests' normal traffic is quiet at 5
     * too, not at 4 (list responses whose item count varies are wide in log space).
     */
    private double sizeThreshold = 6;

    /** Half or double the usual size at least, either way. */
    private double sizeMinRatio = 2;

    /**
     * One larger payload alone is reported from 10x the usual; below, two in a row. A far smaller
     * one needs three in a row, whatever the ratio: a short page is data, not a fault.
     */
    private double sizeSpikeRatio = 10;

    /** Payloads under 1 KiB, both the usual and this one, cost nothing worth an alarm. */
    private long sizeMinBytes = 1024;

    /** Nor does a change of less than 1 KiB. */
    private long sizeMinDifference = 1024;

    /** As sizes. */
    private double rowsThreshold = 6;

    /** Row counts vary with the data; an explosion is ten times the usual at least. */
    private double rowsMinRatio = 10;

    /** Fewer than 100 rows is no explosion, whatever the usual count (often 0 or 1). */
    private long rowsMin = 100;

    /** More rows than this is reported whatever the baseline, even during warm-up; 0: no cap. */
    private long rowsMax = 10_000;

    /** The dominant shape is the normal one after this many observations... */
    private int shapeMinObservations = 20;

    /** ...at this share at least; a key with two common shapes has no single normal one. */
    private double shapeMinShare = 0.9;

    /** A key that returns empty less than 2% of the time "almost never" does. */
    private double emptyMaxRate = 0.02;

    /** Only after 50 non-empty results, to know that. */
    private long emptyMinNonEmpty = 50;

    /** 80% of max.request.size: one schema change or a bigger batch away from rejection. */
    private double nearLimitRatio = 0.8;

    /** Ten calls of one operation in one trace is a loop that a single batched call could be. */
    private int repeatedThreshold = 10;

    /** Outside a trace, calls more than 1 s apart are not one loop. */
    private Duration repeatedWindow = Duration.ofSeconds(1);

    private Builder() {
      Arrays.fill(typeEnabled, true);
    }

    /** Everything on or off ({@code seamwatch.anomaly.enabled}). */
    public Builder enabled(boolean on) {
      allEnabled = on;
      return this;
    }

    public Builder enabled(AnomalyType type, boolean on) {
      typeEnabled[type.ordinal()] = on;
      return this;
    }

    public Builder warmup(int calls, Duration duration) {
      warmupCalls = calls;
      warmup = duration;
      return this;
    }

    public Builder shiftCalls(int calls) {
      shiftCalls = calls;
      return this;
    }

    public Builder eventMinInterval(Duration interval) {
      eventMinInterval = interval;
      return this;
    }

    public Builder latency(
        double threshold, double minRatio, double spikeRatio, Duration minExcess) {
      latencyThreshold = threshold;
      latencyMinRatio = minRatio;
      latencySpikeRatio = spikeRatio;
      latencyMinExcess = minExcess;
      return this;
    }

    public Builder size(
        double threshold, double minRatio, double spikeRatio, long minBytes, long minDifference) {
      sizeThreshold = threshold;
      sizeMinRatio = minRatio;
      sizeSpikeRatio = spikeRatio;
      sizeMinBytes = minBytes;
      sizeMinDifference = minDifference;
      return this;
    }

    public Builder rows(double threshold, double minRatio, long minRows, long maxRows) {
      rowsThreshold = threshold;
      rowsMinRatio = minRatio;
      rowsMin = minRows;
      rowsMax = maxRows;
      return this;
    }

    public Builder shape(int minObservations, double minShare) {
      shapeMinObservations = minObservations;
      shapeMinShare = minShare;
      return this;
    }

    public Builder empty(double maxRate, long minNonEmpty) {
      emptyMaxRate = maxRate;
      emptyMinNonEmpty = minNonEmpty;
      return this;
    }

    public Builder nearLimitRatio(double ratio) {
      nearLimitRatio = ratio;
      return this;
    }

    public Builder repeated(int threshold, Duration window) {
      repeatedThreshold = threshold;
      repeatedWindow = window;
      return this;
    }

    public AnomalySettings build() {
      return new AnomalySettings(this);
    }
  }
}
