package dev.seamwatch.agent.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One integration (a dependency: an HTTP host, a database, a broker) in the report, with its
 * catalog details, its totals over all its operations, and the operations sorted by name.
 */
public final class IntegrationReport {

  /** Kinds first, then names; the overflow key last within its kind, after the named keys. */
  static final Comparator<IntegrationReport> ORDER =
      Comparator.comparing(IntegrationReport::kind)
          .thenComparing(IntegrationReport::overflow)
          .thenComparing(IntegrationReport::name);

  private final String kind;
  private final String name;
  private final boolean overflow;
  private final IntegrationDetails details;
  private final CallStats stats;
  private final List<OperationReport> operations;

  /**
   * @param kind {@code http}, {@code db} or {@code messaging}
   * @param overflow whether this is the key that counts the calls past {@code seamwatch.keys.max}
   *     (and those of evicted idle keys), rather than one integration
   * @param details null for none
   * @param operations in any order: kept sorted by name
   */
  public IntegrationReport(
      String kind,
      String name,
      boolean overflow,
      IntegrationDetails details,
      CallStats stats,
      List<OperationReport> operations) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.overflow = overflow;
    this.details = details == null ? IntegrationDetails.NONE : details;
    this.stats = Objects.requireNonNull(stats, "stats");
    List<OperationReport> sorted = new ArrayList<>(operations);
    sorted.sort(Comparator.comparing(OperationReport::name));
    this.operations = Collections.unmodifiableList(sorted);
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public boolean overflow() {
    return overflow;
  }

  /** Never null: {@link IntegrationDetails#NONE} without a catalog entry. */
  public IntegrationDetails details() {
    return details;
  }

  /** Totals over the operations; the percentiles from their merged histograms. */
  public CallStats stats() {
    return stats;
  }

  /** Sorted by name. */
  public List<OperationReport> operations() {
    return operations;
  }

  /** The operation of that name, or null. */
  public OperationReport operation(String operationName) {
    for (OperationReport operation : operations) {
      if (operation.name().equals(operationName)) {
        return operation;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IntegrationReport)) {
      return false;
    }
    IntegrationReport other = (IntegrationReport) o;
    return kind.equals(other.kind)
        && name.equals(other.name)
        && overflow == other.overflow
        && details.equals(other.details)
        && stats.equals(other.stats)
        && operations.equals(other.operations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, overflow, details, stats, operations);
  }

  @Override
  public String toString() {
    return kind
        + " "
        + name
        + (overflow ? " (overflow)" : "")
        + " {"
        + details
        + ", "
        + stats
        + ", operations="
        + operations
        + "}";
  }
}
