package dev.seamwatch.agent.anomaly;

/**
 * One thread's recent operations, for {@code repeated_call}: a few slots, each an operation key and
 * how many times it was called in the current trace (or, outside any trace, in a row with less than
 * the window between calls). Several slots, so that interleaved N+1 patterns (A, B, A, B...) count
 * too. Allocated once per thread; confined to it, so no locks.
 */
final class RepeatTracker {

  static final int SLOTS = 4;

  private final Object[] keys = new Object[SLOTS];
  private final int[] counts = new int[SLOTS];
  private final long[] lastNanos = new long[SLOTS];
  private final long[] lastUse = new long[SLOTS];
  private long uses;

  /** The trace the counts belong to; null outside any trace. */
  private String traceId;

  /**
   * Counts one call; returns how many calls of this key are in the current run. {@code now} is only
   * read outside a trace (the window), so the caller may pass 0 with a trace.
   */
  int count(Object key, String trace, long now, long windowNanos) {
    if (trace == null ? traceId != null : !trace.equals(traceId)) {
      clear();
      traceId = trace;
    }
    int slot = find(key);
    if (slot < 0) {
      slot = victim();
      keys[slot] = key;
      counts[slot] = 0;
    } else if (trace == null && now - lastNanos[slot] > windowNanos) {
      // Outside a trace, only calls close together are one run.
      counts[slot] = 0;
    }
    lastNanos[slot] = now;
    lastUse[slot] = ++uses;
    if (counts[slot] < Integer.MAX_VALUE) {
      counts[slot]++;
    }
    return counts[slot];
  }

  private int find(Object key) {
    for (int i = 0; i < SLOTS; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /** A free slot, else the least recently used one. */
  private int victim() {
    int victim = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (keys[i] == null) {
        return i;
      }
      if (lastUse[i] < lastUse[victim]) {
        victim = i;
      }
    }
    return victim;
  }

  private void clear() {
    for (int i = 0; i < SLOTS; i++) {
      keys[i] = null;
      counts[i] = 0;
    }
  }
}
