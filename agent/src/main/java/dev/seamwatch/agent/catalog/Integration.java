package dev.seamwatch.agent.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One integration declared in the catalog file: its name (which replaces the automatic integration
 * key on spans, metrics and the report), who owns it, how critical it is, where its runbook is, its
 * SLO, and the path templates that name its HTTP operations. Immutable.
 */
public final class Integration {

  private final String name;
  private final String owner;
  private final String tier;
  private final String runbook;
  private final double latencySloMillis;
  private final double errorRateSlo;
  private final PathTemplate[] templates;

  Integration(
      String name,
      String owner,
      String tier,
      String runbook,
      double latencySloMillis,
      double errorRateSlo,
      List<PathTemplate> templates) {
    this.name = name;
    this.owner = owner;
    this.tier = tier;
    this.runbook = runbook;
    this.latencySloMillis = latencySloMillis;
    this.errorRateSlo = errorRateSlo;
    this.templates = templates.toArray(new PathTemplate[0]);
  }

  public String name() {
    return name;
  }

  /** The owning team, or null. */
  public String owner() {
    return owner;
  }

  /** The tier as written ({@code 1}, {@code critical}), or null. */
  public String tier() {
    return tier;
  }

  /** The runbook's URL, or null. */
  public String runbook() {
    return runbook;
  }

  /** The p99 latency objective in milliseconds (a call over it breaches it), or NaN when none. */
  public double latencySloMillis() {
    return latencySloMillis;
  }

  /** The highest acceptable error rate, from 0 to 1, or NaN when none. */
  public double errorRateSlo() {
    return errorRateSlo;
  }

  /** The configured templates, in file order. */
  public List<String> templates() {
    List<String> texts = new ArrayList<>(templates.length);
    for (PathTemplate template : templates) {
      texts.add(template.text());
    }
    return Collections.unmodifiableList(texts);
  }

  /**
   * The first configured template that matches the path ({@code /v2/orders/{id}/lines/{line}} for
   * {@code /v2/orders/17/lines/3?expand=true}), or null when none does and the automatic template
   * applies. Allocates nothing.
   */
  public String template(String path) {
    for (PathTemplate template : templates) {
      if (template.matches(path)) {
        return template.text();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
