package dev.seamwatch.testapps.messaging.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A real jakarta.jms producer on ActiveMQ Artemis: {@code JakartaJmsApp <broker url> <queue>} sends
 * a text message with a producer bound to the queue, a bytes message through an unbound producer,
 * and a text message through {@code JMSProducer}; then consumes the queue, printing each body and
 * its property names other than {@code traceparent}. One line per step, the same with and without
 * the agent. {@link JavaxJmsApp} does the same with javax.jms.
 */
public final class JakartaJmsApp {

  public static void main(String[] args) throws Exception {
    try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(args[0]);
        Connection connection = factory.createConnection()) {
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
