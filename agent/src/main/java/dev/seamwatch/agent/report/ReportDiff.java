package dev.seamwatch.agent.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two integration reports of a service: integrations and operations that
 * appeared or disappeared, and changes worth a look: owner or tier, readiness findings added or
 * removed (per integration); an error rate up by more than a threshold, a p99 up by more than 50%
 * and 10 ms, calls up or down tenfold, anomaly types not seen before (per operation). Smaller moves
 * are noise between two runs and are not differences.
 */
public final class ReportDiff {

  /** Whether something appeared, disappeared or changed. */
  public enum Change {
    APPEARED,
    DISAPPEARED,
    CHANGED
  }

  /** What a difference is about. */
  public enum Aspect {
    INTEGRATION,
    OPERATION,
    OWNER,
    TIER,
    READINESS,
    ERROR_RATE,
    P99,
    CALLS,
    ANOMALIES
  }

  /** The limits above which a figure's change is a difference. */
  public static final class Thresholds {
    /** The default: 5 points of error rate, p99 +50% and +10 ms, calls tenfold. */
    public static final Thresholds DEFAULT = new Thresholds(0.05, 1.5, 10, 10);

    final double errorRateIncrease;
    final double p99Ratio;
    final double p99IncreaseMillis;
    final double callsFactor;

    /**
     * @param errorRateIncrease by how much (0..1) an error rate must rise: 0.05 is 5 points
     * @param p99Ratio by what factor p99 must rise, together with {@code p99IncreaseMillis}
     * @param callsFactor by what factor calls must rise or fall
     */
    public Thresholds(
        double errorRateIncrease, double p99Ratio, double p99IncreaseMillis, double callsFactor) {
      this.errorRateIncrease = errorRateIncrease;
      this.p99Ratio = p99Ratio;
      this.p99IncreaseMillis = p99IncreaseMillis;
      this.callsFactor = callsFactor;
    }
  }

  /** One difference; {@link #operation()} is null when it is about the integration. */
  public static final class Difference {
    private final Change change;
    private final Aspect aspect;
    private final String kind;
    private final String integration;
    private final String operation;
    private final String description;
    private final List<String> details;

    Difference(
        Change change,
        Aspect aspect,
        String kind,
        String integration,
        String operation,
        String description) {
      this(change, aspect, kind, integration, operation, description, Collections.emptyList());
    }

    Difference(
        Change change,
        Aspect aspect,
        String kind,
        String integration,
        String operation,
        String description,
        List<String> details) {
      this.change = change;
      this.aspect = aspect;
      this.kind = kind;
      this.integration = integration;
      this.operation = operation;
      this.description = description;
      this.details = Collections.unmodifiableList(details);
    }

    public Change change() {
      return change;
    }

    public Aspect aspect() {
      return aspect;
    }

    public String kind() {
      return kind;
    }

    public String integration() {
      return integration;
    }

    public String operation() {
      return operation;
    }

    /** What changed, such as {@code p99 20 ms -> 95 ms}, or what appeared with its figures. */
    public String description() {
      return description;
    }

    /**
     * For an integration that appeared or disappeared, its operations with their figures, such as
     * {@code GET /score: 12 call(s), 0 error(s), p99 8.19 ms}; otherwise empty.
     */
    public List<String> details() {
      return details;
    }

    /** One line, such as {@code ~ http http://pay:443 > POST /pay: p99 20 ms -> 95 ms}. */
    public String line() {
      char sign = change == Change.APPEARED ? '+' : change == Change.DISAPPEARED ? '-' : '~';
      return sign
          + " "
          + printable(kind)
          + " "
          + printable(integration)
          + (operation == null ? "" : " > " + printable(operation))
          + ": "
          + description;
    }

    @Override
    public String toString() {
      return line();
    }
  }

  private final List<Difference> differences;

  private ReportDiff(List<Difference> differences) {
    this.differences = Collections.unmodifiableList(differences);
  }

  public static ReportDiff compare(ReportModel before, ReportModel after) {
    return compare(before, after, Thresholds.DEFAULT);
  }

  public static ReportDiff compare(ReportModel before, ReportModel after, Thresholds limits) {
    List<Difference> found = new ArrayList<>();
    for (IntegrationReport old : before.integrations()) {
      if (after.integration(old.kind(), old.name()) == null) {
        found.add(whole(Change.DISAPPEARED, old));
      }
    }
    for (IntegrationReport now : after.integrations()) {
      IntegrationReport old = before.integration(now.kind(), now.name());
      if (old == null) {
        found.add(whole(Change.APPEARED, now));
      } else {
        compareIntegration(old, now, limits, found);
      }
    }
    return new ReportDiff(found);
  }

  private static Difference whole(Change change, IntegrationReport integration) {
    StringBuilder d = new StringBuilder();
    IntegrationDetails details = integration.details();
    if (details.owner() != null || details.tier() != null) {
      d.append("owner ")
          .append(orNone(details.owner()))
          .append(", tier ")
          .append(orNone(details.tier()))
          .append("; ");
    }
    d.append(calls(integration.stats()));
    List<String> operations = new ArrayList<>();
    for (OperationReport operation : integration.operations()) {
      operations.add(printable(operation.name()) + ": " + calls(operation.stats()));
    }
    return new Difference(
        change,
        Aspect.INTEGRATION,
        integration.kind(),
        integration.name(),
        null,
        d.toString(),
        operations);
  }

