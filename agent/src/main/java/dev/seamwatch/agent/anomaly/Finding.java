package dev.seamwatch.agent.anomaly;

/**
 * One anomaly found in one observation. Immutable, and only allocated when something is found: the
 * normal path of the engine allocates nothing.
 */
public final class Finding {

  public final AnomalyType type;

  /**
   * What was measured: {@code latency_ms}, {@code request_size}, {@code response_size}, {@code
   * message_size}, {@code rows}, {@code shape}, {@code empty}, {@code calls_in_sequence}, {@code
   * size_ratio} or {@code marker}.
   */
  public final String measure;

  /** The value observed (for {@code shape}: the share of the new fingerprint, 0). */
  public final double observed;

  /** The baseline (a geometric mean, a rate) or the limit the observation is compared with. */
  public final double expected;

  /**
   * How far: deviations in log space for baselines, observed over limit for limits (for {@code
   * shape}: the observations behind the dominant fingerprint, the evidence it is the normal one).
   */
  public final double score;

  /** A name that goes with it: the marker of {@code error_in_success}, or null. */
  public final String detail;

  public Finding(
      AnomalyType type,
      String measure,
      double observed,
      double expected,
      double score,
      String detail) {
    this.type = type;
    this.measure = measure;
    this.observed = observed;
    this.expected = expected;
    this.score = score;
    this.detail = detail;
  }

  @Override
  public String toString() {
    return type.wireName()
        + " "
        + measure
        + " observed="
        + observed
        + " expected="
        + expected
        + " score="
        + score
        + (detail != null ? " detail=" + detail : "");
  }
}
