package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.anomaly.AnomalyType;

/**
 * For the report's tests: real {@link OperationStats} with calls and findings recorded as the
 * recorder records them, without making {@code record} public.
 */
public final class RecordedStats {

  private RecordedStats() {}

  public static OperationStats of(String kind, String integration, String operation) {
    return new OperationStats(kind, integration, operation);
  }

  /** Records {@code calls} calls of {@code millis} each, the first {@code errors} failed. */
  public static OperationStats record(
      OperationStats stats, int calls, int errors, double millis, String errorType) {
    for (int i = 0; i < calls; i++) {
      stats.record((long) (millis * 1_000_000), i < errors ? errorType : null);
    }
    return stats;
  }

  public static OperationStats anomaly(OperationStats stats, AnomalyType type, int count) {
    for (int i = 0; i < count; i++) {
      stats.anomaly(type);
    }
    return stats;
  }
}
