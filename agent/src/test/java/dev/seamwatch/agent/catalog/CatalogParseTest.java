package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CatalogParseTest {

  private final LogCapture log = new LogCapture();

  @AfterEach
  void restoreLog() {
    log.close();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = CatalogParseTest.class.getResourceAsStream("/catalog/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void fullFileGivesEveryIntegrationInFileOrderWithoutAWord() throws IOException {
    Catalog catalog = Catalog.parse(resource("full.yaml"), "full.yaml");

    assertThat(log.lines()).isEmpty();
    assertThat(catalog.integrations().stream().map(Integration::name).collect(Collectors.toList()))
        .containsExactly("payments-api", "orders-db", "order-events", "legacy-billing");
  }

  @Test
  void fullFileKeepsEveryFieldAsWritten() throws IOException {
    List<Integration> integrations =
        Catalog.parse(resource("full.yaml"), "full.yaml").integrations();

    Integration payments = integrations.get(0);
    assertThat(payments.owner()).isEqualTo("team-payments");
    assertThat(payments.tier()).isEqualTo("1");
    assertThat(payments.runbook()).isEqualTo("https://wiki.example/runbooks/payments");
    assertThat(payments.latencySloMillis()).isEqualTo(300.0);
    assertThat(payments.errorRateSlo()).isEqualTo(0.01);
    assertThat(payments.templates())
        .containsExactly("/v2/orders/{id}/lines/{line}", "/v2/customers/{customerId}");

    Integration db = integrations.get(1);
    assertThat(db.tier()).isEqualTo("critical");
    assertThat(db.latencySloMillis()).isEqualTo(12.5);
    assertThat(db.errorRateSlo()).isNaN();
    assertThat(db.templates()).isEmpty();
    assertThat(db.runbook()).isNull();
  }

  @Test
  void optionalFieldsLeftOutAreNullOrNaN() {
    Catalog catalog =
        Catalog.parse(
            "integrations:\n  - name: bare\n    match:\n      http:\n        host: bare.example\n",
            "t.yaml");

    Integration bare = catalog.integrations().get(0);
    assertThat(bare.name()).isEqualTo("bare");
    assertThat(bare.owner()).isNull();
    assertThat(bare.tier()).isNull();
    assertThat(bare.runbook()).isNull();
    assertThat(bare.latencySloMillis()).isNaN();
    assertThat(bare.errorRateSlo()).isNaN();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void fullFileMatchesEachKindOfCall() throws IOException {
    Catalog catalog = Catalog.parse(resource("full.yaml"), "full.yaml");

    assertThat(catalog.matchHttp("https", "eu.payments.internal", 443, "/v2/orders/1"))
        .extracting(Integration::name)
        .isEqualTo("payments-api");
    assertThat(catalog.matchJdbc("jdbc:postgresql://db-2.internal:5432/orders_eu"))
        .extracting(Integration::name)
        .isEqualTo("orders-db");
    assertThat(catalog.matchMessaging("rabbitmq", "order-exchange", null))
        .extracting(Integration::name)
        .isEqualTo("order-events");
    assertThat(catalog.matchHttp("http", "billing-3.example.com", 8080, "/"))
        .extracting(Integration::name)
        .isEqualTo("legacy-billing");
  }

  @Test
  void emptyTextIsAnEmptyCatalogWithoutAWord() {
    assertThat(Catalog.parse("", "empty.yaml").integrations()).isEmpty();
    assertThat(Catalog.parse("# nothing yet\n\n", "comments.yaml").integrations()).isEmpty();
    assertThat(Catalog.parse("---\n", "document.yaml").integrations()).isEmpty();
    assertThat(Catalog.parse("version: 1\nintegrations:\n", "none.yaml").integrations()).isEmpty();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void nullTextIsAnEmptyCatalog() {
    assertThat(Catalog.parse(null, "null").integrations()).isEmpty();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void flowStyleAndAnchorsAreYamlLikeAnyOther() {
    Catalog catalog =
        Catalog.parse(
            "integrations:\n"
                + "  - {name: a, owner: &team team-x, match: {http: {host: a.example}}}\n"
                + "  - {name: b, owner: *team, match: {http: [{host: b.example}]}}\n",
            "flow.yaml");

    assertThat(log.lines()).isEmpty();
    assertThat(catalog.integrations()).hasSize(2);
    assertThat(catalog.integrations().get(1).owner()).isEqualTo("team-x");
    assertThat(catalog.matchHttp("http", "b.example", 80, "/").name()).isEqualTo("b");
  }

  @Test
  void byteOrderMarkIsNotPartOfTheText() {
    Catalog catalog =
        Catalog.parse(
            "\uFEFFintegrations:\n  - name: a\n    match: {http: {host: a.example}}\n", "bom.yaml");

    assertThat(log.lines()).isEmpty();
    assertThat(catalog.integrations()).hasSize(1);
  }

  @Test
  void aSingleTemplateMayBeWrittenWithoutAList() {
    Catalog catalog =
        Catalog.parse(
            "integrations:\n"
                + "  - name: a\n"
                + "    match: {http: {host: a.example}}\n"
                + "    templates: /items/{id}\n",
            "t.yaml");

    assertThat(log.lines()).isEmpty();
    assertThat(catalog.integrations().get(0).templates()).containsExactly("/items/{id}");
  }

  @Test
  void quotedNumbersAreNumbersAndTierKeepsItsText() {
    Catalog catalog =
        Catalog.parse(
            "integrations:\n"
                + "  - name: a\n"
                + "    tier: 1.0\n"
                + "    slo: {latency-p99-ms: \"250\", error-rate: 0}\n"
                + "    match: {http: {host: a.example, port: \"8443\"}}\n",
            "t.yaml");

    assertThat(log.lines()).isEmpty();
    Integration a = catalog.integrations().get(0);
    assertThat(a.tier()).isEqualTo("1.0");
    assertThat(a.latencySloMillis()).isEqualTo(250.0);
    assertThat(a.errorRateSlo()).isEqualTo(0.0);
    assertThat(catalog.matchHttp("http", "a.example", 8443, "/")).isSameAs(a);
    assertThat(catalog.matchHttp("http", "a.example", 80, "/")).isNull();
  }
}
