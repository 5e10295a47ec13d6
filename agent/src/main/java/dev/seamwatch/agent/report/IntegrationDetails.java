package dev.seamwatch.agent.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the integration catalog and the readiness checks know of one integration, for the report:
 * who owns it, how critical it is, where its runbook is, and its readiness findings (such as {@code
 * no_connect_timeout}). SLO breaches are not here: they are findings of type {@code slo_breach},
 * counted per operation with the other anomalies.
 */
public final class IntegrationDetails {

  /** No catalog entry and no readiness finding. */
  public static final IntegrationDetails NONE =
      new IntegrationDetails(null, null, null, Collections.emptyList());

  private final String owner;
  private final String tier;
  private final String runbook;
  private final List<String> readiness;

  /**
   * @param owner the owning team, or null
   * @param tier how critical the integration is, as the catalog writes it, or null
   * @param runbook the runbook URL, or null
   * @param readiness readiness finding types; null means none. Kept sorted and without repeats, so
   *     two reports list them alike.
   */
  public IntegrationDetails(String owner, String tier, String runbook, List<String> readiness) {
    this.owner = owner;
    this.tier = tier;
    this.runbook = runbook;
    this.readiness =
        readiness == null
            ? Collections.emptyList()
            : Collections.unmodifiableList(new ArrayList<>(sortedWithoutNulls(readiness)));
  }

  private static TreeSet<String> sortedWithoutNulls(List<String> values) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String value : values) {
      if (value != null) {
        sorted.add(value);
      }
    }
    return sorted;
  }

  public String owner() {
    return owner;
  }

  public String tier() {
    return tier;
  }

  public String runbook() {
    return runbook;
  }

  /** Sorted, without repeats; never null. */
  public List<String> readiness() {
    return readiness;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IntegrationDetails)) {
      return false;
    }
    IntegrationDetails other = (IntegrationDetails) o;
    return Objects.equals(owner, other.owner)
        && Objects.equals(tier, other.tier)
        && Objects.equals(runbook, other.runbook)
        && readiness.equals(other.readiness);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, tier, runbook, readiness);
  }

  @Override
  public String toString() {
    return "owner="
        + owner
        + ", tier="
        + tier
        + ", runbook="
        + runbook
        + ", readiness="
        + readiness;
  }
}
