package dev.seamwatch.agent.recorder;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Facts the agent keeps about the application's objects (a statement's SQL, a result set's row
 * count) without keeping the objects alive and without adding fields to their classes, which
 * retransformation forbids. Keys are compared by identity: drivers' {@code equals} is theirs. When
 * a key is collected, its value is handed to the expunge callback, on the next write.
 */
final class WeakIdentityMap<K, V> {

  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<>();
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
    expunge();
    WeakKey<K> weak = new WeakKey<>(key, collected);
    map.put(weak, value);
    return weak;
  }

  V remove(K key) {
    return key == null ? null : map.remove(new Lookup(key));
  }

  int size() {
    return map.size();
  }

  private void expunge() {
    Object ref;
    while ((ref = collected.poll()) != null) {
      V value = map.remove(ref);
      if (value != null) {
        onCollected.accept(value);
      }
    }
  }

  /** The stored key: identity hash of the referent, kept after it is collected. */
  private static final class WeakKey<K> extends WeakReference<K> {
    private final int hash;

    WeakKey(K referent, ReferenceQueue<K> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
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
