package dev.seamwatch.agent.instrumentation.messaging.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.seamwatch.agent.instrumentation.LibraryAdvice;
import dev.seamwatch.agent.instrumentation.LibraryRequirement;
import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.MessageSend;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * RabbitMQ publishers ({@code com.rabbitmq:amqp-client} 5.x; {@code ChannelN}, behind every
 * channel, the auto-recovering one included): one PRODUCER span per {@code basicPublish}, every
 * overload.
 *
 * <ul>
 *   <li>The outermost {@code basicPublish} starts the send (the overloads call each other; the
 *       inner ones see a send current and stay quiet), and replaces the application's {@code
 *       BasicProperties} argument by a copy whose headers also hold {@code traceparent}: the
 *       application's object and its headers map are not touched.
 *   <li>Without publisher confirms, the send ends when {@code basicPublish} returns (the frame is
 *       written). With them ({@code confirmSelect}), it ends with the broker's ack or nack for its
 *       sequence number ({@code ChannelN.handleAckNack}, one or many at once); a nack is a failure,
 *       {@code error.type} {@code nack}. A channel that closes first (the broker closes it for a
 *       publish to a missing exchange) fails those still waiting with its shutdown signal.
 * </ul>
 */
public final class RabbitMqPublishInstrumentation extends NamedTypesInstrumentation {

  private static final String CHANNEL = "com.rabbitmq.client.impl.ChannelN";
  private static final String PREFIX =
      "dev.seamwatch.agent.instrumentation.messaging.rabbitmq.RabbitMqPublishInstrumentation$";

  public RabbitMqPublishInstrumentation() {
    super("rabbitmq", "messaging", CHANNEL);
  }

  @Override
  public Set<String> markerNames() {
    return Set.of("com.rabbitmq.client.ConnectionFactory");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    return List.of(
        LibraryRequirement.method(
            CHANNEL,
            "basicPublish",
            "java.lang.String",
            "java.lang.String",
            "boolean",
            "boolean",
            "com.rabbitmq.client.AMQP$BasicProperties",
            "byte[]"),
        LibraryRequirement.method(CHANNEL, "handleAckNack", "long", "boolean", "boolean"),
        LibraryRequirement.field(CHANNEL, "nextPublishSeqNo", "long"));
  }

  @Override
  public String supportedVersions() {
    return "amqp-client 5.x (tested with 5.37.1)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            LibraryAdvice.to(PREFIX + "PublishAdvice", target)
                .on(isPublic().and(named("basicPublish")).and(isDeclaredBy(named(CHANNEL)))))
        .visit(
            LibraryAdvice.to(PREFIX + "ShutdownAdvice", target)
                .on(
                    named("processShutdownSignal")
                        .and(takesArguments(3))
                        .and(isDeclaredBy(named(CHANNEL)))))
        .visit(
            LibraryAdvice.to(PREFIX + "ConfirmAdvice", target)
                .on(
                    named("handleAckNack")
                        .and(takesArguments(3))
                        .and(isDeclaredBy(named(CHANNEL)))));
  }

  public static final class PublishAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static MessageSend enter(
        @Advice.This Channel channel,
        @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args,
        @Advice.FieldValue("nextPublishSeqNo") long sequence) {
      if (args.length < 4 || !(args[0] instanceof String)) {
        return null;
      }
      String exchange = (String) args[0];
      Connection connection = channel.getConnection();
      String server =
          connection == null || connection.getAddress() == null
              ? null
              : connection.getAddress().getHostAddress() + ":" + connection.getPort();
      MessageSend send =
          Bridge.recorder()
              .startMessageSend(
                  "rabbitmq",
                  "rabbitmq",
                  exchange.isEmpty() ? "amq.default" : exchange,
                  "exchange",
                  server);
      if (send == null) {
        return null;
      }
      // Nothing below may throw out of the advice: the send is current on this thread now.
      try {
        send.attribute("messaging.rabbitmq.destination.routing_key", (String) args[1]);
        int props = args.length == 4 ? 2 : args.length == 5 ? 3 : 4;
        Object body = args[props + 1];
        send.bodySize(
            body instanceof byte[]
                ? ((byte[]) body).length
                : body instanceof ByteBuffer ? ((ByteBuffer) body).remaining() : -1);
        if (sequence > 0) {
          // Publisher confirms are on: this publish will be confirmed as `sequence`.
          send.bind(channel, sequence);
        }
        AMQP.BasicProperties original =
            args[props] instanceof AMQP.BasicProperties ? (AMQP.BasicProperties) args[props] : null;
        Map<String, Object> headers =
            original == null || original.getHeaders() == null
                ? new HashMap<String, Object>()
                : new HashMap<String, Object>(original.getHeaders());
        String[] context = send.propagationHeaders();
        for (int i = 0; i + 1 < context.length; i += 2) {
          headers.put(context[i], context[i + 1]);
        }
        AMQP.BasicProperties.Builder copy =
            original == null ? new AMQP.BasicProperties.Builder() : original.builder();
        Object[] replaced = args.clone();
        replaced[props] = copy.headers(headers).build();
        args = replaced;
      } catch (Throwable unexpected) {
        // The message goes as the application made it.
      }
      return send;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter MessageSend send,
        @Advice.FieldValue("nextPublishSeqNo") long sequence,
        @Advice.Thrown Throwable error) {
      if (send == null) {
        return;
      }
      if (error != null || sequence == 0) {
        // Failed, or no publisher confirms: written is all the broker will say.
        send.end(error);
      } else {
        send.leave();
      }
    }
  }

  /** The channel closed (by the broker for an error, or by the application): no confirm comes. */
  public static final class ShutdownAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object channel, @Advice.Argument(0) Throwable cause) {
      Bridge.recorder().messagesUnconfirmed(channel, cause);
    }
  }

  public static final class ConfirmAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object channel,
        @Advice.Argument(0) long sequence,
        @Advice.Argument(1) boolean multiple,
        @Advice.Argument(2) boolean nack) {
      Bridge.recorder().messagesConfirmed(channel, sequence, multiple, nack);
    }
  }
}
