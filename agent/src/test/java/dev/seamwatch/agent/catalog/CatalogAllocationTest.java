package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Matching runs on every recorded call: once a host or JDBC URL has been seen, a match (or a miss)
 * allocates nothing, and neither does choosing a path template.
 */
class CatalogAllocationTest {

  private static final int CALLS = 100_000;

  @Test
  void steadyStateMatchingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    long thread = Thread.currentThread().getId();

    Catalog catalog =
        Catalog.parse(
            "integrations:\n"
                + "  - name: payments\n"
                + "    match: {http: {host: \"*.payments.internal\", port: 443, path-prefix: /v2}}\n"
                + "    templates: [\"/v2/orders/{id}/lines/{line}\", \"/v2/customers/{id}\"]\n"
                + "  - name: billing\n"
                + "    match: {http: [{host: \"billing-?.example\"}, {host: billing.example}]}\n"
                + "  - name: orders-db\n"
                + "    match: {jdbc: {url: \"jdbc:postgresql://db-*:5432/orders\"}}\n"
                + "  - name: events\n"
                + "    match: {messaging: {system: kafka, destination: \"orders.*\"}}\n",
            "alloc.yaml");
    String[] hosts = {"eu.payments.internal", "billing-1.example", "unknown.example"};
    String[] paths = {"/v2/orders/17/lines/3", "/v2/customers/9?x=1", "/v1/other"};
    String[] urls = {"jdbc:postgresql://db-1:5432/orders?user=app", "jdbc:h2:mem:x"};
    String[] topics = {"orders.created", "payments"};

    // Warm-up: every host and URL cached, the code compiled.
    int matched = run(catalog, hosts, paths, urls, topics);
    threads.getThreadAllocatedBytes(thread);

    long before = threads.getThreadAllocatedBytes(thread);
    int again = run(catalog, hosts, paths, urls, topics);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(again).isEqualTo(matched).isGreaterThan(CALLS);
    assertThat(allocated).as("bytes allocated by %d rounds of matches", CALLS).isLessThan(1024);
  }

  private static int run(
      Catalog catalog, String[] hosts, String[] paths, String[] urls, String[] topics) {
    int matched = 0;
    for (int i = 0; i < CALLS; i++) {
      Integration http = catalog.matchHttp("https", hosts[i % hosts.length], 443, paths[i % 3]);
      if (http != null) {
        matched++;
        if (http.template(paths[i % paths.length]) != null) {
          matched++;
        }
      }
      if (catalog.matchJdbc(urls[i % urls.length]) != null) {
        matched++;
      }
      if (catalog.matchMessaging("kafka", topics[i % topics.length], "kafka:9092") != null) {
        matched++;
      }
    }
    return matched;
  }
}
