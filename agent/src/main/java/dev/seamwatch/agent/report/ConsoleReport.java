package dev.seamwatch.agent.report;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.recorder.OperationStats;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-operation summary printed at shutdown: every dependency the service called, with calls,
 * errors and latency percentiles. It needs no collector.
 */
public final class ConsoleReport {

  private ConsoleReport() {}

  public static void print(PrintStream out, List<OperationStats> stats, long callsBeforeStart) {
    stats.sort(
        Comparator.comparing((OperationStats s) -> s.kind)
            .thenComparing(s -> s.integration)
            .thenComparing(s -> s.operation));
    long calls = stats.stream().mapToLong(OperationStats::calls).sum();
    long errors = stats.stream().mapToLong(OperationStats::errors).sum();
    long integrations = stats.stream().map(s -> s.kind + s.integration).distinct().count();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "[seamwatch] integration report: %d integration(s), %d call(s), %d error(s)%s%n",
            integrations,
            calls,
            errors,
            callsBeforeStart > 0
                ? ", " + callsBeforeStart + " call(s) before the agent started (not recorded)"
                : ""));
    if (!stats.isEmpty()) {
      String format = "[seamwatch]   %-9s %-32s %-36s %6s %6s %9s %9s %9s  %-24s %s%n";
      b.append(
          String.format(
              Locale.ROOT,
              format,
              "KIND",
              "INTEGRATION",
              "OPERATION",
              "CALLS",
              "ERRORS",
              "P50 ms",
              "P95 ms",
              "P99 ms",
              "LAST ERROR",
              "ANOMALIES"));
      for (OperationStats s : stats) {
        b.append(
            String.format(
                Locale.ROOT,
                format,
                s.kind,
                clip(s.integration, 32),
                clip(s.operation, 36),
                s.calls(),
                s.errors(),
                millis(s.percentileMillis(0.50)),
                millis(s.percentileMillis(0.95)),
                millis(s.percentileMillis(0.99)),
                s.lastErrorType() == null ? "" : s.lastErrorType(),
                anomalies(s)));
      }
    }
    out.print(b);
    out.flush();
  }

  /** Findings by type, such as {@code size_outlier x3, shape_drift x1}. */
  private static String anomalies(OperationStats s) {
    StringBuilder found = new StringBuilder();
    for (AnomalyType type : AnomalyType.values()) {
      long count = s.anomalies(type);
      if (count > 0) {
        found
            .append(found.length() == 0 ? "" : ", ")
            .append(type.wireName())
            .append(" x")
            .append(count);
      }
    }
    return found.toString();
  }

  private static String millis(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return value < 10
        ? String.format(Locale.ROOT, "%.2f", value)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
