package dev.seamwatch.agent.report;

import dev.seamwatch.agent.recorder.KeyRegistry;
import dev.seamwatch.agent.recorder.OperationStats;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The integration report as a table on stderr: one line per integration (owner, tier, totals,
 * latency percentiles, anomalies, readiness findings), its operations indented below it. Every line
 * starts with {@code [seamwatch]}; the first one is a summary whose format tests and users parse:
 *
 * <pre>
 * [seamwatch] integration report: N integration(s), M call(s), K error(s)[, X call(s) before the agent started (not recorded)]
 * </pre>
 */
public final class ConsoleReport {

  private static final String ROW =
      "[seamwatch]   %-9s %-44s %-16s %-6s %8s %7s %6s %8s %8s %8s  %s";

  private static final int NAME_WIDTH = 44;
  private static final int OPERATION_INDENT = 2;
  private static final int FINDINGS_WIDTH = 120;

  private ConsoleReport() {}

  /**
   * The table as the agent printed it before the report model: kept for callers not yet moved to
   * {@link #print(PrintStream, ReportModel, long)}, with no catalog details.
   */
  public static void print(PrintStream out, List<OperationStats> stats, long callsBeforeStart) {
    long now = System.currentTimeMillis();
    print(out, ReportModel.from(null, null, now, now, stats, null), callsBeforeStart);
  }

  public static void print(PrintStream out, ReportModel model, long callsBeforeStart) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "[seamwatch] integration report: %d integration(s), %d call(s), %d error(s)%s%n",
            model.integrations().size(),
            model.calls(),
            model.errors(),
            callsBeforeStart > 0
                ? ", " + callsBeforeStart + " call(s) before the agent started (not recorded)"
                : ""));
    if (!model.integrations().isEmpty()) {
      line(
          b,
          "KIND",
          "INTEGRATION / OPERATION",
          "OWNER",
          "TIER",
          "CALLS",
          "ERRORS",
          "ERR %",
          "P50 ms",
          "P95 ms",
          "P99 ms",
          "FINDINGS");
      for (IntegrationReport integration : model.integrations()) {
        IntegrationDetails details = integration.details();
        CallStats s = integration.stats();
        String findings = anomalies(s.anomalies());
        if (!details.readiness().isEmpty()) {
          findings +=
              (findings.isEmpty() ? "" : "; ")
                  + "readiness: "
                  + String.join(", ", details.readiness());
        }
        line(
            b,
            integration.kind(),
            clip(
                integration.overflow()
                    ? KeyRegistry.OVERFLOW + " (keys over seamwatch.keys.max)"
                    : integration.name(),
                NAME_WIDTH),
            clip(nullToEmpty(details.owner()), 16),
            clip(nullToEmpty(details.tier()), 6),
            s,
            findings);
        // The operations with the most calls, then the ones with findings or errors: a service
        // that calls thousands of distinct paths gets a readable table; the JSON has them all.
        List<OperationReport> shown = shownOperations(integration.operations());
        for (OperationReport operation : shown) {
          String opFindings = anomalies(operation.stats().anomalies());
          if (operation.lastErrorType() != null) {
            opFindings =
                "last error: "
                    + operation.lastErrorType()
                    + (opFindings.isEmpty() ? "" : "; " + opFindings);
          }
          line(
              b,
              "",
              spaces(OPERATION_INDENT) + clip(operation.name(), NAME_WIDTH - OPERATION_INDENT),
              "",
              "",
              operation.stats(),
              opFindings);
        }
        int hidden = integration.operations().size() - shown.size();
        if (hidden > 0) {
          b.append("[seamwatch]             ")
              .append(spaces(OPERATION_INDENT))
              .append("... and ")
              .append(hidden)
              .append(" more operation(s), in the JSON report\n");
        }
      }
    }
    out.print(b);
    out.flush();
  }

  /** At most this many operations of one integration are printed. */
  static final int MAX_OPERATIONS = 25;

  /**
   * The operations to print, in the report's order: all when they fit; else every one with errors
   * or findings, then the busiest, up to {@link #MAX_OPERATIONS}.
   */
  static List<OperationReport> shownOperations(List<OperationReport> operations) {
    if (operations.size() <= MAX_OPERATIONS) {
      return operations;
    }
    List<OperationReport> ranked = new java.util.ArrayList<>(operations);
    ranked.sort(
        java.util.Comparator.comparing(
                (OperationReport o) ->
                    o.stats().errors() == 0 && o.stats().anomalies().isEmpty() ? 1 : 0)
            .thenComparing(o -> -o.stats().calls()));
    java.util.Set<OperationReport> keep =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    keep.addAll(ranked.subList(0, MAX_OPERATIONS));
    List<OperationReport> shown = new java.util.ArrayList<>();
    for (OperationReport operation : operations) {
      if (keep.contains(operation)) {
        shown.add(operation);
      }
    }
    return shown;
  }

  private static void line(
      StringBuilder b,
      String kind,
      String name,
      String owner,
      String tier,
      CallStats s,
      String findings) {
    line(
        b,
        kind,
        name,
        owner,
        tier,
        Long.toString(s.calls()),
        Long.toString(s.errors()),
        rate(s),
        millis(s.p50Millis()),
        millis(s.p95Millis()),
        millis(s.p99Millis()),
        clip(findings, FINDINGS_WIDTH));
  }

  private static void line(StringBuilder b, Object... columns) {
    String row = String.format(Locale.ROOT, ROW, columns);
    int end = row.length();
    while (end > 0 && row.charAt(end - 1) == ' ') {
      end--;
    }
    b.append(row, 0, end).append(System.lineSeparator());
  }

  /** Findings by type, such as {@code size_outlier x3, slo_breach x1}. */
  private static String anomalies(Map<String, Long> anomalies) {
    StringBuilder found = new StringBuilder();
    for (Map.Entry<String, Long> e : anomalies.entrySet()) {
      found
          .append(found.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append(" x")
          .append(e.getValue());
    }
    return found.toString();
  }

  private static String rate(CallStats s) {
    if (s.calls() == 0) {
      return "-";
    }
    double percent = 100.0 * s.errorRate();
    if (percent == 0 || percent >= 10) {
      return String.format(Locale.ROOT, "%.0f%%", percent);
    }
    return String.format(Locale.ROOT, "%.1f%%", percent);
  }

  private static String millis(Double value) {
    if (value == null) {
      return "-";
    }
    // Three significant digits or so: the buckets are 19% wide; sub-0.1 ms calls (a local cache,
    // an embedded database) would otherwise all show as 0.00.
    if (value < 0.1) {
      return String.format(Locale.ROOT, "%.3f", value);
    }
    return value < 10
        ? String.format(Locale.ROOT, "%.2f", value)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  /**
   * At most {@code width} characters, the last one {@code …} when cut. Control characters become
   * {@code ?}: a name with a line break must not break the one-line-per-row layout. A surrogate
   * pair is never cut in half.
   */
  static String clip(String s, int width) {
    StringBuilder clean = new StringBuilder(Math.min(s.length(), width));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      clean.append(Character.isISOControl(c) ? '?' : c);
    }
    if (clean.length() <= width) {
      return clean.toString();
    }
    int cut = width - 1;
    if (cut > 0 && Character.isHighSurrogate(clean.charAt(cut - 1))) {
      cut--;
    }
    return clean.substring(0, cut) + "…";
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String spaces(int n) {
    return "          ".substring(0, n);
  }
}
