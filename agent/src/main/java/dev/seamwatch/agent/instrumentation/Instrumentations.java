package dev.seamwatch.agent.instrumentation;

import dev.seamwatch.agent.instrumentation.http.apache4.ApacheHttpClient4Instrumentation;
import dev.seamwatch.agent.instrumentation.http.apache5.ApacheHttpAsyncClient5Instrumentation;
import dev.seamwatch.agent.instrumentation.http.apache5.ApacheHttpClient5Instrumentation;
import dev.seamwatch.agent.instrumentation.http.jdkclient.JdkHttpClientInstrumentation;
import dev.seamwatch.agent.instrumentation.http.okhttp.OkHttpInstrumentation;
import dev.seamwatch.agent.instrumentation.http.urlconnection.HttpUrlConnectionInstrumentation;
import dev.seamwatch.agent.instrumentation.jdbc.JdbcConnectionInstrumentation;
import dev.seamwatch.agent.instrumentation.jdbc.JdbcDataSourceInstrumentation;
import dev.seamwatch.agent.instrumentation.jdbc.JdbcDriverInstrumentation;
import dev.seamwatch.agent.instrumentation.jdbc.JdbcResultSetInstrumentation;
import dev.seamwatch.agent.instrumentation.jdbc.JdbcStatementInstrumentation;
import dev.seamwatch.agent.instrumentation.messaging.jms.JmsProducerInstrumentation;
import dev.seamwatch.agent.instrumentation.messaging.kafka.KafkaProducerInstrumentation;
import dev.seamwatch.agent.instrumentation.messaging.rabbitmq.RabbitMqPublishInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every instrumentation Seamwatch has, in one list anyone can grep. */
public final class Instrumentations {

  private Instrumentations() {}

  public static List<ClientInstrumentation> all() {
    return Collections.unmodifiableList(
        Arrays.<ClientInstrumentation>asList(
            new JdkHttpClientInstrumentation(),
            new HttpUrlConnectionInstrumentation(),
            new ApacheHttpClient5Instrumentation(),
            new ApacheHttpAsyncClient5Instrumentation(),
            new ApacheHttpClient4Instrumentation(),
            new OkHttpInstrumentation(),
            new JdbcConnectionInstrumentation(),
            new JdbcStatementInstrumentation(),
            new JdbcResultSetInstrumentation(),
            new JdbcDataSourceInstrumentation(),
            new JdbcDriverInstrumentation(),
            new KafkaProducerInstrumentation(),
            new RabbitMqPublishInstrumentation(),
            new JmsProducerInstrumentation()));
  }
}
