package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.catalog.Catalog;
import org.junit.jupiter.api.Test;

class MessageTargetTest {

  private static final Catalog CATALOG =
      Catalog.parse(
          String.join(
              "\n",
              "integrations:",
              "  - name: eu-orders",
              "    owner: team-orders",
              "    match: {messaging: {system: kafka, destination: \"orders.*\", server: \"kafka-eu-*\"}}",
              ""),
          "seamwatch.yaml");

  @Test
  void aDestinationSentToAgainIsWorkedOutOnceAndEveryOneIsKeptApart() {
    MessageTarget.Cache cache = new MessageTarget.Cache(4, CATALOG);
    MessageTarget first = cache.find("kafka", "orders.created", "topic", "kafka-eu-1:9092");
    assertThat(first.entry.name()).isEqualTo("eu-orders");
    assertThat(first.integration).isEqualTo("eu-orders");
    assertThat(first.host).isEqualTo("kafka-eu-1");
    assertThat(first.port).isEqualTo(9092);
    assertThat(first.operation).isEqualTo("send orders.created");
    // Equal names in other String instances, as a client may build them per send.
    assertThat(
            cache.find(
                new String("kafka".toCharArray()),
                new String("orders.created".toCharArray()),
                "topic",
                new String("kafka-eu-1:9092".toCharArray())))
        .isSameAs(first);

    // More destinations than slots, differing in one name each: never a neighbour's target.
    for (int i = 0; i < 500; i++) {
      String server = "broker" + (i % 7) + ":" + (9000 + i);
      MessageTarget target =
          cache.find("kafka", "t" + (i % 11), i % 2 == 0 ? "topic" : null, server);
      assertThat(target.destination).isEqualTo("t" + (i % 11));
      assertThat(target.destinationKind).isEqualTo(i % 2 == 0 ? "topic" : null);
      assertThat(target.host).isEqualTo("broker" + (i % 7));
      assertThat(target.port).isEqualTo(9000 + i);
      assertThat(target.entry).isNull();
      assertThat(target.integration).isEqualTo("kafka://broker" + (i % 7) + ":" + (9000 + i));
    }
    MessageTarget us = cache.find("kafka", "orders.created", "topic", "kafka-us-1:9092");
    assertThat(us.entry).isNull();
    assertThat(us.integration).isEqualTo("kafka://kafka-us-1:9092");
    assertThat(cache.find("rabbitmq", "orders.created", "topic", "kafka-eu-1:9092").entry).isNull();
  }

  @Test
  void serversAndDestinationsTheClientCouldNotTell() {
    MessageTarget.Cache cache = new MessageTarget.Cache(4, CATALOG);
    MessageTarget none = cache.find("jms", null, null, null);
    assertThat(none.host).isNull();
    assertThat(none.port).isEqualTo(-1);
    assertThat(none.integration).isEqualTo("jms://unknown");
    assertThat(none.operation).isEqualTo("send (default)");
    assertThat(cache.find("rabbitmq", "", "exchange", "rabbit").operation)
        .isEqualTo("send (default)");
    MessageTarget noPort = cache.find("rabbitmq", "x", "exchange", "rabbit:amqp");
    assertThat(noPort.host).isEqualTo("rabbit");
    assertThat(noPort.port).isEqualTo(-1);
    assertThat(noPort.integration).isEqualTo("rabbitmq://rabbit");
  }

  @Test
  void theCacheKeepsNoLongDestinationButWorksItOut() {
    MessageTarget.Cache cache = new MessageTarget.Cache(4, CATALOG);
    String destination = "q".repeat(MessageTarget.Cache.MAX_CACHED_NAME + 1);
    MessageTarget first = cache.find("kafka", destination, "topic", "b:1");
    assertThat(first.operation).isEqualTo("send " + destination);
    assertThat(cache.find("kafka", destination, "topic", "b:1")).isNotSameAs(first);
  }
}
