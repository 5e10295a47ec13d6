package dev.seamwatch.testapps.messaging.jms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.JMSContext;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.TextMessage;

/**
 * A real javax.jms producer on ActiveMQ Artemis: {@code JavaxJmsApp <broker url> <queue>} sends a
 * text message with a producer bound to the queue, a bytes message through an unbound producer, and
 * a text message through {@code JMSProducer}; then consumes the queue, printing each body and its
 * property names other than {@code traceparent}. One line per step, the same with and without the
 * agent. {@link JakartaJmsApp} does the same with jakarta.jms.
 */
public final class JavaxJmsApp {

  public static void main(String[] args) throws Exception {
    // By name: the javax client's factory has the same class name as the jakarta client's, which
    // this module compiles against; it runs on the javax client (module jms-javax-app).
    ConnectionFactory factory =
        (ConnectionFactory)
            Class.forName("org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory")
                .getConstructor(String.class)
                .newInstance(args[0]);
    try (Connection connection = factory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(args[1]);
      try (MessageProducer producer = session.createProducer(queue)) {
        TextMessage text = session.createTextMessage("{\"id\":1}");
        text.setStringProperty("app", "1");
        producer.send(text);
        System.out.println("text sent");
      }
      try (MessageProducer unbound = session.createProducer(null)) {
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[64]);
        unbound.send(queue, bytes);
        System.out.println("bytes sent");
      }
      try (JMSContext context = factory.createContext()) {
        context.createProducer().send(context.createQueue(args[1]), "from JMSProducer");
        System.out.println("jmsproducer sent");
      }
      connection.start();
      List<String> seen = new ArrayList<>();
      List<String> contexts = new ArrayList<>();
      try (MessageConsumer consumer = session.createConsumer(queue)) {
        Message message;
        while ((message = consumer.receive(2000)) != null) {
          List<String> names = new ArrayList<>();
          for (Object name : Collections.list(message.getPropertyNames())) {
            // The provider's own JMSX* properties, and what an agent adds, are left out.
            if (!name.equals("traceparent") && !((String) name).startsWith("JMSX")) {
              names.add((String) name);
            }
          }
          Collections.sort(names);
          String body =
              message instanceof TextMessage
                  ? ((TextMessage) message).getText()
                  : "bytes:" + ((BytesMessage) message).getBodyLength();
          seen.add(body + names);
          contexts.add(message.getStringProperty("traceparent"));
        }
      }
      System.out.println("consumed " + seen);
      // What an agent added, if any: the only line that differs with one.
      System.out.println("traceparents " + contexts);
    }
  }
}
