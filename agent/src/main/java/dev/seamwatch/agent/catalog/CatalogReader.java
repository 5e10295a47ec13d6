package dev.seamwatch.agent.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads the catalog file against the schema documented on {@link Catalog}. It works on the YAML
 * node tree (SnakeYAML Engine's compose step) rather than on loaded maps, because nodes keep their
 * line: every problem becomes one line naming the file, the line, the key and what was expected,
 * and the valid rest is kept.
 *
 * <p>What a problem costs: a bad setting is ignored; an integration without a usable name or match
 * rule is ignored; a bad match rule is ignored as a whole, since ignoring only its bad part would
 * widen it to calls it was not meant for; a file that is not YAML gives no integration at all.
 */
final class CatalogReader {

  static final int VERSION = 1;

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern HOST_AND_PORT = Pattern.compile("[^:]*:[0-9]*");

  private static final List<String> TOP_KEYS = List.of("version", "integrations");
  private static final List<String> INTEGRATION_KEYS =
      List.of("name", "owner", "tier", "runbook", "slo", "match", "templates");
  private static final List<String> SLO_KEYS = List.of("latency-p99-ms", "error-rate");
  private static final List<String> MATCH_KEYS = List.of("http", "jdbc", "messaging");
  private static final List<String> HTTP_KEYS = List.of("host", "port", "scheme", "path-prefix");
  private static final List<String> JDBC_KEYS = List.of("url");
  private static final List<String> MESSAGING_KEYS = List.of("system", "destination", "server");

  private static final String SETTING_IGNORED = "this setting is ignored";
  private static final String INTEGRATION_IGNORED = "this integration is ignored";
  private static final String RULE_IGNORED = "this rule is ignored";
  private static final String NOTHING_READ = "no integration is read from this file";

  private final String source;
  final List<String> problems = new ArrayList<>();
  final List<Integration> integrations = new ArrayList<>();
  final List<HttpRule> httpRules = new ArrayList<>();
  final List<JdbcRule> jdbcRules = new ArrayList<>();
  final List<MessagingRule> messagingRules = new ArrayList<>();

  /** How many lines so far ignored a rule: a rule read with none more is kept. */
  private int ruleProblems;

  /** Where each kept name was declared, for the line about a duplicate. */
  private final Map<String, String> declared = new HashMap<>();

  private CatalogReader(String source) {
    this.source = source;
  }

  /** Reads the text; problems are collected in {@link #problems}, not logged. */
  static CatalogReader read(String yaml, String source) {
    CatalogReader reader = new CatalogReader(source);
    // Editors on Windows may save UTF-8 with a byte order mark; it is not part of the text.
    reader.readDocument(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml);
    return reader;
  }

  private void readDocument(String yaml) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setSchema(new CoreSchema())
            // A catalog has no use for many aliases; a crafted file must not expand without end.
            .setMaxAliasesForCollections(50)
            // So that a key like [x] gets a line of its own, rather than failing the whole file.
            .setAllowNonScalarKeys(true)
            .build();
    Node root;
    try {
      root = new Compose(settings).composeString(yaml).orElse(null);
    } catch (MarkedYamlEngineException e) {
      syntaxProblem(e);
      return;
    } catch (StackOverflowError e) {
      problem(0, "", "not valid YAML: nested too deeply; " + NOTHING_READ);
      return;
    } catch (RuntimeException e) { // YamlEngineException: limits, encoding
      problem(0, "", "not valid YAML: " + oneLine(e.getMessage()) + "; " + NOTHING_READ);
      return;
    }
    if (root == null || isNull(root)) {
      return; // an empty file, or one with comments only: no integrations, nothing wrong
    }
    if (!(root instanceof MappingNode)) {
      problem(
          root,
          "",
          "expected a mapping with version and integrations at the top level, got "
              + describe(root)
              + "; "
              + NOTHING_READ);
      return;
    }
    Map<String, NodeTuple> top = fields((MappingNode) root, "", TOP_KEYS, false);
    readVersion(top.get("version"));
    NodeTuple list = top.get("integrations");
    if (list == null || isNull(list.getValueNode())) {
      return;
    }
    Node items = list.getValueNode();
    if (!(items instanceof SequenceNode)) {
      problem(
          items,
          "integrations",
          "expected a list of integrations, got " + describe(items) + "; " + NOTHING_READ);
      return;
    }
    List<Node> values = ((SequenceNode) items).getValue();
    for (int i = 0; i < values.size(); i++) {
      readIntegration(values.get(i), "integrations[" + i + "]");
    }
  }

  private void syntaxProblem(MarkedYamlEngineException e) {
    Mark at = e.getProblemMark().orElse(e.getContextMark().orElse(null));
    StringBuilder message = new StringBuilder("not valid YAML: ");
    message.append(oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
    Mark context = e.getContextMark().orElse(null);
    if (e.getContext() != null
        && context != null
        && at != null
        && context.getLine() != at.getLine()) {
      // The problem is often found far from its cause, as with a quote left open.
      message
          .append(" (")
          .append(oneLine(e.getContext()))
          .append(" at line ")
          .append(context.getLine() + 1)
          .append(')');
    }
    problem(at == null ? 0 : at.getLine() + 1, "", message + "; " + NOTHING_READ);
  }

  private void readVersion(NodeTuple tuple) {
    if (tuple == null) {
      return;
    }
    Node value = tuple.getValueNode();
    String text = scalarText(value);
    if (text != null && INTEGER.matcher(text).matches()) {
      if (text.replaceFirst("^\\+?0*", "").equals(Integer.toString(VERSION))) {
        return;
      }
      problem(
          value,
          "version",
          text
              + " is not supported (this agent reads version "
              + VERSION
              + "); the file is read as version "
              + VERSION);
      return;
    }
    problem(
        value,
        "version",
        "expected " + VERSION + ", got " + describe(value) + "; the file is read as version 1");
  }

  private void readIntegration(Node item, String path) {
    if (!(item instanceof MappingNode)) {
      problem(
          item,
          path,
          "expected a mapping with name and match, got "
              + describe(item)
              + "; "
              + INTEGRATION_IGNORED);
      return;
    }
    Map<String, NodeTuple> fields = fields((MappingNode) item, path, INTEGRATION_KEYS, false);
    String name = readName(item, fields.get("name"), path);
    if (name == null) {
      return;
    }
    String owner = optionalText(fields.get("owner"), path + ".owner", "a team name");
    String tier =
        optionalText(fields.get("tier"), path + ".tier", "a name or number, such as 1 or critical");
    String runbook = optionalText(fields.get("runbook"), path + ".runbook", "a URL");
    double[] slo = readSlo(fields.get("slo"), path + ".slo");
    List<PathTemplate> templates = readTemplates(fields.get("templates"), path + ".templates");
    Integration integration =
        new Integration(name, owner, tier, runbook, slo[0], slo[1], templates);

    List<HttpRule> http = new ArrayList<>();
    List<JdbcRule> jdbc = new ArrayList<>();
    List<MessagingRule> messaging = new ArrayList<>();
    NodeTuple match = fields.get("match");
    if (match == null) {
      problem(
          item,
          path,
          "no match rule (match: with http, jdbc or messaging); " + INTEGRATION_IGNORED);
      return;
    }
    Node rules = match.getValueNode();
    if (!(rules instanceof MappingNode)) {
      problem(
          rules,
          path + ".match",
          "expected a mapping with http, jdbc or messaging, got "
              + describe(rules)
              + "; "
              + INTEGRATION_IGNORED);
      return;
    }
    Map<String, NodeTuple> kinds = fields((MappingNode) rules, path + ".match", MATCH_KEYS, false);
    for (Map.Entry<String, NodeTuple> kind : kinds.entrySet()) {
      String kindPath = path + ".match." + kind.getKey();
      for (Map.Entry<String, MappingNode> rule :
          ruleNodes(kind.getValue().getValueNode(), kindPath).entrySet()) {
        switch (kind.getKey()) {
          case "http":
            addIfNotNull(http, readHttpRule(integration, rule.getValue(), rule.getKey()));
            break;
          case "jdbc":
            addIfNotNull(jdbc, readJdbcRule(integration, rule.getValue(), rule.getKey()));
            break;
          default:
            addIfNotNull(messaging, readMessagingRule(integration, rule.getValue(), rule.getKey()));
        }
      }
    }
    if (http.isEmpty() && jdbc.isEmpty() && messaging.isEmpty()) {
      problem(
          rules,
          path + ".match",
          "no usable rule left (http, jdbc or messaging); " + INTEGRATION_IGNORED);
      return;
    }
    httpRules.addAll(http);
    jdbcRules.addAll(jdbc);
    messagingRules.addAll(messaging);
    integrations.add(integration);
    declared.put(name, path + " (line " + line(item) + ")");
  }

  private String readName(Node item, NodeTuple tuple, String path) {
    if (tuple == null) {
      problem(item, path, "no name; " + INTEGRATION_IGNORED);
      return null;
    }
    Node value = tuple.getValueNode();
    String name = text(value);
    if (name == null) {
      problem(
          value,
          path + ".name",
          "expected a non-empty string, got " + describe(value) + "; " + INTEGRATION_IGNORED);
      return null;
    }
    String first = declared.get(name);
    if (first != null) {
      problem(
          value,
          path + ".name",
          quote(name) + " is already the name of " + first + "; " + INTEGRATION_IGNORED);
      return null;
    }
    return name;
  }

  private double[] readSlo(NodeTuple tuple, String path) {
    double[] slo = {Double.NaN, Double.NaN};
    if (tuple == null || isNull(tuple.getValueNode())) {
      return slo;
    }
    Node value = tuple.getValueNode();
    if (!(value instanceof MappingNode)) {
      problem(
          value,
          path,
          "expected a mapping with latency-p99-ms and error-rate, got "
              + describe(value)
              + "; "
              + SETTING_IGNORED);
      return slo;
    }
    Map<String, NodeTuple> fields = fields((MappingNode) value, path, SLO_KEYS, false);
    NodeTuple latency = fields.get("latency-p99-ms");
    if (latency != null) {
      double millis = number(latency.getValueNode());
      if (millis > 0 && millis < Double.POSITIVE_INFINITY) {
        slo[0] = millis;
      } else {
        problem(
            latency.getValueNode(),
            path + ".latency-p99-ms",
            "expected a positive number of milliseconds, got "
                + describe(latency.getValueNode())
                + "; "
                + SETTING_IGNORED);
      }
    }
    NodeTuple errorRate = fields.get("error-rate");
    if (errorRate != null) {
      double rate = number(errorRate.getValueNode());
      if (rate >= 0 && rate <= 1) {
        slo[1] = rate;
      } else {
        problem(
            errorRate.getValueNode(),
            path + ".error-rate",
            "expected a number from 0 to 1 (0.01 is 1%), got "
                + describe(errorRate.getValueNode())
                + "; "
                + SETTING_IGNORED);
      }
    }
    return slo;
  }

  private List<PathTemplate> readTemplates(NodeTuple tuple, String path) {
    List<PathTemplate> templates = new ArrayList<>();
    if (tuple == null || isNull(tuple.getValueNode())) {
      return templates;
    }
    Node value = tuple.getValueNode();
    Map<String, Node> items = new LinkedHashMap<>();
    if (value instanceof SequenceNode) {
      List<Node> list = ((SequenceNode) value).getValue();
      for (int i = 0; i < list.size(); i++) {
        items.put(path + "[" + i + "]", list.get(i));
      }
    } else if (value instanceof ScalarNode) {
      items.put(path, value); // one template written without brackets
    } else {
      problem(value, path, "expected a list of path templates, got a mapping; " + SETTING_IGNORED);
      return templates;
    }
    for (Map.Entry<String, Node> item : items.entrySet()) {
      String text = text(item.getValue());
      String why =
          text == null
              ? "expected a path template such as /v2/orders/{id}, got " + describe(item.getValue())
              : PathTemplate.problem(text);
      if (why != null) {
        problem(item.getValue(), item.getKey(), why + "; this template is ignored");
      } else {
        templates.add(PathTemplate.compile(text));
      }
    }
    return templates;
  }

  /** The rule mappings under one kind: one mapping, or a list of them. */
  private Map<String, MappingNode> ruleNodes(Node value, String path) {
    Map<String, MappingNode> rules = new LinkedHashMap<>();
    if (value instanceof MappingNode) {
      rules.put(path, (MappingNode) value);
    } else if (value instanceof SequenceNode) {
      List<Node> list = ((SequenceNode) value).getValue();
      for (int i = 0; i < list.size(); i++) {
        Node item = list.get(i);
        if (item instanceof MappingNode) {
          rules.put(path + "[" + i + "]", (MappingNode) item);
        } else {
          problem(
              item,
              path + "[" + i + "]",
              "expected a mapping, got " + describe(item) + "; " + RULE_IGNORED);
        }
      }
    } else {
      problem(
          value,
          path,
          "expected a mapping (or a list of them), got " + describe(value) + "; " + RULE_IGNORED);
    }
    return rules;
  }

  private HttpRule readHttpRule(Integration integration, MappingNode rule, String path) {
    int known = ruleProblems;
    Map<String, NodeTuple> fields = fields(rule, path, HTTP_KEYS, true);
    Glob host = null;
    NodeTuple hostField = fields.get("host");
    if (hostField == null) {
      if (ruleProblems == known) {
        ruleProblem(rule, path, "no host (a pattern such as *.payments.internal)");
      }
    } else {
      String text = text(hostField.getValueNode());
      String why =
          text == null
              ? "expected a host name pattern, got " + describe(hostField.getValueNode())
              : hostProblem(text);
      if (why != null) {
        ruleProblem(hostField.getValueNode(), path + ".host", why);
      } else {
        host = Glob.compile(text, true);
      }
    }
    int port = -1;
    NodeTuple portField = fields.get("port");
    if (portField != null) {
      String text = scalarText(portField.getValueNode());
      if (text != null && INTEGER.matcher(text).matches() && text.length() <= 6) {
        port = Integer.parseInt(text);
      }
      if (port < 1 || port > 65535) {
        port = -1;
        ruleProblem(
            portField.getValueNode(),
            path + ".port",
            "expected a port from 1 to 65535, got " + describe(portField.getValueNode()));
      }
    }
    String scheme = null;
    NodeTuple schemeField = fields.get("scheme");
    if (schemeField != null) {
      String text = text(schemeField.getValueNode());
      if (text != null && (text.equalsIgnoreCase("http") || text.equalsIgnoreCase("https"))) {
        scheme = text.toLowerCase(Locale.ROOT);
      } else {
        ruleProblem(
            schemeField.getValueNode(),
            path + ".scheme",
            "expected http or https, got " + describe(schemeField.getValueNode()));
      }
    }
    String prefix = null;
    NodeTuple prefixField = fields.get("path-prefix");
    if (prefixField != null) {
      String text = text(prefixField.getValueNode());
      String why;
      if (text == null) {
        why = "expected a path such as /v2/, got " + describe(prefixField.getValueNode());
      } else if (!text.startsWith("/")) {
        why = "expected a path starting with /, got " + quote(text);
      } else if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
        why = "a prefix is a plain path, without *, ? or #; got " + quote(text);
      } else {
        why = null;
        prefix = text;
      }
      if (why != null) {
        ruleProblem(prefixField.getValueNode(), path + ".path-prefix", why);
      }
    }
    return ruleProblems > known ? null : new HttpRule(integration, host, scheme, port, prefix);
  }

  private static String hostProblem(String text) {
    if (text.indexOf('/') >= 0) {
      return "expected a host name pattern such as *.payments.internal, not a URL; got "
          + quote(text);
    }
    if (HOST_AND_PORT.matcher(text).matches()) {
      // One colon: host:port (an IPv6 address has several).
      return "expected a host name pattern without the port (give it as port:); got " + quote(text);
    }
    String why = Glob.problem(text);
    return why == null ? null : why + "; got " + quote(text);
  }

  private JdbcRule readJdbcRule(Integration integration, MappingNode rule, String path) {
    int known = ruleProblems;
    Map<String, NodeTuple> fields = fields(rule, path, JDBC_KEYS, true);
    NodeTuple url = fields.get("url");
    if (url == null) {
      if (ruleProblems == known) {
        ruleProblem(rule, path, "no url (a pattern such as jdbc:postgresql://db-*:5432/orders)");
      }
      return null;
    }
    Glob glob = pattern(url.getValueNode(), path + ".url", "a JDBC URL pattern", true);
    return ruleProblems > known ? null : new JdbcRule(integration, glob);
  }

  private MessagingRule readMessagingRule(Integration integration, MappingNode rule, String path) {
    int known = ruleProblems;
    Map<String, NodeTuple> fields = fields(rule, path, MESSAGING_KEYS, true);
    if (fields.isEmpty()) {
      if (ruleProblems == known) {
        ruleProblem(rule, path, "no system, destination or server");
      }
      return null;
    }
    String system = null;
    NodeTuple systemField = fields.get("system");
    if (systemField != null) {
      String text = text(systemField.getValueNode());
      String lower = text == null ? null : text.toLowerCase(Locale.ROOT);
      if (lower != null && MessagingRule.SYSTEMS.contains(lower)) {
        system = lower;
      } else {
        String guess = text == null ? null : ClosestKey.of(text, MessagingRule.SYSTEMS);
        ruleProblem(
            systemField.getValueNode(),
            path + ".system",
            "expected one of "
                + String.join(", ", MessagingRule.SYSTEMS)
                + (guess == null ? "" : " (did you mean " + guess + "?)")
                + ", got "
                + describe(systemField.getValueNode()));
      }
    }
    Glob destination = null;
    NodeTuple destinationField = fields.get("destination");
    if (destinationField != null) {
      destination =
          pattern(
              destinationField.getValueNode(),
              path + ".destination",
              "a topic, queue or exchange pattern",
              false);
    }
    Glob server = null;
    NodeTuple serverField = fields.get("server");
    if (serverField != null) {
      server = pattern(serverField.getValueNode(), path + ".server", "a host:port pattern", true);
    }
    return ruleProblems > known
        ? null
        : new MessagingRule(integration, system, destination, server);
  }

  /** A glob from a scalar, or null after a problem line (which ignores the rule). */
  private Glob pattern(Node value, String path, String expected, boolean ignoreCase) {
    String text = text(value);
    String why =
        text == null
            ? "expected " + expected + ", got " + describe(value)
            : Glob.problem(text) == null ? null : Glob.problem(text) + "; got " + quote(text);
    if (why != null) {
      ruleProblem(value, path, why);
      return null;
    }
    return Glob.compile(text, ignoreCase);
  }

  private String optionalText(NodeTuple tuple, String path, String expected) {
    if (tuple == null) {
      return null;
    }
    String text = text(tuple.getValueNode());
    if (text == null) {
      problem(
          tuple.getValueNode(),
          path,
          "expected "
              + expected
              + ", got "
              + describe(tuple.getValueNode())
              + "; "
              + SETTING_IGNORED);
    }
    return text;
  }

  /**
   * The known keys of a mapping, in file order. An unknown key gives a line (with the closest known
   * key when one is close), except top-level {@code x-} keys; a key given twice gives a line, and
   * the first is kept. Merge keys ({@code <<: *anchor}) are applied by the composer already, the
   * keys written out winning over merged ones. In a match rule ({@code inRule}), an unknown key
   * ignores the whole rule: dropping just the key would widen the rule.
   */
  private Map<String, NodeTuple> fields(
      MappingNode mapping, String path, List<String> known, boolean inRule) {
    Map<String, NodeTuple> fields = new LinkedHashMap<>();
    Map<String, Node> seen = new HashMap<>();
    String prefix = path.isEmpty() ? "" : path + ".";
    String consequence =
        inRule ? RULE_IGNORED + " (without the key it would match more)" : "it is ignored";
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = scalarText(keyNode);
      if (key == null) {
        keyProblem(
            inRule, keyNode, path, "a key must be a name, got " + describe(keyNode), consequence);
        continue;
      }
      Node first = seen.putIfAbsent(key, keyNode);
      if (first != null) {
        problem(
            keyNode,
            prefix + key,
            "given twice (first at line " + line(first) + "); this one is ignored");
        continue;
      }
      if (known.contains(key)) {
        fields.put(key, tuple);
      } else if (path.isEmpty() && key.startsWith("x-")) {
        continue; // a place for anchors to share (<<: *defaults), as in Compose files
      } else {
        String guess = ClosestKey.of(key, known);
        keyProblem(
            inRule,
            keyNode,
            prefix + key,
            "unknown key "
                + (guess != null
                    ? "(did you mean " + guess + "?)"
                    : "(known: " + String.join(", ", known) + ")"),
            consequence);
      }
    }
    return fields;
  }

  /** A scalar's trimmed text if it can stand for a string (not null, not a boolean), or null. */
  private static String text(Node node) {
    if (!(node instanceof ScalarNode) || isNull(node) || Tag.BOOL.equals(node.getTag())) {
      return null;
    }
    String text = ((ScalarNode) node).getValue().trim();
    return text.isEmpty() ? null : text;
  }

  private static String scalarText(Node node) {
    return node instanceof ScalarNode && !isNull(node)
        ? ((ScalarNode) node).getValue().trim()
        : null;
  }

  /** A plain decimal number, quoted or not; NaN for anything else ({@code .inf} included). */
  private static double number(Node node) {
    String text = scalarText(node);
    return text != null && DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /** How a value shows in a problem line: text quoted, numbers and booleans as written. */
  private static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (isNull(node)) {
      return "nothing";
    }
    String value = ((ScalarNode) node).getValue();
    Tag tag = node.getTag();
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) || Tag.BOOL.equals(tag)) {
      return value;
    }
    return value.trim().isEmpty() ? "an empty string" : quote(value);
  }

  private static String quote(String text) {
    String clipped = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "\"" + oneLine(clipped).replace("\"", "\\\"") + "\"";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  private static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }

  private void problem(Node at, String key, String message) {
    problem(line(at), key, message);
  }

  private void problem(int line, String key, String message) {
    problems.add(
        "catalog "
            + source
            + (line > 0 ? " line " + line : "")
            + ": "
            + (key.isEmpty() ? "" : key + ": ")
            + message);
  }

  private void keyProblem(boolean inRule, Node at, String key, String message, String consequence) {
    if (inRule) {
      ruleProblems++;
    }
    problem(at, key, message + "; " + consequence);
  }

  private void ruleProblem(Node at, String key, String message) {
    ruleProblems++;
    problem(at, key, message + "; " + RULE_IGNORED);
  }

  private static <T> void addIfNotNull(List<T> list, T item) {
    if (item != null) {
      list.add(item);
    }
  }

  /** The problem lines, for tests. */
  List<String> problems() {
    return Collections.unmodifiableList(problems);
  }
}
