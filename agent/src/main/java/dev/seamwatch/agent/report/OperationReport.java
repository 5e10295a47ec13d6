package dev.seamwatch.agent.report;

import java.util.Objects;

/** One operation of an integration in the report, such as {@code GET /orders/{id}}. */
public final class OperationReport {

  private final String name;
  private final String lastErrorType;
  private final CallStats stats;

  /**
   * @param lastErrorType the {@code error.type} of the latest failed call, or null
   */
  public OperationReport(String name, String lastErrorType, CallStats stats) {
    this.name = Objects.requireNonNull(name, "name");
    this.lastErrorType = lastErrorType;
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  public String name() {
    return name;
  }

  /** Null when no call failed. */
  public String lastErrorType() {
    return lastErrorType;
  }

  public CallStats stats() {
    return stats;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OperationReport)) {
      return false;
    }
    OperationReport other = (OperationReport) o;
    return name.equals(other.name)
        && Objects.equals(lastErrorType, other.lastErrorType)
        && stats.equals(other.stats);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, lastErrorType, stats);
  }

  @Override
  public String toString() {
    return name + " {" + stats + ", lastErrorType=" + lastErrorType + "}";
  }
}
