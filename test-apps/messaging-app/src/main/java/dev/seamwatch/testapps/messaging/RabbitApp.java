package dev.seamwatch.testapps.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A real RabbitMQ publisher: {@code RabbitApp <amqp uri> scenario=queue ...}, one line per
 * scenario, the same with and without the agent. Messages go through the default exchange to the
 * named queue, which the app declares (non-durable, auto-deleted at the broker's restart).
 *
 * <ul>
 *   <li>{@code publish}: with properties carrying a header of the application's, no confirms; the
 *       line shows the headers the application's properties object holds afterwards;
 *   <li>{@code confirmed}: on a channel with publisher confirms, waiting for them;
 *   <li>{@code nacked}: two messages to a queue that holds one and rejects what overflows ({@code
 *       x-overflow=reject-publish}): the second is nacked;
 *   <li>{@code missing-exchange}: with confirms, to an exchange that does not exist (here the
 *       argument names the exchange): the broker closes the channel;
 *   <li>{@code consume}: gets every message of the queue, printing body and header names other than
 *       {@code traceparent}.
 * </ul>
 */
public final class RabbitApp {

  public static void main(String[] args) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(args[0]);
    try (Connection connection = factory.newConnection()) {
      for (int i = 1; i < args.length; i++) {
        int eq = args[i].indexOf('=');
        String scenario = args[i].substring(0, eq);
        String queue = args[i].substring(eq + 1);
        String outcome;
        try (Channel channel = connection.createChannel()) {
          outcome = run(channel, scenario, queue);
        } catch (Exception e) {
          outcome = "failed " + e.getClass().getName();
        }
        System.out.println(scenario + " " + outcome);
      }
    }
  }

  private static String run(Channel channel, String scenario, String queue) throws Exception {
    switch (scenario) {
      case "publish":
        {
          channel.queueDeclare(queue, false, false, false, null);
          AMQP.BasicProperties props =
              new AMQP.BasicProperties.Builder()
                  .contentType("application/json")
                  .headers(Map.of("app", "1"))
                  .build();
          channel.basicPublish("", queue, props, "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
          return "ok headers=" + props.getHeaders().keySet();
        }
      case "confirmed":
        {
          channel.queueDeclare(queue, false, false, false, null);
          channel.confirmSelect();
          channel.basicPublish("", queue, null, "confirmed".getBytes(StandardCharsets.UTF_8));
          return "ok confirmed=" + channel.waitForConfirms(5000);
        }
      case "nacked":
        {
          channel.queueDeclare(
              queue,
              false,
              false,
              false,
              Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
          channel.confirmSelect();
          channel.basicPublish("", queue, null, "first".getBytes(StandardCharsets.UTF_8));
          channel.waitForConfirms(5000);
          channel.basicPublish("", queue, null, "second".getBytes(StandardCharsets.UTF_8));
          return "ok confirmed=" + channel.waitForConfirms(5000);
        }
      case "missing-exchange":
        {
          channel.confirmSelect();
          channel.basicPublish(queue, "nowhere", null, "lost".getBytes(StandardCharsets.UTF_8));
          return "ok confirmed=" + channel.waitForConfirms(5000);
        }
      case "consume":
        {
          List<String> seen = new ArrayList<>();
          GetResponse response;
          while ((response = channel.basicGet(queue, true)) != null) {
            TreeSet<String> headers = new TreeSet<>();
            if (response.getProps().getHeaders() != null) {
              headers.addAll(response.getProps().getHeaders().keySet());
            }
            headers.remove("traceparent");
            seen.add(new String(response.getBody(), StandardCharsets.UTF_8) + headers);
          }
          return seen.toString();
        }
      default:
        return "unknown scenario";
    }
  }
}
