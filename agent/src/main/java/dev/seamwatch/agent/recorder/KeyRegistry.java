package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.config.AgentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The bounded set of operation keys (kind, integration, operation). Past the cap ({@code
 * seamwatch.keys.max}), new keys count under one overflow key per kind, so a service that calls
 * 100,000 distinct URLs does not grow memory.
 *
 * <p>Idle keys make room again: when the registry is full, a sweep (at most one every {@link
 * #SWEEP_INTERVAL}) removes the keys not used for {@code seamwatch.keys.idle-timeout} (10 minutes
 * by default). Their counts move to the overflow key of their kind, so the report's totals stay
 * whole; their anomaly baselines are dropped, and a key that comes back learns afresh. A full
 * registry of busy keys stays as it is: eviction only takes keys nobody uses.
 */
public final class KeyRegistry {

  public static final String OVERFLOW = "_overflow";
  public static final String IDLE_TIMEOUT_KEY = "seamwatch.keys.idle-timeout";
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /**
   * How often at most a full registry looks for idle keys: a service past the cap asks for a new
   * key on every call, and walking every key each time would cost more than the call.
   */
  public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

  /** Last-use times are refreshed at most this often, so hot keys are not one shared write. */
  private static final long TOUCH_GRANULARITY_NANOS = 1_000_000_000L;

  private final int maxKeys;
  private final long idleTimeoutNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong lastSweepNanos;
  private final ConcurrentHashMap<Key, OperationStats> keys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, OperationStats> overflow = new ConcurrentHashMap<>();

  public KeyRegistry(int maxKeys) {
    this(maxKeys, DEFAULT_IDLE_TIMEOUT, System::nanoTime);
  }

  public KeyRegistry(int maxKeys, Duration idleTimeout, LongSupplier nanoClock) {
    this.maxKeys = maxKeys;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.nanoClock = nanoClock;
    this.lastSweepNanos = new AtomicLong(nanoClock.getAsLong() - SWEEP_INTERVAL.toNanos());
  }

  /** {@code seamwatch.keys.max} and {@code seamwatch.keys.idle-timeout}, read from the config. */
  public static KeyRegistry fromConfig(AgentConfig config) {
    return fromConfig(config, System::nanoTime);
  }

  static KeyRegistry fromConfig(AgentConfig config, LongSupplier nanoClock) {
    int maxKeys = config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000);
    Duration idle =
        config.getDuration(
            IDLE_TIMEOUT_KEY, DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(1), Duration.ofDays(30));
    return new KeyRegistry(maxKeys, idle, nanoClock);
  }

  public OperationStats get(String kind, String integration, String operation) {
    Key key = new Key(kind, integration, operation);
    long now = nanoClock.getAsLong();
    OperationStats stats = keys.get(key);
    if (stats != null) {
      touch(stats, now);
      return stats;
    }
    if (keys.size() >= maxKeys && (!sweep(now) || keys.size() >= maxKeys)) {
      return overflowOf(kind);
    }
    stats = keys.computeIfAbsent(key, k -> created(kind, integration, operation, now));
    touch(stats, now);
    return stats;
  }

  private static OperationStats created(
      String kind, String integration, String operation, long now) {
    OperationStats stats = new OperationStats(kind, integration, operation);
    stats.lastUsedNanos = now;
    return stats;
  }

  private static void touch(OperationStats stats, long now) {
    if (now - stats.lastUsedNanos >= TOUCH_GRANULARITY_NANOS) {
      stats.lastUsedNanos = now;
    }
  }

  private OperationStats overflowOf(String kind) {
    return overflow.computeIfAbsent(kind, k -> new OperationStats(k, OVERFLOW, OVERFLOW));
  }

  /**
   * Removes the keys idle for longer than the timeout, if no other sweep ran within the interval;
   * returns whether any key was removed. One thread sweeps, the others go on at once.
   */
  private boolean sweep(long now) {
    long last = lastSweepNanos.get();
    if (now - last < SWEEP_INTERVAL.toNanos() || !lastSweepNanos.compareAndSet(last, now)) {
      return false;
    }
    boolean removed = false;
    for (Map.Entry<Key, OperationStats> entry : keys.entrySet()) {
      OperationStats stats = entry.getValue();
      // The granularity of touch() makes a key look up to one second idler than it is.
      if (now - stats.lastUsedNanos > idleTimeoutNanos + TOUCH_GRANULARITY_NANOS
          && keys.remove(entry.getKey(), stats)) {
        overflowOf(stats.kind).absorb(stats);
        removed = true;
      }
    }
    return removed;
  }

  /**
   * A key of the map: the three strings as they are, not joined into one, so a lookup copies
   * nothing and hashes nothing new when the caller's strings are the same instances each time (a
   * prepared statement's summary, a catalog entry's name): {@link String#hashCode} is cached.
   */
  private static final class Key {
    private final String kind;
    private final String integration;
    private final String operation;
    private final int hash;

    Key(String kind, String integration, String operation) {
      this.kind = kind;
      this.integration = integration;
      this.operation = operation;
      this.hash =
          (kind.hashCode() * 31 + Objects.hashCode(integration)) * 31 + Objects.hashCode(operation);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Key that = (Key) other;
      return hash == that.hash
          && kind.equals(that.kind)
          && Objects.equals(integration, that.integration)
          && Objects.equals(operation, that.operation);
    }
  }

  public int size() {
    return keys.size();
  }

  /** Every key seen, overflow keys last. */
  public List<OperationStats> snapshot() {
    List<OperationStats> all = new ArrayList<>(keys.values());
    all.addAll(overflow.values());
    return all;
  }
}
