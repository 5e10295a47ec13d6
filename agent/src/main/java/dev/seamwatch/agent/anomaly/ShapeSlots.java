package dev.seamwatch.agent.anomaly;

/**
 * The few most frequent shape fingerprints of one key (a heavy-hitters summary with three slots),
 * with counts that age, so the dominant shape is the recent one.
 *
 * <p>A fingerprint is new when no slot holds it; a new one replaces the least frequent slot. The
 * dominant slot cannot be pushed out that way, and a legitimate second shape stays in its slot, so
 * it is new only once.
 *
 * <p>Not thread-safe: the engine holds this object's lock.
 */
final class ShapeSlots {

  static final int SLOTS = 3;

  /** Counts are halved at this total: a shape that became the normal one dominates within it. */
  static final long AGE_AT = 1_000;

  private final long[] fingerprints = new long[SLOTS];
  private final long[] counts = new long[SLOTS];
  long seen;
  long total;

  /** Of the last {@link #observe}: the dominant fingerprint's count and share before it. */
  long dominantCount;

  double dominantShare;

  /** Takes one fingerprint (not 0); returns whether no slot held it. */
  boolean observe(long fingerprint) {
    int dominant = 0;
    int least = 0;
    int found = -1;
    for (int i = 0; i < SLOTS; i++) {
      if (counts[i] > counts[dominant]) {
        dominant = i;
      }
      if (counts[i] < counts[least]) {
        least = i;
      }
      if (counts[i] > 0 && fingerprints[i] == fingerprint) {
        found = i;
      }
    }
    dominantCount = counts[dominant];
    dominantShare = total == 0 ? 0 : (double) counts[dominant] / total;
    seen++;
    total++;
    if (found >= 0) {
      counts[found]++;
    } else {
      fingerprints[least] = fingerprint;
      counts[least] = 1;
    }
    if (total >= AGE_AT) {
      // The total keeps the shapes no slot holds: their share must not turn into the dominant's.
      total /= 2;
      for (int i = 0; i < SLOTS; i++) {
        counts[i] /= 2;
      }
    }
    return found < 0;
  }
}
