package dev.seamwatch.agent.anomaly;

/**
 * How often one key's results are empty, two ways: a short EWMA (recent results) and aged counts
 * (the key's long-run rate). An empty result is an anomaly only when both are low: the EWMA alone
 * dips low by chance on a key that is empty one time in ten, and the counts alone would report
 * every empty of a key that just started returning nothing but empties.
 *
 * <p>Not thread-safe: the engine holds this object's lock.
 */
final class EmptyRate {

  /** About 20 results: after an empty, some 20 non-empty ones pass before the rate is low again. */
  static final double ALPHA = 0.05;

  /** Counts are halved at this total, so the long-run rate follows a change in some thousands. */
  static final long AGE_AT = 10_000;

  long seen;
  double rate;
  long empties;
  long total;

  /** The EWMA rate before the last {@link #observe}. */
  double rateBefore;

  /**
   * Takes one result; returns whether an empty one is rare for this key.
   *
   * @param judge whether warm-up is over
   */
  boolean observe(boolean empty, boolean judge, double maxRate, long minNonEmpty) {
    rateBefore = rate;
    boolean rare =
        empty
            && judge
            && total - empties >= minNonEmpty
            && rate < maxRate
            // This one included: one empty in a few dozen results is no evidence of rarity.
            && empties + 1 < maxRate * (total + 1);
    seen++;
    if (seen == 1) {
      rate = empty ? 1 : 0;
    } else {
      rate += ALPHA * ((empty ? 1 : 0) - rate);
    }
    total++;
    if (empty) {
      empties++;
    }
    if (total >= AGE_AT) {
      total /= 2;
      empties /= 2;
    }
    return rare;
  }
}
