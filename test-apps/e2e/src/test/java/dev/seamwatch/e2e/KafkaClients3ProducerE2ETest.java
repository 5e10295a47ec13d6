package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** {@link KafkaProducerE2ETest} on kafka-clients 3.3.2, the oldest version supported. */
class KafkaClients3ProducerE2ETest extends KafkaProducerE2ETest {

  @Override
  List<String> classpath() {
    return ChildJvm.kafka3AppClasspath();
  }
}