  private static void compareIntegration(
      IntegrationReport old, IntegrationReport now, Thresholds limits, List<Difference> found) {
    IntegrationDetails was = old.details();
    IntegrationDetails is = now.details();
    if (!Objects.equals(was.owner(), is.owner())) {
      found.add(
          changed(
              now,
              null,
              Aspect.OWNER,
              "owner " + orNone(was.owner()) + " -> " + orNone(is.owner())));
    }
    if (!Objects.equals(was.tier(), is.tier())) {
      found.add(
          changed(
              now, null, Aspect.TIER, "tier " + orNone(was.tier()) + " -> " + orNone(is.tier())));
    }
    Set<String> added = new TreeSet<>(is.readiness());
    added.removeAll(was.readiness());
    if (!added.isEmpty()) {
      found.add(
          changed(now, null, Aspect.READINESS, "readiness added " + String.join(", ", added)));
    }
    Set<String> removed = new TreeSet<>(was.readiness());
    removed.removeAll(is.readiness());
    if (!removed.isEmpty()) {
      found.add(
          changed(now, null, Aspect.READINESS, "readiness removed " + String.join(", ", removed)));
    }
    for (OperationReport operation : old.operations()) {
      if (now.operation(operation.name()) == null) {
        found.add(
            new Difference(
                Change.DISAPPEARED,
                Aspect.OPERATION,
                now.kind(),
                now.name(),
                operation.name(),
                calls(operation.stats())));
      }
    }
    for (OperationReport operation : now.operations()) {
      OperationReport before = old.operation(operation.name());
      if (before == null) {
        found.add(
            new Difference(
                Change.APPEARED,
                Aspect.OPERATION,
                now.kind(),
                now.name(),
                operation.name(),
                calls(operation.stats())));
      } else {
        compareOperation(now, before, operation, limits, found);
      }
    }
  }

  private static void compareOperation(
      IntegrationReport integration,
      OperationReport old,
      OperationReport now,
      Thresholds limits,
      List<Difference> found) {
    CallStats was = old.stats();
    CallStats is = now.stats();
    String name = now.name();
    double rateUp = is.errorRate() - was.errorRate();
    if (rateUp > limits.errorRateIncrease) {
      found.add(
          changed(
              integration,
              name,
              Aspect.ERROR_RATE,
              String.format(
                  Locale.ROOT,
                  "error rate %s -> %s (+%.1f points)",
                  percent(was.errorRate()),
                  percent(is.errorRate()),
                  100 * rateUp)));
    }
    if (was.p99Millis() != null && is.p99Millis() != null) {
      double before = was.p99Millis();
      double after = is.p99Millis();
      if (after > before * limits.p99Ratio && after - before > limits.p99IncreaseMillis) {
        found.add(
            changed(
                integration,
                name,
                Aspect.P99,
                "p99 " + millis(before) + " ms -> " + millis(after) + " ms"));
      }
    }
    long before = was.calls();
    long after = is.calls();
    if (after >= limits.callsFactor * Math.max(before, 1)
        || before >= limits.callsFactor * Math.max(after, 1)) {
      String factor = after >= before ? "x" + ratio(after, before) : "/" + ratio(before, after);
      found.add(
          changed(
              integration,
              name,
              Aspect.CALLS,
              "calls " + before + " -> " + after + " (" + factor + ")"));
    }
    List<String> newTypes = new ArrayList<>();
    for (String type : is.anomalies().keySet()) {
      if (!was.anomalies().containsKey(type)) {
        newTypes.add(type + " x" + is.anomalies().get(type));
      }
    }
    if (!newTypes.isEmpty()) {
      found.add(
          changed(
              integration,
              name,
              Aspect.ANOMALIES,
              "new anomaly type"
                  + (newTypes.size() > 1 ? "s " : " ")
                  + String.join(", ", newTypes)));
    }
  }

  private static Difference changed(
      IntegrationReport integration, String operation, Aspect aspect, String description) {
    return new Difference(
        Change.CHANGED, aspect, integration.kind(), integration.name(), operation, description);
  }

  private static String calls(CallStats s) {
    return s.calls()
        + " call(s), "
        + s.errors()
        + " error(s)"
        + (s.p99Millis() == null ? "" : ", p99 " + millis(s.p99Millis()) + " ms");
  }

  private static String ratio(long larger, long smaller) {
    if (smaller == 0) {
      return "inf";
    }
    return String.format(Locale.ROOT, "%.0f", (double) larger / smaller);
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * rate);
  }

  private static String millis(double value) {
    return value < 10
        ? String.format(Locale.ROOT, "%.2f", value)
        : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String orNone(String value) {
    return value == null ? "(none)" : printable(value);
  }

  /** A name with a line break must not make a difference look like two. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  public List<Difference> differences() {
    return differences;
  }

  public boolean isEmpty() {
    return differences.isEmpty();
  }

  public long count(Change change) {
    return differences.stream().filter(d -> d.change == change).count();
  }

  /**
   * The differences grouped as appeared, disappeared and changed, then a count line; or {@code no
   * differences}.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Change change : new Change[] {Change.APPEARED, Change.DISAPPEARED, Change.CHANGED}) {
      boolean header = false;
      for (Difference d : differences) {
        if (d.change == change) {
          if (!header) {
            lines.add(change.name().toLowerCase(Locale.ROOT) + ":");
            header = true;
          }
          lines.add("  " + d.line());
          for (String detail : d.details) {
            lines.add("      " + detail);
          }
        }
      }
    }
    if (differences.isEmpty()) {
      lines.add("no differences");
    } else {
      lines.add(
          differences.size()
              + " difference(s): "
              + count(Change.APPEARED)
              + " appeared, "
              + count(Change.DISAPPEARED)
              + " disappeared, "
              + count(Change.CHANGED)
              + " changed");
    }
    return lines;
  }
}
