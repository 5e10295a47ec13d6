package dev.seamwatch.testapps.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka producer application: {@code KafkaApp <bootstrap servers> scenario=topic ...},
 * printing one line per scenario, the same with and without the agent.
 *
 * <ul>
 *   <li>{@code sync}: {@code send(record).get()}; {@code async}: {@code send(record, callback)},
 *       the callback counted and its thread's name printed (by prefix);
 *   <li>{@code too-large}: a 2 MB value, over the default {@code max.request.size} of 1 MB;
 *   <li>{@code resend}: the same {@code ProducerRecord} object sent twice;
 *   <li>{@code consume}: reads the topic from the start and prints each value and its header keys
 *       other than {@code traceparent} (what the agent adds), in order.
 * </ul>
 */
public final class KafkaApp {

  public static void main(String[] args) throws Exception {
    String servers = args[0];
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-app");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // A producer that risks data, for the readiness findings: -Dkafka.acks=0.
    if (System.getProperty("kafka.acks") != null) {
      config.put(ProducerConfig.ACKS_CONFIG, System.getProperty("kafka.acks"));
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
      config.put(ProducerConfig.RETRIES_CONFIG, "0");
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int i = 1; i < args.length; i++) {
        int eq = args[i].indexOf('=');
        String scenario = args[i].substring(0, eq);
        String topic = args[i].substring(eq + 1);
        String outcome;
        try {
          outcome = run(producer, servers, scenario, topic);
        } catch (ExecutionException e) {
          outcome = "failed " + e.getCause().getClass().getName();
        } catch (Exception e) {
          outcome = "failed " + e.getClass().getName();
        }
        System.out.println(scenario + " " + outcome);
      }
    }
  }

  private static String run(
      KafkaProducer<String, String> producer, String servers, String scenario, String topic)
      throws Exception {
    switch (scenario) {
      case "sync":
        {
          RecordMetadata metadata =
              producer
                  .send(new ProducerRecord<>(topic, "order-1", "{\"id\":1}"))
                  .get(10, TimeUnit.SECONDS);
          return "ok partition=" + metadata.partition();
        }
      case "async":
        {
          CountDownLatch done = new CountDownLatch(1);
          AtomicInteger calls = new AtomicInteger();
          String[] thread = new String[1];
          Exception[] failure = new Exception[1];
          producer.send(
              new ProducerRecord<>(topic, "order-2", "{\"id\":2,\"items\":[1,2,3]}"),
              (metadata, exception) -> {
                calls.incrementAndGet();
                thread[0] = Thread.currentThread().getName();
                failure[0] = exception;
                done.countDown();
              });
          if (!done.await(10, TimeUnit.SECONDS)) {
            return "no callback";
          }
          Thread.sleep(200);
          return (failure[0] == null ? "ok" : "failed " + failure[0].getClass().getName())
              + " callbacks="
              + calls.get()
              + " thread="
              + (thread[0].startsWith("kafka-producer-network-thread")
                  ? "producer-network"
                  : thread[0]);
        }
      case "too-large":
        {
          CountDownLatch done = new CountDownLatch(1);
          AtomicInteger calls = new AtomicInteger();
          String big = "x".repeat(2 * 1024 * 1024);
          try {
            producer
                .send(
                    new ProducerRecord<>(topic, "big", big),
                    (metadata, exception) -> {
                      calls.incrementAndGet();
                      done.countDown();
                    })
                .get(10, TimeUnit.SECONDS);
            return "sent";
          } catch (ExecutionException e) {
            done.await(10, TimeUnit.SECONDS);
            return "failed " + e.getCause().getClass().getName() + " callbacks=" + calls.get();
          }
        }
      case "near-limit":
        {
          // 900 KiB: accepted, but within 20% of max.request.size (1 MiB by default).
          RecordMetadata metadata =
              producer
                  .send(new ProducerRecord<>(topic, "near", "y".repeat(900 * 1024)))
                  .get(10, TimeUnit.SECONDS);
          return "ok partition=" + metadata.partition();
        }
      case "resend":
        {
          ProducerRecord<String, String> record = new ProducerRecord<>(topic, "order-3", "again");
          producer.send(record).get(10, TimeUnit.SECONDS);
          producer.send(record).get(10, TimeUnit.SECONDS);
          return "ok";
        }
      case "consume":
        return consume(servers, topic);
      default:
        return "unknown scenario";
    }
  }

  private static String consume(String servers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-app-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline && seen.size() < 4) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          List<String> headers = new ArrayList<>();
          for (Header header : record.headers()) {
            if (!header.key().equals("traceparent")) {
              headers.add(header.key());
            }
          }
          seen.add(record.key() + ":" + record.value() + headers);
        }
      }
    }
    return seen.toString();
  }
}
