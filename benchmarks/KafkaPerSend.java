import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Per-send cost of Kafka async sends ({@code acks=1}, loopback broker): rounds of 5,000 sends with
 * a callback each, waiting for every acknowledgement; prints the best round's microseconds per send.
 *
 * <p>{@code java KafkaPerSend <bootstrap servers> <topic>}
 */
public final class KafkaPerSend {

  private static final int SENDS = 5_000;

  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put("bootstrap.servers", args[0]);
    config.put("acks", "1");
    config.put("linger.ms", "1");
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    String value = "{\"id\":1,\"items\":[1,2,3],\"note\":\"" + "x".repeat(200) + "\"}";
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int warm = 0; warm < 3; warm++) {
        round(producer, args[1], value);
      }
      double best = Double.MAX_VALUE;
      for (int r = 0; r < 5; r++) {
        best = Math.min(best, round(producer, args[1], value));
      }
      System.out.printf(java.util.Locale.ROOT, "kafka=%.2f%n", best);
    }
  }

  private static double round(KafkaProducer<String, String> producer, String topic, String value)
      throws InterruptedException {
    CountDownLatch acked = new CountDownLatch(SENDS);
    long start = System.nanoTime();
    for (int i = 0; i < SENDS; i++) {
      producer.send(
          new ProducerRecord<>(topic, "key-" + (i % 100), value),
          (metadata, error) -> acked.countDown());
    }
    if (!acked.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("acknowledgements missing: " + acked.getCount());
    }
    return (System.nanoTime() - start) / 1000.0 / SENDS;
  }
}
