package dev.seamwatch.agent.report;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-built report models for the report's tests. */
final class Reports {

  static final long STARTED = 1_790_000_000_000L;
  static final long GENERATED = STARTED + 60_000;

  private Reports() {}

  /**
   * A report with a bit of everything: catalog details, readiness, anomalies, an overflow key, an
   * operation with no calls, absent values.
   */
  static ReportModel rich() {
    IntegrationReport overflow =
        new IntegrationReport(
            "http",
            "_overflow",
            true,
            null,
            new CallStats(4, 0, 1.0, 2.0, 3.0, Collections.emptyMap(), 5, 6),
            Collections.singletonList(
                new OperationReport(
                    "_overflow",
                    null,
                    new CallStats(4, 0, 1.0, 2.0, 3.0, Collections.emptyMap(), 5, 6))));
    IntegrationReport idle =
        new IntegrationReport(
            "db",
            "h2://mem/idle",
            false,
            new IntegrationDetails(null, null, "https://runbooks/idle", null),
            new CallStats(0, 0, null, null, null, null, 0, 0),
            Collections.singletonList(
                new OperationReport(
                    "SELECT idle", null, new CallStats(0, 0, null, null, null, null, 0, 0))));
    return report(
        integration(
            "http",
            "http://pay:443",
            new IntegrationDetails(
                "payments-team",
                "1",
                "https://runbooks/pay",
                Arrays.asList("no_read_timeout", "no_connect_timeout")),
            op("POST /pay", 120, 3, 131.072, Map.of("size_outlier", 2L, "slo_breach", 5L)),
            op("GET /status/{id}", 30, 0, 8.192)),
        overflow,
        idle,
        integration("messaging", "kafka://broker:9092", op("orders", 7, 0, 0.001)));
  }

  static ReportModel report(IntegrationReport... integrations) {
    return new ReportModel("checkout", "0.1.0", STARTED, GENERATED, Arrays.asList(integrations));
  }

  static IntegrationReport integration(String kind, String name, OperationReport... operations) {
    return integration(kind, name, null, operations);
  }

  /** Totals summed from the operations; percentiles those of the slowest operation. */
  static IntegrationReport integration(
      String kind, String name, IntegrationDetails details, OperationReport... operations) {
    long calls = 0;
    long errors = 0;
    Double p99 = null;
    Map<String, Long> anomalies = new TreeMap<>();
    for (OperationReport o : operations) {
      calls += o.stats().calls();
      errors += o.stats().errors();
      if (o.stats().p99Millis() != null && (p99 == null || o.stats().p99Millis() > p99)) {
        p99 = o.stats().p99Millis();
      }
      o.stats().anomalies().forEach((type, n) -> anomalies.merge(type, n, Long::sum));
    }
    return new IntegrationReport(
        kind,
        name,
        false,
        details,
        new CallStats(
            calls,
            errors,
            p99 == null ? null : p99 / 4,
            p99 == null ? null : p99 / 2,
            p99,
            anomalies,
            calls == 0 ? 0 : STARTED + 1_000,
            calls == 0 ? 0 : STARTED + 50_000),
        Arrays.asList(operations));
  }

  static OperationReport op(String name, long calls, long errors, double p99Millis) {
    return op(name, calls, errors, p99Millis, Collections.emptyMap());
  }

  static OperationReport op(
      String name, long calls, long errors, double p99Millis, Map<String, Long> anomalies) {
    return new OperationReport(
        name,
        errors > 0 ? "java.net.ConnectException" : null,
        new CallStats(
            calls,
            errors,
            p99Millis / 4,
            p99Millis / 2,
            p99Millis,
            anomalies,
            STARTED + 1_000,
            STARTED + 50_000));
  }

  static IntegrationDetails details(String owner, String tier, String... readiness) {
    return new IntegrationDetails(owner, tier, null, Arrays.asList(readiness));
  }

  static String json(ReportModel model) {
    StringWriter out = new StringWriter();
    try {
      JsonReport.write(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static ReportModel read(String json) throws IOException {
    return JsonReport.read(new StringReader(json));
  }

  static List<String> lines(String text) {
    return Arrays.asList(text.split("\\R"));
  }
}
