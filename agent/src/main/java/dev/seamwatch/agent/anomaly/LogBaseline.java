package dev.seamwatch.agent.anomaly;

/**
 * One measure's baseline for one key, in log space, in a few numbers: an EWMA of the mean and of
 * the absolute deviation, and the outliers in progress.
 *
 * <p>Log space, because latencies, sizes and row counts are multiplicative: 10 ms to 20 ms is as
 * far as 1 s to 2 s, and their spread is roughly log-normal. The absolute deviation rather than a
 * variance, because one extreme value moves it linearly, not quadratically.
 *
 * <p>How it stays robust:
 *
 * <ul>
 *   <li>An outlier is folded in clamped to the outlier boundary (winsorized): one spike moves the
 *       baseline by a fraction of a deviation, while outliers that keep coming (a second mode of
 *       the key, such as empty lists among full ones) widen the deviation until they are normal.
 *   <li>A single outlier is only reportable when it is extreme ({@link Rule#aloneUp}); a closer one
 *       needs more in a row ({@link Rule#confirmUp}): one slow call in a hundred (a GC pause) is
 *       not an anomaly. Each side has its own rule: a payload far smaller than usual (one short
 *       page of a list) is only a sign when it persists.
 *   <li>A lasting shift shows as a run of outliers on one side; after {@link Rule#shiftCalls} in a
 *       row the baseline is re-seeded from the run (the new normal). Outliers back within the
 *       baseline before the shift are quiet, and a run of them restores it: a recovery is not an
 *       anomaly.
 *   <li>An episode is reported once: once an outlier was reported, outliers on the same side stay
 *       quiet until {@link #EPISODE_CALM} normal values in a row end the episode. A shift, a ramp
 *       or an intermittent fault is one finding, not one per call.
 * </ul>
 *
 * <p>Not thread-safe: the engine holds this object's lock around {@link #observe}.
 */
final class LogBaseline {

  /** The weight of a new value: a memory of about 50 observations. */
  static final double ALPHA = 0.02;

  /**
   * The smallest deviation a score divides by (about 5%): a key whose values never vary (a fixed
   * response size) would otherwise score every small change as infinitely far.
   */
  static final double MIN_DEVIATION = 0.05;

  /** Normal values in a row that end an episode: about the baseline's memory, halved. */
  static final int EPISODE_CALM = 25;

  /** The absolute deviation of a normal distribution is about 0.8 of its standard deviation. */
  private static final double MAD_PER_SD = 0.8;

  /** Still learning (warm-up), or within the baseline: nothing to report. */
  static final int NORMAL = 0;

  /** Outside the baseline, and reportable: the caller checks its own gates, then reports it. */
  static final int OUTLIER = 1;

  /** Outside the baseline, but not confirmed yet, or part of an episode already reported. */
  static final int OUTLIER_QUIET = 2;

  /** What makes an outlier, and a reportable one, for one measure; from the settings. */
  static final class Rule {
    /** As a confirmation count: this side is never reported. */
    static final int NEVER = Integer.MAX_VALUE;

    /** Deviations away at least. */
    final double threshold;

    /** Log of the ratio to the baseline's geometric mean, at least. */
    final double minLog;

    /** Above the baseline: from this far (log of a ratio), a single outlier is reportable... */
    final double aloneUp;

    /** ...else from this many outliers in a row. */
    final int confirmUp;

    /** The same, below the baseline. */
    final double aloneDown;

    final int confirmDown;

    /** Outliers in a row on one side that make a new normal. */
    final int shiftCalls;

    /**
     * @param aloneUpRatio the ratio from which one outlier above is reportable alone (infinity:
     *     never)
     */
    Rule(
        double threshold,
        double minRatio,
        double aloneUpRatio,
        int confirmUp,
        double aloneDownRatio,
        int confirmDown,
        int shiftCalls) {
      this.threshold = threshold;
      this.minLog = Math.log(minRatio);
      this.aloneUp = Math.log(aloneUpRatio);
      // A run ends at the shift: a confirmation longer than that could never happen.
      this.confirmUp = confirmUp == NEVER ? NEVER : Math.min(confirmUp, shiftCalls);
      this.aloneDown = Math.log(aloneDownRatio);
      this.confirmDown = confirmDown == NEVER ? NEVER : Math.min(confirmDown, shiftCalls);
      this.shiftCalls = shiftCalls;
    }
  }

