package dev.seamwatch.agent.anomaly;

import java.util.Locale;

/** The kinds of finding; {@link #wireName()} is the value of {@code seamwatch.anomaly.type}. */
public enum AnomalyType {
  SIZE_OUTLIER,
  SHAPE_DRIFT,
  ERROR_IN_SUCCESS,
  EMPTY_RESULT,
  ROW_EXPLOSION,
  NEAR_LIMIT,
  REPEATED_CALL,
  LATENCY_OUTLIER,
  /** Latency above the SLO the integration catalog sets; no rule in the engine. */
  SLO_BREACH;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** {@code size_outlier}, {@code shape_drift}, ...: also the {@code <type>} of its settings. */
  public String wireName() {
    return wireName;
  }
}
