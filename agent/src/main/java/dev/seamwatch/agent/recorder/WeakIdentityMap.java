package dev.seamwatch.agent.recorder;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Facts the agent keeps about the application's objects (a statement's SQL, a result set's row
 * count) without keeping the objects alive and without adding fields to their classes, which
 * retransformation forbids. Keys are compared by identity: drivers' {@code equals} is theirs. When
 * a key is collected, its value is handed to the expunge callback.
 *
 * <p>When: every map's keys go to one reference queue, which one agent thread waits on, so a value
 * is handed over soon after the GC clears its key, on that thread. The first version expunged on
 * the map's next write only, and a service that went quiet after a burst kept the calls of
 * collected requests (a span, a body sniffer: one to two kilobytes each, up to an eden's worth)
 * until its next call, and their spans unexported. Only if that thread could not be started do
 * writes drain the queue (of every map) instead: an application's call does not otherwise run the
 * callbacks of other maps' keys. Callbacks run once per key, on the agent's thread, and must be
 * thread-safe.
 */
final class WeakIdentityMap<K, V> {

  /** The keys of every map, once collected. */
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

  /** Whether the agent's thread drains the queue; if not, writes do. */
  private static final boolean DRAINED;

  static {
    boolean started = false;
    try {
      new AgentThread(WeakIdentityMap::awaitCollected, "collected").start();
      started = true;
    } catch (Throwable t) {
      // Writes drain the queue instead.
    }
    DRAINED = started;
  }

  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final Consumer<V> onCollected;

  WeakIdentityMap(Consumer<V> onCollected) {
    this.onCollected = onCollected;
  }

  V get(K key) {
    return key == null ? null : map.get(new Lookup(key));
  }

  /**
   * Stores the value; returns the weak reference the map keeps to the key, for callers to share.
   */
  WeakReference<K> put(K key, V value) {
    if (!DRAINED) {
      expunge();
    }
    WeakKey<K> weak = new WeakKey<>(key, this);
    map.put(weak, value);
    return weak;
  }

  V remove(K key) {
    return key == null ? null : map.remove(new Lookup(key));
  }

  int size() {
    return map.size();
  }

  private static void expunge() {
    Reference<?> ref;
    while ((ref = COLLECTED.poll()) != null) {
      expunged(ref);
    }
  }

  /** The agent's thread: hands values over as their keys are collected, for the JVM's life. */
  private static void awaitCollected() {
    while (true) {
      try {
        expunged(COLLECTED.remove());
      } catch (Throwable t) {
        // An interrupt, or a callback's failure: the next key is handed over all the same.
      }
    }
  }

  private static void expunged(Reference<?> ref) {
    if (ref instanceof WeakKey) {
      ((WeakKey<?>) ref).owner.removeCollected(ref);
    }
  }

  private void removeCollected(Object key) {
    V value = map.remove(key);
    if (value != null) {
      onCollected.accept(value);
    }
  }

  /** The stored key: identity hash of the referent, kept after it is collected, and its map. */
  private static final class WeakKey<K> extends WeakReference<K> {
    private final int hash;
    final WeakIdentityMap<?, ?> owner;

    WeakKey(K referent, WeakIdentityMap<?, ?> owner) {
      super(referent, COLLECTED);
      this.hash = System.identityHashCode(referent);
      this.owner = owner;
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
      Object mine = get();
      if (mine == null) {
        return false;
      }
      if (other instanceof Lookup) {
        return ((Lookup) other).referent == mine;
      }
      return other instanceof WeakKey && ((WeakKey<?>) other).get() == mine;
    }
  }

  /** A short-lived strong key for lookups, equal to the WeakKey of the same object. */
  private static final class Lookup {
    private final Object referent;
    private final int hash;

    Lookup(Object referent) {
      this.referent = referent;
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other instanceof WeakKey) {
        return ((WeakKey<?>) other).get() == referent;
      }
      return other instanceof Lookup && ((Lookup) other).referent == referent;
    }
  }
}
