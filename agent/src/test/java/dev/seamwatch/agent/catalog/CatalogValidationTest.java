package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of problem in a catalog file: the exact line logged (file, line number, key, what was
 * expected, what happens), and that the valid rest of the file is still used.
 */
class CatalogValidationTest {

  private final LogCapture log = new LogCapture();

  @AfterEach
  void restoreLog() {
    log.close();
  }

  private static Catalog parse(String... lines) {
    return Catalog.parse(String.join("\n", lines) + "\n", "/etc/app/seamwatch.yaml");
  }

  private static List<String> names(Catalog catalog) {
    return catalog.integrations().stream().map(Integration::name).collect(Collectors.toList());
  }

  private static final String PREFIX = "catalog /etc/app/seamwatch.yaml line ";

  // --- the whole file ---

  @Test
  void yamlSyntaxErrorGivesOneLineAndNoIntegration() {
    Catalog catalog =
        parse(
            "integrations:", //
            "  - name: good",
            "    match: {http: {host: good.example}}",
            "  - name: \"unclosed",
            "    owner: x");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "6: not valid YAML: found unexpected end of stream (while scanning a quoted"
                + " scalar at line 4); no integration is read from this file");
  }

  @Test
  void tabIndentationIsASyntaxErrorOnItsLine() {
    Catalog catalog = parse("integrations:", "  - name: a", "\towner: x");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0))
        .startsWith(PREFIX + "3: not valid YAML: ")
        .contains("TAB")
        .endsWith("; no integration is read from this file");
  }

  @Test
  void topLevelListIsNotACatalog() {
    Catalog catalog = parse("- name: a", "  match: {http: {host: a}}");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "1: expected a mapping with version and integrations at the top level, got a"
                + " list; no integration is read from this file");
  }

  @Test
  void integrationsThatAreNotAListGiveOneLine() {
    Catalog catalog = parse("version: 1", "integrations:", "  name: a");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations: expected a list of integrations, got a mapping; no"
                + " integration is read from this file");
  }

  @Test
  void unsupportedVersionIsSaidAndTheFileStillRead() {
    Catalog catalog =
        parse("version: 2", "integrations:", "  - {name: a, match: {http: {host: a}}}");

    assertThat(names(catalog)).containsExactly("a");
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "1: version: 2 is not supported (this agent reads version 1); the file is read"
                + " as version 1");
  }

  @Test
  void hugeVersionIsUnsupportedNotAFailure() {
    Catalog catalog =
        parse("version: 99999999999", "integrations:", "  - {name: a, match: {http: {host: a}}}");

    assertThat(names(catalog)).containsExactly("a");
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "1: version: 99999999999 is not supported (this agent reads version 1); the file"
                + " is read as version 1");
  }

  @Test
  void versionOneMayBeWrittenAsText() {
    parse("version: \"1\"");

    assertThat(log.lines()).isEmpty();
  }

  @Test
  void versionThatIsNotANumberIsSaid() {
    parse("version: one");

    assertThat(log.lines())
        .containsExactly(
            PREFIX + "1: version: expected 1, got \"one\"; the file is read as version 1");
  }

  // --- unknown keys ---

  @Test
  void misspeltTopLevelKeySuggestsTheKnownOne() {
    Catalog catalog = parse("integratons:", "  - {name: a, match: {http: {host: a}}}");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            PREFIX + "1: integratons: unknown key (did you mean integrations?); it is ignored");
  }

  @Test
  void misspeltIntegrationKeysAreIgnoredAndTheRestKept() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: payments",
            "    ownr: team-payments",
            "    teir: 1",
            "    runbook: https://wiki/payments",
            "    colour: blue",
            "    match: {http: {host: pay.example}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX + "3: integrations[0].ownr: unknown key (did you mean owner?); it is ignored",
            PREFIX + "4: integrations[0].teir: unknown key (did you mean tier?); it is ignored",
            PREFIX
                + "6: integrations[0].colour: unknown key (known: name, owner, tier, runbook, slo,"
                + " match, templates); it is ignored");
    Integration payments = catalog.integrations().get(0);
    assertThat(payments.owner()).isNull();
    assertThat(payments.tier()).isNull();
    assertThat(payments.runbook()).isEqualTo("https://wiki/payments");
    assertThat(catalog.matchHttp("http", "pay.example", 80, "/")).isSameAs(payments);
  }

  @Test
  void otherSpellingsOfAKeyAreRecognised() {
    parse(
        "integrations:",
        "  - name: a",
        "    slo: {latency_p99_ms: 3, errorRate: 0.1}",
        "    match: {http: {host: a, pathPrefix: /v2}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].slo.latency_p99_ms: unknown key (did you mean"
                + " latency-p99-ms?); it is ignored",
            PREFIX
                + "3: integrations[0].slo.errorRate: unknown key (did you mean error-rate?); it is"
                + " ignored",
            PREFIX
                + "4: integrations[0].match.http.pathPrefix: unknown key (did you mean"
                + " path-prefix?); this rule is ignored (without the key it would match more)",
            PREFIX
                + "4: integrations[0].match: no usable rule left (http, jdbc or messaging); this"
                + " integration is ignored");
  }

  @Test
  void unknownKeyInAMatchRuleIgnoresTheRuleNotJustTheKey() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    match:",
            "      http:",
            "        - host: a.example",
            "          prot: 8443",
            "        - host: a2.example");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "6: integrations[0].match.http[0].prot: unknown key (did you mean port?); this"
                + " rule is ignored (without the key it would match more)");
    assertThat(catalog.matchHttp("https", "a.example", 443, "/")).isNull();
    assertThat(catalog.matchHttp("https", "a2.example", 443, "/").name()).isEqualTo("a");
  }

  @Test
  void keyGivenTwiceKeepsTheFirst() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    owner: first",
            "    owner: second",
            "    match: {http: {host: a}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].owner: given twice (first at line 3); this one is ignored");
    assertThat(catalog.integrations().get(0).owner()).isEqualTo("first");
  }

  // --- names ---

  @Test
  void duplicateNameDropsTheSecondIntegration() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: payments",
            "    owner: team-a",
            "    match: {http: {host: a.example}}",
            "  - name: payments",
            "    owner: team-b",
            "    match: {http: {host: b.example}}",
            "  - name: other",
            "    match: {http: {host: c.example}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[1].name: \"payments\" is already the name of integrations[0]"
                + " (line 2); this integration is ignored");
    assertThat(names(catalog)).containsExactly("payments", "other");
    assertThat(catalog.integrations().get(0).owner()).isEqualTo("team-a");
    assertThat(catalog.matchHttp("http", "b.example", 80, "/")).isNull();
  }

  @Test
  void missingNameDropsTheIntegration() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - owner: team-a",
            "    match: {http: {host: a.example}}",
            "  - name: b",
            "    match: {http: {host: b.example}}");

    assertThat(log.lines())
        .containsExactly(PREFIX + "2: integrations[0]: no name; this integration is ignored");
    assertThat(names(catalog)).containsExactly("b");
    assertThat(catalog.matchHttp("http", "a.example", 80, "/")).isNull();
  }

  @Test
  void nameThatIsNotAStringDropsTheIntegration() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: [payments]",
            "    match: {http: {host: a.example}}",
            "  - name: \"  \"",
            "    match: {http: {host: a.example}}",
            "  - 42");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "2: integrations[0].name: expected a non-empty string, got a list; this"
                + " integration is ignored",
            PREFIX
                + "4: integrations[1].name: expected a non-empty string, got an empty string;"
                + " this integration is ignored",
            PREFIX
                + "6: integrations[2]: expected a mapping with name and match, got 42; this"
                + " integration is ignored");
    assertThat(catalog.integrations()).isEmpty();
  }

  // --- match rules ---

  @Test
  void integrationWithoutMatchIsDropped() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: nowhere",
            "    owner: team-a",
            "  - name: b",
            "    match: {http: {host: b.example}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "2: integrations[0]: no match rule (match: with http, jdbc or messaging); this"
                + " integration is ignored");
    assertThat(names(catalog)).containsExactly("b");
  }

  @Test
  void integrationWhoseOnlyRuleIsBadIsDroppedWithBothLines() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    match:",
            "      http:",
            "        host: \"[ab].example\"");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[0].match.http.host: only * and ? are wildcards here ([...] and"
                + " {...} are not supported); got \"[ab].example\"; this rule is ignored",
            PREFIX
                + "4: integrations[0].match: no usable rule left (http, jdbc or messaging); this"
                + " integration is ignored");
    assertThat(catalog.integrations()).isEmpty();
  }

  @Test
  void badRuleIsDroppedAndTheIntegrationKeepsItsOtherRules() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    match:",
            "      http:",
            "        host: \"*.a.example\"",
            "        port: 99999",
            "      jdbc:",
            "        url: \"jdbc:postgresql://a-db:5432/*\"");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "6: integrations[0].match.http.port: expected a port from 1 to 65535, got 99999;"
                + " this rule is ignored");
    assertThat(catalog.matchHttp("http", "x.a.example", 99999, "/")).isNull();
    assertThat(catalog.matchHttp("http", "x.a.example", 80, "/")).isNull();
    assertThat(catalog.matchJdbc("jdbc:postgresql://a-db:5432/orders").name()).isEqualTo("a");
  }

  @Test
  void everyBadFieldOfAnHttpRuleHasItsLine() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      http:",
        "        host: https://a.example/x",
        "        port: http",
        "        scheme: ftp",
        "        path-prefix: v2",
        "      jdbc: {url: \"jdbc:h2:*\"}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[0].match.http.host: expected a host name pattern such as"
                + " *.payments.internal, not a URL; got \"https://a.example/x\"; this rule is"
                + " ignored",
            PREFIX
                + "6: integrations[0].match.http.port: expected a port from 1 to 65535, got"
                + " \"http\"; this rule is ignored",
            PREFIX
                + "7: integrations[0].match.http.scheme: expected http or https, got \"ftp\"; this"
                + " rule is ignored",
            PREFIX
                + "8: integrations[0].match.http.path-prefix: expected a path starting with /, got"
                + " \"v2\"; this rule is ignored");
  }

  @Test
  void hostWithItsPortSaysWhereThePortGoes() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      http: {host: \"a.example:8080\"}",
        "      messaging: {system: kafka}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].match.http.host: expected a host name pattern without the"
                + " port (give it as port:); got \"a.example:8080\"; this rule is ignored");
  }

  @Test
  void ipv6HostPatternIsNotTakenForHostAndPort() {
    Catalog catalog =
        parse("integrations:", "  - name: a", "    match: {http: {host: \"fd00::*\"}}");

    assertThat(log.lines()).isEmpty();
    assertThat(catalog.matchHttp("http", "fd00::12", 80, "/").name()).isEqualTo("a");
  }

  @Test
  void ruleWithoutItsRequiredKeyIsDropped() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      http: {port: 443}",
        "      jdbc: {}",
        "      messaging: {}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].match.http: no host (a pattern such as *.payments.internal);"
                + " this rule is ignored",
            PREFIX
                + "5: integrations[0].match.jdbc: no url (a pattern such as"
                + " jdbc:postgresql://db-*:5432/orders); this rule is ignored",
            PREFIX
                + "6: integrations[0].match.messaging: no system, destination or server; this rule"
                + " is ignored",
            PREFIX
                + "4: integrations[0].match: no usable rule left (http, jdbc or messaging); this"
                + " integration is ignored");
  }

  @Test
  void misspeltRuleKeyIsSaidOnceNotAlsoAsAMissingKey() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      jdbc: {uri: \"jdbc:*\"}",
        "      http: {host: a}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].match.jdbc.uri: unknown key (did you mean url?); this rule is"
                + " ignored (without the key it would match more)");
  }

  @Test
  void unknownMessagingSystemSuggestsTheClosest() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    match:",
            "      messaging:",
            "        - {system: kafak, destination: orders}",
            "        - {system: rabbitmq, destination: orders}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[0].match.messaging[0].system: expected one of kafka, rabbitmq,"
                + " jms (did you mean kafka?), got \"kafak\"; this rule is ignored");
    assertThat(catalog.matchMessaging("kafka", "orders", null)).isNull();
    assertThat(catalog.matchMessaging("rabbitmq", "orders", null).name()).isEqualTo("a");
  }

  @Test
  void badDestinationGlobDropsItsRule() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      messaging: {destination: \"orders.{eu,us}\"}",
        "      http: {host: a}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].match.messaging.destination: only * and ? are wildcards here"
                + " ([...] and {...} are not supported); got \"orders.{eu,us}\"; this rule is"
                + " ignored");
  }

  @Test
  void unknownKindOfRuleIsSaid() {
    Catalog catalog =
        parse("integrations:", "  - name: a", "    match: {ftp: {host: a}, http: {host: a}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].match.ftp: unknown key (known: http, jdbc, messaging); it is"
                + " ignored");
    assertThat(names(catalog)).containsExactly("a");
  }

  @Test
  void ruleThatIsNotAMappingIsSaid() {
    parse(
        "integrations:",
        "  - name: a",
        "    match:",
        "      http: a.example",
        "      jdbc: [\"jdbc:h2:*\"]",
        "      messaging: {system: jms}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].match.http: expected a mapping (or a list of them), got"
                + " \"a.example\"; this rule is ignored",
            PREFIX
                + "5: integrations[0].match.jdbc[0]: expected a mapping, got \"jdbc:h2:*\"; this"
                + " rule is ignored");
  }

  // --- settings ---

  @Test
  void sloThatIsNotANumberIsIgnoredAndTheOtherFieldsKept() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: payments-api",
            "    owner: team-payments",
            "    slo:",
            "      latency-p99-ms: fast",
            "      error-rate: 0.05",
            "    match: {http: {host: pay.example}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[0].slo.latency-p99-ms: expected a positive number of"
                + " milliseconds, got \"fast\"; this setting is ignored");
    Integration payments = catalog.integrations().get(0);
    assertThat(payments.latencySloMillis()).isNaN();
    assertThat(payments.errorRateSlo()).isEqualTo(0.05);
    assertThat(payments.owner()).isEqualTo("team-payments");
  }

  @Test
  void negativeAndZeroLatencySloAreRefused() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    slo: {latency-p99-ms: -5}",
            "    match: {http: {host: a}}",
            "  - name: b",
            "    slo: {latency-p99-ms: 0}",
            "    match: {http: {host: b}}",
            "  - name: c",
            "    slo: {latency-p99-ms: .inf}",
            "    match: {http: {host: c}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].slo.latency-p99-ms: expected a positive number of"
                + " milliseconds, got -5; this setting is ignored",
            PREFIX
                + "6: integrations[1].slo.latency-p99-ms: expected a positive number of"
                + " milliseconds, got 0; this setting is ignored",
            PREFIX
                + "9: integrations[2].slo.latency-p99-ms: expected a positive number of"
                + " milliseconds, got .inf; this setting is ignored");
    assertThat(catalog.integrations()).hasSize(3).allMatch(i -> Double.isNaN(i.latencySloMillis()));
  }

  @Test
  void errorRateOutsideZeroToOneIsRefused() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    slo: {error-rate: 1.5, latency-p99-ms: 100}",
            "    match: {http: {host: a}}",
            "  - name: b",
            "    slo: {error-rate: \"1%\"}",
            "    match: {http: {host: b}}",
            "  - name: c",
            "    slo: {error-rate: -0.1}",
            "    match: {http: {host: c}}",
            "  - name: d",
            "    slo: {error-rate: 1}",
            "    match: {http: {host: d}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].slo.error-rate: expected a number from 0 to 1 (0.01 is 1%),"
                + " got 1.5; this setting is ignored",
            PREFIX
                + "6: integrations[1].slo.error-rate: expected a number from 0 to 1 (0.01 is 1%),"
                + " got \"1%\"; this setting is ignored",
            PREFIX
                + "9: integrations[2].slo.error-rate: expected a number from 0 to 1 (0.01 is 1%),"
                + " got -0.1; this setting is ignored");
    assertThat(catalog.integrations().get(0).errorRateSlo()).isNaN();
    assertThat(catalog.integrations().get(0).latencySloMillis()).isEqualTo(100.0);
    assertThat(catalog.integrations().get(3).errorRateSlo()).isEqualTo(1.0);
  }

  @Test
  void sloThatIsNotAMappingIsIgnored() {
    Catalog catalog =
        parse("integrations:", "  - name: a", "    slo: 300", "    match: {http: {host: a}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].slo: expected a mapping with latency-p99-ms and error-rate,"
                + " got 300; this setting is ignored");
    assertThat(names(catalog)).containsExactly("a");
  }

  @Test
  void textSettingsOfTheWrongTypeAreIgnored() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    owner:",
            "    tier: true",
            "    runbook: {url: x}",
            "    match: {http: {host: a}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].owner: expected a team name, got nothing; this setting is"
                + " ignored",
            PREFIX
                + "4: integrations[0].tier: expected a name or number, such as 1 or critical, got"
                + " true; this setting is ignored",
            PREFIX
                + "5: integrations[0].runbook: expected a URL, got a mapping; this setting is"
                + " ignored");
    Integration a = catalog.integrations().get(0);
    assertThat(a.owner()).isNull();
    assertThat(a.tier()).isNull();
    assertThat(a.runbook()).isNull();
  }

  @Test
  void badTemplatesAreDroppedOneByOneAndTheGoodOnesKept() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: a",
            "    match: {http: {host: a}}",
            "    templates:",
            "      - v2/x",
            "      - /a/{b}c",
            "      - /a/*",
            "      - /a//b",
            "      - /a/{}",
            "      - /good/{id}",
            "      - [nested]");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "5: integrations[0].templates[0]: expected a path starting with /, such as"
                + " /v2/orders/{id}; this template is ignored",
            PREFIX
                + "6: integrations[0].templates[1]: \"{b}c\": a {name} must be a whole segment;"
                + " this template is ignored",
            PREFIX
                + "7: integrations[0].templates[2]: \"*\": * is not a wildcard in a template; use"
                + " {name} for a segment; this template is ignored",
            PREFIX
                + "8: integrations[0].templates[3]: a template has no empty segment (//); this"
                + " template is ignored",
            PREFIX
                + "9: integrations[0].templates[4]: \"{}\": a {name} uses letters, digits, '_', '-'"
                + " or '.', and nothing else; this template is ignored",
            PREFIX
                + "11: integrations[0].templates[6]: expected a path template such as"
                + " /v2/orders/{id}, got a list; this template is ignored");
    assertThat(catalog.integrations().get(0).templates()).containsExactly("/good/{id}");
  }

  @Test
  void mergeKeysShareDefaultsFromAnXKeyAndWrittenKeysWin() {
    Catalog catalog =
        parse(
            "x-defaults: &defaults",
            "  owner: team-platform",
            "  tier: 2",
            "  slo: {latency-p99-ms: fast}",
            "integrations:",
            "  - name: a",
            "    <<: *defaults",
            "    owner: team-a",
            "    match: {http: {host: a}}");

    // The merged value's problem points at the line where it is written.
    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "4: integrations[0].slo.latency-p99-ms: expected a positive number of"
                + " milliseconds, got \"fast\"; this setting is ignored");
    Integration a = catalog.integrations().get(0);
    assertThat(a.owner()).isEqualTo("team-a");
    assertThat(a.tier()).isEqualTo("2");
  }

  @Test
  void onlyTopLevelXKeysAreSilent() {
    parse("x-anything: 1", "integrations:", "  - {name: a, x-note: 1, match: {http: {host: a}}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX
                + "3: integrations[0].x-note: unknown key (known: name, owner, tier, runbook, slo,"
                + " match, templates); it is ignored");
  }

  @Test
  void keyThatIsNotANameIsSaid() {
    Catalog catalog =
        parse("integrations:", "  - name: a", "    [x]: 1", "    match: {http: {host: a}}");

    assertThat(log.lines())
        .containsExactly(
            PREFIX + "3: integrations[0]: a key must be a name, got a list; it is ignored");
    assertThat(names(catalog)).containsExactly("a");
  }

  @Test
  void problemValuesAreShownOnOneLineAndClipped() {
    parse(
        "integrations:",
        "  - name: a",
        "    slo: {latency-p99-ms: \"" + "x".repeat(100) + "\\nnext\"}",
        "    match: {http: {host: a}}");

    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0))
        .contains("got \"" + "x".repeat(80) + "...\"")
        .doesNotContain("next");
  }

  @Test
  void aliasBombIsRefusedAsAWhole() {
    StringBuilder yaml = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 60; i++) {
      yaml.append("k").append(i).append(": &a").append(i).append(" [*a, *a]\n");
    }
    Catalog catalog = Catalog.parse(yaml.toString(), "bomb.yaml");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0))
        .startsWith("catalog bomb.yaml")
        .contains("not valid YAML")
        .endsWith("; no integration is read from this file");
  }

  @Test
  void deeplyNestedTextNeverThrows() {
    String yaml = "[".repeat(100_000);

    Catalog catalog = Catalog.parse(yaml, "deep.yaml");

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0)).startsWith("catalog deep.yaml").contains("not valid YAML");
  }
}
