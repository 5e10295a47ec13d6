package dev.seamwatch.agent.report;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report as a JSON file, in the schema shipped as {@code dev/seamwatch/report-schema.json}
 * (version {@value ReportModel#VERSION}).
 *
 * <p>Written in a stable order (integrations by kind and name, operations by name, anomaly types by
 * name) so two reports diff cleanly. Absent values are left out rather than written as {@code null}
 * (owner, tier, runbook, last error type, percentiles and times with no call); the reader takes an
 * explicit {@code null} as absent too. Numbers are JSON numbers, times ISO-8601 in UTC with
 * milliseconds.
 *
 * <p>The reader is strict about JSON and about the fields it needs, and ignores fields it does not
 * know, so that a report from a later agent of the same version still reads.
 */
public final class JsonReport {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonReport() {}

  public static void write(ReportModel model, Writer out) throws IOException {
    JsonWriter w = new JsonWriter(out);
    w.beginObject();
    w.name("schema").value(ReportModel.SCHEMA);
    w.name("version").value(ReportModel.VERSION);
    w.name("service").value(model.service());
    w.name("agentVersion").value(model.agentVersion());
    w.name("startedAt").value(time(model.startedAtMillis()));
    w.name("generatedAt").value(time(model.generatedAtMillis()));
    w.name("integrations").beginArray();
    for (IntegrationReport integration : model.integrations()) {
      w.beginObject();
      w.name("kind").value(integration.kind());
      w.name("name").value(integration.name());
      if (integration.overflow()) {
        w.name("overflow").value(true);
      }
      IntegrationDetails details = integration.details();
      optional(w, "owner", details.owner());
      optional(w, "tier", details.tier());
      optional(w, "runbook", details.runbook());
      stats(w, integration.stats());
      w.name("readiness").beginArray();
      for (String finding : details.readiness()) {
        w.value(finding);
      }
      w.endArray();
      w.name("operations").beginArray();
      for (OperationReport operation : integration.operations()) {
        w.beginObject();
        w.name("name").value(operation.name());
        stats(w, operation.stats());
        optional(w, "lastErrorType", operation.lastErrorType());
        w.endObject();
      }
      w.endArray();
      w.endObject();
    }
    w.endArray();
    w.endObject();
    w.finish();
  }

  private static void stats(JsonWriter w, CallStats s) throws IOException {
    w.name("calls").value(s.calls());
    w.name("errors").value(s.errors());
    // Four decimals: a hundredth of a percent, enough for a rate; more would be noise in a diff.
    w.name("errorRate").value(Math.round(s.errorRate() * 10_000) / 10_000.0);
    if (s.p50Millis() != null) {
      w.name("p50Ms").value(s.p50Millis());
    }
    if (s.p95Millis() != null) {
      w.name("p95Ms").value(s.p95Millis());
    }
    if (s.p99Millis() != null) {
      w.name("p99Ms").value(s.p99Millis());
    }
    w.name("anomalies").beginObject();
    for (Map.Entry<String, Long> e : s.anomalies().entrySet()) {
      w.name(e.getKey()).value(e.getValue());
    }
    w.endObject();
    if (s.firstSeenMillis() != 0) {
      w.name("firstSeen").value(time(s.firstSeenMillis()));
    }
    if (s.lastSeenMillis() != 0) {
      w.name("lastSeen").value(time(s.lastSeenMillis()));
    }
  }

  private static void optional(JsonWriter w, String name, String value) throws IOException {
    if (value != null) {
      w.name(name).value(value);
    }
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Reads a report written by {@link #write} (or by hand in its schema).
   *
   * @throws ReportFormatException for bad JSON (with line and column), a file that is not a
   *     Seamwatch report, a newer version, or a missing or mistyped field (with its path)
   */
  public static ReportModel read(Reader in) throws IOException {
    Object root = JsonParser.parse(in);
    Fields top = Fields.of(root, "the report");
    String schema = top.optionalString("schema");
    if (!ReportModel.SCHEMA.equals(schema)) {
      throw new ReportFormatException(
          "not a Seamwatch report: \"schema\" is "
              + (schema == null ? "missing" : "\"" + schema + "\"")
              + ", expected \""
              + ReportModel.SCHEMA
              + "\"");
    }
    long version = top.count("version");
    if (version > ReportModel.VERSION) {
      throw new ReportFormatException(
          "report version "
              + version
              + " is newer than this agent reads (version "
              + ReportModel.VERSION
              + "): use the seamwatch-agent.jar that wrote it, or a newer one");
    }
    if (version < 1) {
      throw new ReportFormatException("version: " + version + " is not a report version");
    }
    String service = top.string("service");
    String agentVersion = top.string("agentVersion");
    long startedAt = top.time("startedAt");
    long generatedAt = top.time("generatedAt");
    List<IntegrationReport> integrations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Object> items = top.array("integrations");
    for (int i = 0; i < items.size(); i++) {
      IntegrationReport integration =
          integration(Fields.of(items.get(i), "integrations[" + i + "]"));
      if (!seen.add(integration.kind() + '\u0000' + integration.name())) {
        throw new ReportFormatException(
            "integrations["
                + i
                + "]: "
                + integration.kind()
                + " "
                + integration.name()
                + " is listed twice");
      }
      integrations.add(integration);
    }
    return new ReportModel(service, agentVersion, startedAt, generatedAt, integrations);
  }

  /** Fields in the order they are written, so that the first error in a file is the one named. */
  private static IntegrationReport integration(Fields f) throws ReportFormatException {
    String kind = f.string("kind");
    String name = f.string("name");
    boolean overflow = f.optionalBoolean("overflow");
    String owner = f.optionalString("owner");
    String tier = f.optionalString("tier");
    String runbook = f.optionalString("runbook");
    CallStats stats = stats(f);
    List<String> readiness = new ArrayList<>();
    List<Object> findings = f.array("readiness");
    for (int i = 0; i < findings.size(); i++) {
      Object finding = findings.get(i);
      if (!(finding instanceof String)) {
        throw f.mistyped("readiness[" + i + "]", "a string", finding);
      }
      readiness.add((String) finding);
    }
    List<OperationReport> operations = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Object> items = f.array("operations");
    for (int i = 0; i < items.size(); i++) {
      Fields o = Fields.of(items.get(i), f.path("operations[" + i + "]"));
      String operationName = o.string("name");
      OperationReport operation =
          new OperationReport(operationName, o.optionalString("lastErrorType"), stats(o));
      if (!names.add(operationName)) {
        throw new ReportFormatException(
            o.path("name") + ": the operation " + operationName + " is listed twice");
      }
      operations.add(operation);
    }
    return new IntegrationReport(
        kind,
        name,
        overflow,
        new IntegrationDetails(owner, tier, runbook, readiness),
        stats,
        operations);
  }

  private static CallStats stats(Fields f) throws ReportFormatException {
    long calls = f.count("calls");
    long errors = f.count("errors");
    if (errors > calls) {
      throw new ReportFormatException(
          f.path("errors") + ": " + errors + " errors out of " + calls + " calls");
    }
    // Only checked: it is errors over calls, which the model computes again.
    double rate = f.number("errorRate");
    if (rate < 0 || rate > 1) {
      throw new ReportFormatException(f.path("errorRate") + ": " + rate + " is not from 0 to 1");
    }
    Map<String, Long> anomalies = new LinkedHashMap<>();
    Fields found = Fields.of(f.object("anomalies"), f.path("anomalies"));
    for (String type : found.names()) {
      anomalies.put(type, found.count(type));
    }
    return new CallStats(
        calls,
        errors,
        f.optionalMillis("p50Ms"),
        f.optionalMillis("p95Ms"),
        f.optionalMillis("p99Ms"),
        anomalies,
        f.optionalTime("firstSeen"),
        f.optionalTime("lastSeen"));
  }

  /** One JSON object's members, with typed getters whose errors name the field's path. */
  private static final class Fields {
    private final Map<String, Object> members;
    private final String where;

    private Fields(Map<String, Object> members, String where) {
      this.members = members;
      this.where = where;
    }

    @SuppressWarnings("unchecked")
    static Fields of(Object value, String where) throws ReportFormatException {
      if (!(value instanceof Map)) {
        throw new ReportFormatException(where + ": expected an object, found " + describe(value));
      }
      return new Fields((Map<String, Object>) value, where);
    }

    String path(String name) {
      return where.equals("the report") ? name : where + "." + name;
    }

    Set<String> names() {
      return members.keySet();
    }

    private Object required(String name) throws ReportFormatException {
      Object value = members.get(name);
      if (value == null) {
        throw new ReportFormatException(path(name) + ": missing");
      }
      return value;
    }

    String string(String name) throws ReportFormatException {
      Object value = required(name);
      if (!(value instanceof String)) {
        throw mistyped(name, "a string", value);
      }
      return (String) value;
    }

    String optionalString(String name) throws ReportFormatException {
      return members.get(name) == null ? null : string(name);
    }

    boolean optionalBoolean(String name) throws ReportFormatException {
      Object value = members.get(name);
      if (value == null) {
        return false;
      }
      if (!(value instanceof Boolean)) {
        throw mistyped(name, "true or false", value);
      }
      return (Boolean) value;
    }

    /** A whole number, zero or more. */
    long count(String name) throws ReportFormatException {
      Object value = required(name);
      if (!(value instanceof Long) || (Long) value < 0) {
        throw mistyped(name, "a whole number of zero or more", value);
      }
      return (Long) value;
    }

    double number(String name) throws ReportFormatException {
      Object value = required(name);
      if (!(value instanceof Number)) {
        throw mistyped(name, "a number", value);
      }
      return ((Number) value).doubleValue();
    }

    Double optionalMillis(String name) throws ReportFormatException {
      if (members.get(name) == null) {
        return null;
      }
      double value = number(name);
      if (value < 0) {
        throw mistyped(name, "a duration of zero or more", value);
      }
      return value;
    }

    long time(String name) throws ReportFormatException {
      String value = string(name);
      try {
        return Instant.parse(value).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new ReportFormatException(
            path(name)
                + ": \""
                + value
                + "\" is not an ISO-8601 UTC time such as 2026-01-31T12:00:00.000Z");
      }
    }

    long optionalTime(String name) throws ReportFormatException {
      return members.get(name) == null ? 0 : time(name);
    }

    List<Object> array(String name) throws ReportFormatException {
      Object value = required(name);
      if (!(value instanceof List)) {
        throw mistyped(name, "an array", value);
      }
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) value;
      return list;
    }

    Object object(String name) throws ReportFormatException {
      Object value = required(name);
      if (!(value instanceof Map)) {
        throw mistyped(name, "an object", value);
      }
      return value;
    }

    ReportFormatException mistyped(String name, String expected, Object value) {
      return new ReportFormatException(
          path(name) + ": expected " + expected + ", found " + describe(value));
    }

    private static String describe(Object value) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String) {
        return "the string \"" + value + "\"";
      }
      if (value instanceof Map) {
        return "an object";
      }
      if (value instanceof List) {
        return "an array";
      }
      return value.toString();
    }
  }
}