  long count;
  double mean;
  double deviation;

  /** Of the last {@link #observe}: signed distance in deviations, and the mean it was from. */
  double score;

  double expected;

  /** The current run of outliers in a row on one side (-1 or 1). */
  private int runLength;

  private int runDirection;
  private int lastDirection;
  private double runSum;
  private double runSumSquares;
  private boolean runReturning;
  private double meanBeforeRun;
  private double deviationBeforeRun;

  /** The baseline before the last shift, for a recovery to return to. */
  private boolean hasPrior;

  private double priorMean;
  private double priorDeviation;

  /** The side of the episode already reported (0: none), and the normal values in a row since. */
  private int reportedDirection;

  private int calm;

  /**
   * Takes one value (already in log space) and learns from it.
   *
   * @param warm whether the warm-up is over (enough calls and enough time): before, every value is
   *     folded in as it is, and nothing is an outlier
   */
  int observe(double y, boolean warm, Rule rule) {
    if (!warm) {
      fold(y);
      resetRun();
      return NORMAL;
    }
    double distance = y - mean;
    double band = band(deviation, rule);
    expected = mean;
    score = distance / Math.max(deviation, MIN_DEVIATION);
    if (Math.abs(distance) < band) {
      return normal(y);
    }
    // Back within the normal before the last shift (an upstream that recovered): not news.
    boolean returning = hasPrior && Math.abs(y - priorMean) < band(priorDeviation, rule);
    int direction = distance > 0 ? 1 : -1;
    if (direction != runDirection) {
      resetRun();
      runDirection = direction;
      meanBeforeRun = mean;
      deviationBeforeRun = deviation;
      runReturning = true;
    }
    runReturning &= returning;
    lastDirection = direction;
    calm = 0;
    runLength++;
    runSum += y;
    runSumSquares += y * y;
    boolean reportable =
        !returning
            && reportedDirection != direction
            && (direction > 0
                ? runLength >= rule.confirmUp || distance >= rule.aloneUp
                : runLength >= rule.confirmDown || -distance >= rule.aloneDown);
    if (runLength >= rule.shiftCalls) {
      if (runReturning) {
        // A run back in the old range: the old baseline, as it was, is the normal again. Used
        // up, so that the shift coming back is news again.
        mean = priorMean;
        deviation = priorDeviation;
        hasPrior = false;
        resetRun();
      } else {
        reseedFromRun();
      }
    } else {
      fold(mean + direction * band);
    }
    return reportable ? OUTLIER : OUTLIER_QUIET;
  }

  private int normal(double y) {
    fold(y);
    resetRun();
    if (reportedDirection != 0 && ++calm >= EPISODE_CALM) {
      reportedDirection = 0;
    }
    return NORMAL;
  }

  /** How far from the mean an outlier is, at least. */
  private static double band(double deviation, Rule rule) {
    return Math.max(rule.threshold * Math.max(deviation, MIN_DEVIATION), rule.minLog);
  }

  /** The caller reported the last outlier: the rest of its episode stays quiet. */
  void markReported() {
    reportedDirection = lastDirection;
    calm = 0;
  }

  /** Whether this measure has seen enough values to judge (the time part is the engine's). */
  boolean hasCalls(int warmupCalls) {
    return count >= warmupCalls;
  }

  private void fold(double y) {
    count++;
    if (count == 1) {
      mean = y;
      deviation = 0;
      return;
    }
    // Equal weights while there are few values, so the first ones do not dominate, then EWMA.
    double alpha = Math.max(ALPHA, 1.0 / count);
    double distance = y - mean;
    mean += alpha * distance;
    deviation += alpha * (Math.abs(distance) - deviation);
  }

  private void reseedFromRun() {
    double runMean = runSum / runLength;
    double variance = Math.max(0, runSumSquares / runLength - runMean * runMean);
    priorMean = meanBeforeRun;
    priorDeviation = deviationBeforeRun;
    hasPrior = true;
    mean = runMean;
    // The clamped outliers of the run widened the deviation: the old spread is the better guess,
    // unless the run itself is wider.
    deviation = Math.max(deviationBeforeRun, MAD_PER_SD * Math.sqrt(variance));
    resetRun();
  }

  private void resetRun() {
    runLength = 0;
    runDirection = 0;
    runSum = 0;
    runSumSquares = 0;
  }
}
