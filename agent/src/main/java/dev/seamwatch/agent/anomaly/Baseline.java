package dev.seamwatch.agent.anomaly;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * What the engine has learnt about one operation key: one small state per measure (latency, each
 * size kind, rows, emptiness, shape) and the time of the last event of each anomaly type. A few
 * hundred bytes, whatever the traffic; created with the key (the recorder holds one per {@code
 * OperationStats}), so the per-call path needs no map lookup.
 *
 * <p>Thread-safe: the engine locks one measure's state for the few operations of an observation, so
 * calls of one key on different threads only meet on the same measure.
 */
public final class Baseline {

  private static final long NEVER = Long.MIN_VALUE;

  final LogBaseline latency = new LogBaseline();
  final LogBaseline[] sizes = new LogBaseline[SizeKind.values().length];
  final LogBaseline rows = new LogBaseline();
  final EmptyRate empty = new EmptyRate();
  final ShapeSlots shape = new ShapeSlots();

  /** When the engine first saw this key, on its clock; {@link #NEVER} before. */
  private volatile long bornNanos = NEVER;

  /** Set once the warm-up duration has passed, so the steady state never reads the clock. */
  private volatile boolean timeWarm;

  private final long[] lastEventNanos = new long[AnomalyType.values().length];

  public Baseline() {
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = new LogBaseline();
    }
    Arrays.fill(lastEventNanos, NEVER);
  }

  /**
   * Whether the warm-up duration has passed since this key's first observation. Reads the clock
   * only until then.
   */
  boolean timeWarm(long warmupNanos, LongSupplier clock) {
    if (timeWarm) {
      return true;
    }
    if (warmupNanos <= 0) {
      timeWarm = true;
      return true;
    }
    long now = clock.getAsLong();
    long born = bornNanos;
    if (born == NEVER) {
      // Two first observations racing both set it, a few nanoseconds apart: harmless.
      bornNanos = now;
      return false;
    }
    if (now - born >= warmupNanos) {
      timeWarm = true;
      return true;
    }
    return false;
  }

  /** Records an event of this type now if the last one is at least {@code minInterval} old. */
  boolean tryEvent(AnomalyType type, long now, long minIntervalNanos) {
    synchronized (lastEventNanos) {
      long last = lastEventNanos[type.ordinal()];
      if (last != NEVER && now - last < minIntervalNanos) {
        return false;
      }
      lastEventNanos[type.ordinal()] = now;
      return true;
    }
  }
}
