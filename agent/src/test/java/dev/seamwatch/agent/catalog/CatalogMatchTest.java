package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogMatchTest {

  private final LogCapture log = new LogCapture();

  @AfterEach
  void nothingLogged() {
    log.close();
    // Every catalog in this class is valid: a problem line would mean a test reads wrong input.
    assertThat(log.lines()).isEmpty();
  }

  private static Catalog parse(String... lines) {
    return Catalog.parse(String.join("\n", lines) + "\n", "match.yaml");
  }

  private static String name(Integration integration) {
    return integration == null ? null : integration.name();
  }

  // --- HTTP ---

  private static final Catalog HTTP =
      parse(
          "integrations:",
          "  - name: payments-v2",
          "    match: {http: {host: \"*.payments.internal\", port: 443, path-prefix: /v2/}}",
          "  - name: payments",
          "    match: {http: {host: \"*.payments.internal\"}}",
          "  - name: plain-only",
          "    match: {http: {host: plain.example, scheme: http}}",
          "  - name: several",
          "    match:",
          "      http:",
          "        - {host: \"api-?.example\"}",
          "        - {host: \"*.other.example\", port: 8080}");

  @ParameterizedTest
  @CsvSource({
    "https, eu.payments.internal, 443, /v2/orders/1, payments-v2",
    "https, eu.payments.internal, 443, /v2, payments-v2",
    "https, eu.payments.internal, 443, /v2?x=1, payments-v2",
    "https, eu.payments.internal, 443, /v2beta/orders, payments",
    "https, eu.payments.internal, 8443, /v2/orders/1, payments",
    "https, EU.Payments.Internal, 443, /v2/orders/1, payments-v2",
    "https, eu.payments.internal, 443, /V2/orders/1, payments",
    "https, eu.payments.internal, 443, , payments",
    "http, plain.example, 80, /, plain-only",
    "https, plain.example, 443, /, ",
    "HTTP, plain.example, 80, /, plain-only",
    "https, api-1.example, 443, /x, several",
    "https, api-12.example, 443, /x, ",
    "http, x.other.example, 8080, /, several",
    "http, x.other.example, 80, /, ",
    "https, payments.internal, 443, /v2/, ",
    "https, unknown.example, 443, /, ",
  })
  void httpCallGoesToTheFirstIntegrationWhoseRuleItSatisfies(
      String scheme, String host, int port, String path, String expected) {
    assertThat(name(HTTP.matchHttp(scheme, host, port, path))).isEqualTo(expected);
  }

  @Test
  void sameHostTwiceGivesTheSameAnswerFromTheCache() {
    Catalog catalog = parse("integrations:", "  - {name: a, match: {http: {host: a.example}}}");

    for (int i = 0; i < 3; i++) {
      assertThat(name(catalog.matchHttp("http", "a.example", 80, "/"))).isEqualTo("a");
      assertThat(catalog.matchHttp("http", "b.example", 80, "/")).isNull();
    }
  }

  @Test
  void hostsPastTheCacheBoundStillMatch() {
    Catalog catalog =
        parse("integrations:", "  - {name: a, match: {http: {host: \"*.a.example\"}}}");

    for (int i = 0; i < Catalog.MAX_CACHED + 100; i++) {
      assertThat(catalog.matchHttp("http", "h" + i + ".b.example", 80, "/")).isNull();
    }
    assertThat(name(catalog.matchHttp("http", "late.a.example", 80, "/"))).isEqualTo("a");
    assertThat(catalog.matchHttp("http", "late.b.example", 80, "/")).isNull();
  }

  @Test
  void nullHostMatchesOnlyACatchAllRule() {
    Catalog some = parse("integrations:", "  - {name: a, match: {http: {host: a.example}}}");
    Catalog all = parse("integrations:", "  - {name: any, match: {http: {host: \"*\"}}}");

    assertThat(some.matchHttp("http", null, 80, "/")).isNull();
    assertThat(name(all.matchHttp("http", null, 80, "/"))).isEqualTo("any");
  }

  @Test
  void rootPathPrefixMatchesEveryPath() {
    Catalog catalog =
        parse("integrations:", "  - {name: a, match: {http: {host: a, path-prefix: /}}}");

    assertThat(name(catalog.matchHttp("http", "a", 80, "/anything"))).isEqualTo("a");
    assertThat(name(catalog.matchHttp("http", "a", 80, null))).isEqualTo("a");
  }

  @Test
  void pathPrefixWithoutTrailingSlashIsAWholeSegment() {
    Catalog catalog =
        parse("integrations:", "  - {name: a, match: {http: {host: a, path-prefix: /v2}}}");

    assertThat(name(catalog.matchHttp("http", "a", 80, "/v2/orders"))).isEqualTo("a");
    assertThat(name(catalog.matchHttp("http", "a", 80, "/v2;v=1"))).isEqualTo("a");
    assertThat(catalog.matchHttp("http", "a", 80, "/v20")).isNull();
    assertThat(catalog.matchHttp("http", "a", 80, null)).isNull();
  }

  @Test
  void emptyCatalogMatchesNothing() {
    Catalog empty = Catalog.empty();

    assertThat(empty.integrations()).isEmpty();
    assertThat(empty.matchHttp("http", "a", 80, "/")).isNull();
    assertThat(empty.matchJdbc("jdbc:h2:mem:x")).isNull();
    assertThat(empty.matchMessaging("kafka", "t", "b:9092")).isNull();
  }

  @Test
  void catalogWithoutRulesOfAKindMatchesNoCallOfThatKind() {
    Catalog httpOnly = parse("integrations:", "  - {name: a, match: {http: {host: \"*\"}}}");

    assertThat(httpOnly.matchJdbc("jdbc:h2:mem:x")).isNull();
    assertThat(httpOnly.matchMessaging("kafka", "t", null)).isNull();
  }

  // --- JDBC ---

  private static final Catalog JDBC =
      parse(
          "integrations:",
          "  - name: orders-db",
          "    match: {jdbc: {url: \"jdbc:postgresql://db-*.internal:5432/orders\"}}",
          "  - name: any-postgres",
          "    match: {jdbc: {url: \"jdbc:postgresql:*\"}}",
          "  - name: sqlserver-billing",
          "    match: {jdbc: {url: \"jdbc:sqlserver://billing:1433;databaseName=billing\"}}",
          "  - name: oracle",
          "    match: {jdbc: {url: \"jdbc:oracle:thin:@//ora.internal:1521/*\"}}",
          "  - name: h2",
          "    match: {jdbc: {url: \"jdbc:h2:mem:*\"}}");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://db-1.internal:5432/orders|orders-db",
        "JDBC:PostgreSQL://DB-1.internal:5432/orders|orders-db",
        "jdbc:postgresql://db-1.internal:5432/orders?user=app&password=s3cret|orders-db",
        "jdbc:postgresql://db-1.internal:5432/orders?password=s3cret|orders-db",
        "jdbc:postgresql://app:s3cret@db-1.internal:5432/orders|orders-db",
        "jdbc:postgresql://db-1.internal:5432/orders?ssl=true|any-postgres",
        "jdbc:postgresql://db-1.internal:5433/orders|any-postgres",
        "jdbc:sqlserver://billing:1433;databaseName=billing;user=sa;password=x|sqlserver-billing",
        "jdbc:sqlserver://billing:1433;user=sa;databaseName=billing|sqlserver-billing",
        "jdbc:sqlserver://billing:1433;databaseName=other|",
        "jdbc:oracle:thin:scott/tiger@//ora.internal:1521/orcl|oracle",
        "jdbc:oracle:thin:@//ora.internal:1521/orcl|oracle",
        "jdbc:h2:mem:test;USER=sa;PASSWORD=x|h2",
        "jdbc:mysql://db:3306/orders|",
      })
  void jdbcUrlGoesToTheFirstIntegrationWhateverItsCredentials(String url, String expected) {
    assertThat(name(JDBC.matchJdbc(url))).isEqualTo(expected);
  }

  @Test
  void nullJdbcUrlMatchesNothing() {
    assertThat(JDBC.matchJdbc(null)).isNull();
  }

  @Test
  void jdbcUrlsPastTheCacheBoundStillMatch() {
    Catalog catalog = parse("integrations:", "  - {name: h2, match: {jdbc: {url: \"jdbc:h2:*\"}}}");

    for (int i = 0; i < Catalog.MAX_CACHED + 10; i++) {
      assertThat(catalog.matchJdbc("jdbc:derby:db" + i)).isNull();
    }
    assertThat(name(catalog.matchJdbc("jdbc:h2:mem:late"))).isEqualTo("h2");
    assertThat(name(catalog.matchJdbc("jdbc:h2:mem:late"))).isEqualTo("h2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://u:p@h:5432/db|jdbc:postgresql://h:5432/db",
        "jdbc:postgresql://u:p@ss@h:5432/db|jdbc:postgresql://h:5432/db",
        "jdbc:postgresql://h/db?user=u&password=p&ssl=true|jdbc:postgresql://h/db?ssl=true",
        "jdbc:postgresql://h/db?ssl=true&user=u&x=1|jdbc:postgresql://h/db?ssl=true&x=1",
        "jdbc:mysql://h/db?UserName=u&sslPassword=p|jdbc:mysql://h/db",
        "jdbc:sqlserver://h:1433;databaseName=d;user=u;password=p|jdbc:sqlserver://h:1433;databaseName=d",
        "jdbc:h2:mem:t;USER=sa;PASSWORD=x;MODE=PostgreSQL|jdbc:h2:mem:t;MODE=PostgreSQL",
        "jdbc:oracle:thin:scott/tiger@host:1521:sid|jdbc:oracle:thin:@host:1521:sid",
        "jdbc:oracle:thin:@host:1521:sid|jdbc:oracle:thin:@host:1521:sid",
        "' jdbc:h2:mem:t '|jdbc:h2:mem:t",
        "jdbc:postgresql://h/db?a=x@y|jdbc:postgresql://h/db?a=x@y",
      })
  void credentialsAreTakenOutOfTheUrlBeforeMatching(String url, String expected) {
    assertThat(JdbcRule.withoutCredentials(url)).isEqualTo(expected);
  }

  // --- messaging ---

  private static final Catalog MESSAGING =
      parse(
          "integrations:",
          "  - name: eu-orders",
          "    match: {messaging: {system: kafka, destination: \"orders.*\", server: \"kafka-eu-*\"}}",
          "  - name: orders",
          "    match: {messaging: {system: kafka, destination: \"orders.*\"}}",
          "  - name: any-rabbit",
          "    match: {messaging: {system: RabbitMQ}}",
          "  - name: audit-anywhere",
          "    match: {messaging: {destination: \"audit-?\"}}");

  @ParameterizedTest
  @CsvSource({
    "kafka, orders.created, kafka-eu-1:9092, eu-orders",
    "kafka, orders.created, KAFKA-EU-1:9092, eu-orders",
    "kafka, orders.created, kafka-us-1:9092, orders",
    "kafka, orders.created, , orders",
    "kafka, Orders.created, kafka-eu-1:9092, ",
    "kafka, payments, kafka-eu-1:9092, ",
    "rabbitmq, anything, 10.0.0.1:5672, any-rabbit",
    "rabbitmq, , , any-rabbit",
    "jms, audit-1, , audit-anywhere",
    "kafka, audit-1, , audit-anywhere",
    "jms, orders.created, , ",
    ", orders.created, , ",
  })
  void messageGoesToTheFirstIntegrationWhoseRuleItSatisfies(
      String system, String destination, String server, String expected) {
    assertThat(name(MESSAGING.matchMessaging(system, destination, server))).isEqualTo(expected);
  }

  @Test
  void sharedCatalogsAreReadWhole() {
    // They are read before any test captures the log: a dropped integration would show here.
    assertThat(HTTP.integrations()).hasSize(4);
    assertThat(JDBC.integrations()).hasSize(5);
    assertThat(MESSAGING.integrations()).hasSize(4);
  }

  // --- all kinds in one file ---

  @Test
  void oneIntegrationMayMatchSeveralKindsAndFirstInFileWinsPerKind() {
    Catalog catalog =
        parse(
            "integrations:",
            "  - name: orders",
            "    match:",
            "      http: {host: orders.internal}",
            "      jdbc: {url: \"jdbc:postgresql://orders-db*\"}",
            "      messaging: {destination: \"orders.*\"}",
            "  - name: everything",
            "    match:",
            "      http: {host: \"*\"}",
            "      jdbc: {url: \"*\"}",
            "      messaging: {system: kafka}");

    Integration orders = catalog.integrations().get(0);
    assertThat(catalog.matchHttp("http", "orders.internal", 80, "/")).isSameAs(orders);
    assertThat(catalog.matchJdbc("jdbc:postgresql://orders-db:5432/o")).isSameAs(orders);
    assertThat(catalog.matchMessaging("kafka", "orders.new", null)).isSameAs(orders);
    assertThat(name(catalog.matchHttp("http", "x.internal", 80, "/"))).isEqualTo("everything");
    assertThat(name(catalog.matchJdbc("jdbc:h2:mem:x"))).isEqualTo("everything");
    assertThat(name(catalog.matchMessaging("kafka", "payments", null))).isEqualTo("everything");
  }
}
