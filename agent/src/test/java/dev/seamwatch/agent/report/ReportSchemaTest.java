package dev.seamwatch.agent.report;

import static dev.seamwatch.agent.recorder.RecordedStats.anomaly;
import static dev.seamwatch.agent.recorder.RecordedStats.record;
import static dev.seamwatch.agent.report.Reports.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.recorder.KeyRegistry;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Written reports conform to the JSON Schema shipped in the jar. No JSON Schema library: a check of
 * the keywords the schema uses, which refuses any other keyword so that none is ignored unnoticed.
 * It is also stricter than the schema: an object may hold only documented members.
 */
class ReportSchemaTest {

  private static final Set<String> KEYWORDS =
      new HashSet<>(
          Arrays.asList(
              "$schema",
              "$id",
              "$defs",
              "$ref",
              "title",
              "description",
              "type",
              "required",
              "properties",
              "additionalProperties",
              "items",
              "allOf",
              "const",
              "minimum",
              "maximum",
              "format"));

  private static Map<String, Object> schema;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void loadSchema() throws Exception {
    try (InputStream in =
        JsonReport.class.getResourceAsStream("/dev/seamwatch/report-schema.json")) {
      assertThat(in).as("dev/seamwatch/report-schema.json on the class path").isNotNull();
      schema =
          (Map<String, Object>) JsonParser.parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
  }

  @Test
  void schemaIsDraft2020WithTheReportsNameAndVersion() {
    assertThat(schema.get("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.get("$id"))
        .isEqualTo("urn:dev.seamwatch:report-schema:" + ReportModel.VERSION);
    assertThat(at("properties", "schema", "const")).isEqualTo(ReportModel.SCHEMA);
    assertThat(at("properties", "version", "const")).isEqualTo((long) ReportModel.VERSION);
  }

  @Test
  void richReportConforms() {
    assertThat(violations(json(Reports.rich()))).isEmpty();
  }

  @Test
  void emptyReportConforms() {
    assertThat(violations(json(Reports.report()))).isEmpty();
  }

  @Test
  void reportOfRecordedKeysConforms() {
    KeyRegistry keys = new KeyRegistry(10);
    for (int i = 0; i < 12; i++) {
      record(keys.get("http", "http://h" + (i % 3) + ":80", "GET /" + i), 3, i % 2, i + 1, "503");
    }
    anomaly(keys.get("http", "http://h0:80", "GET /0"), AnomalyType.SLO_BREACH, 2);
    ReportModel model =
        ReportModel.from(
            "svc",
            "v",
            0,
            1,
            keys.snapshot(),
            name -> new IntegrationDetails("team", "2", null, List.of("no_connect_timeout")));

    assertThat(model.integrations()).anyMatch(IntegrationReport::overflow);
    assertThat(violations(json(model))).isEmpty();
  }

  @Test
  void checkFindsMissingMistypedAndUndocumentedMembers() {
    String valid = json(Reports.rich());

    assertThat(violations(valid.replaceFirst("\"errorRate\": [0-9.]+,", "")))
        .containsExactly("integrations[0]: missing errorRate");
    assertThat(violations(valid.replaceFirst("\"calls\": 7,", "\"calls\": \"7\",")))
        .containsExactly("integrations[3].calls: expected integer");
    assertThat(violations(valid.replaceFirst("\"kind\": \"db\",", "\"kind\": \"db\", \"x\": 1,")))
        .containsExactly("integrations[0]: undocumented member x");
    assertThat(violations(valid.replaceFirst("\"version\": 1", "\"version\": 2")))
        .containsExactly("version: expected 1");
    assertThat(violations(valid.replaceFirst("\"p99Ms\": 3,", "\"p99Ms\": -3,")))
        .containsExactly("integrations[2].p99Ms: below 0");
    assertThat(
            violations(valid.replaceFirst("\"startedAt\": \"[^\"]+\"", "\"startedAt\": \"now\"")))
        .containsExactly("startedAt: not a date-time");
  }

  @Test
  void everyMemberIsDescribed() {
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(schema, "", undescribed);

    assertThat(undescribed).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void collectUndescribed(Object node, String path, List<String> undescribed) {
    if (!(node instanceof Map)) {
      return;
    }
    Map<String, Object> schemaNode = (Map<String, Object>) node;
    Object properties = schemaNode.get("properties");
    if (properties instanceof Map) {
      ((Map<String, Object>) properties)
          .forEach(
              (name, member) -> {
                // true: described where it is defined (the shared stats).
                if (member instanceof Map
                    && !((Map<String, Object>) member).containsKey("description")) {
                  undescribed.add(path + name);
                }
              });
    }
    Object defs = schemaNode.get("$defs");
    if (defs instanceof Map) {
      ((Map<String, Object>) defs)
          .forEach((name, def) -> collectUndescribed(def, name + ".", undescribed));
    }
  }

  private static Object at(String... path) {
    Object node = schema;
    for (String step : path) {
      node = ((Map<?, ?>) node).get(step);
    }
    return node;
  }

  private static List<String> violations(String json) {
    List<String> found = new ArrayList<>();
    try {
      check(schema, JsonParser.parse(json), "", true, found);
    } catch (ReportFormatException e) {
      found.add("not JSON: " + e.getMessage());
    }
    // An object checked against two schemas (allOf) may break the same rule in both.
    return found.stream().distinct().collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  private static void check(
      Object schemaNode, Object value, String path, boolean strict, List<String> found) {
    if (Boolean.TRUE.equals(schemaNode)) {
      return;
    }
    Map<String, Object> s = (Map<String, Object>) schemaNode;
    for (String keyword : s.keySet()) {
      assertThat(KEYWORDS).as("keyword %s in the schema at %s", keyword, path).contains(keyword);
    }
    String where = path.isEmpty() ? "" : path + ": ";
    if (s.containsKey("$ref")) {
      String ref = (String) s.get("$ref");
      assertThat(ref).startsWith("#/$defs/");
      check(at("$defs", ref.substring("#/$defs/".length())), value, path, strict, found);
      // The referenced schema says which members are documented; this node adds none.
      strict = false;
    }
    if (s.containsKey("allOf")) {
      for (Object part : (List<Object>) s.get("allOf")) {
        check(part, value, path, false, found);
      }
    }
    if (s.containsKey("const") && !s.get("const").equals(value)) {
      found.add(where + "expected " + s.get("const"));
      return;
    }
    if (s.containsKey("type") && !hasType(value, (String) s.get("type"))) {
      found.add(where + "expected " + s.get("type"));
      return;
    }
    if (s.containsKey("minimum")
        && ((Number) value).doubleValue() < ((Number) s.get("minimum")).doubleValue()) {
      found.add(where + "below " + s.get("minimum"));
    }
    if (s.containsKey("maximum")
        && ((Number) value).doubleValue() > ((Number) s.get("maximum")).doubleValue()) {
      found.add(where + "above " + s.get("maximum"));
    }
    if ("date-time".equals(s.get("format"))) {
      try {
        Instant.parse((String) value);
      } catch (RuntimeException e) {
        found.add(where + "not a date-time");
      }
    }
    if (value instanceof Map) {
      Map<String, Object> object = (Map<String, Object>) value;
      String prefix = path.isEmpty() ? "" : path + ".";
      for (Object name : (List<Object>) s.getOrDefault("required", List.of())) {
        if (!object.containsKey(name)) {
          found.add((path.isEmpty() ? "the report" : path) + ": missing " + name);
        }
      }
      Map<String, Object> properties = (Map<String, Object>) s.getOrDefault("properties", Map.of());
      for (Map.Entry<String, Object> member : object.entrySet()) {
        Object memberSchema = properties.get(member.getKey());
        if (memberSchema != null) {
          check(memberSchema, member.getValue(), prefix + member.getKey(), true, found);
        } else if (s.containsKey("additionalProperties")) {
          check(
              s.get("additionalProperties"),
              member.getValue(),
              prefix + member.getKey(),
              true,
              found);
        } else if (strict) {
          found.add(
              (path.isEmpty() ? "the report" : path) + ": undocumented member " + member.getKey());
        }
      }
    }
    if (value instanceof List && s.containsKey("items")) {
      List<Object> items = (List<Object>) value;
      for (int i = 0; i < items.size(); i++) {
        check(s.get("items"), items.get(i), path + "[" + i + "]", true, found);
      }
    }
  }

  private static boolean hasType(Object value, String type) {
    switch (type) {
      case "object":
        return value instanceof Map;
      case "array":
        return value instanceof List;
      case "string":
        return value instanceof String;
      case "integer":
        return value instanceof Long;
      case "number":
        return value instanceof Long || value instanceof Double;
      case "boolean":
        return value instanceof Boolean;
      default:
        throw new AssertionError("type " + type + " is not checked here");
    }
  }
}
