package dev.seamwatch.agent.recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bounded set of operation keys (kind, integration, operation). Past the cap, new keys count
 * under one overflow key per kind, so a service that calls 100,000 distinct URLs does not grow
 * memory.
 */
public final class KeyRegistry {

  public static final String OVERFLOW = "_overflow";

  private final int maxKeys;
  private final ConcurrentHashMap<String, OperationStats> keys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, OperationStats> overflow = new ConcurrentHashMap<>();

  public KeyRegistry(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  public OperationStats get(String kind, String integration, String operation) {
    String key = kind + '\u0000' + integration + '\u0000' + operation;
    OperationStats stats = keys.get(key);
    if (stats != null) {
      return stats;
    }
    if (keys.size() >= maxKeys) {
      return overflow.computeIfAbsent(kind, k -> new OperationStats(k, OVERFLOW, OVERFLOW));
    }
    return keys.computeIfAbsent(key, k -> new OperationStats(kind, integration, operation));
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
