package dev.seamwatch.agent.instrumentation.messaging.kafka;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.agent.instrumentation.LibraryAdvice;
import dev.seamwatch.agent.instrumentation.LibraryRequirement;
import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.agent.recorder.Readiness;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.MessageSend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka producers ({@code org.apache.kafka:kafka-clients} 3.3 to 4.x): one PRODUCER span per
 * record, from {@code KafkaProducer.send} to the broker's acknowledgement.
 *
 * <ul>
 *   <li>{@code send(ProducerRecord, Callback)} (the one-argument {@code send} delegates to it):
 *       starts the send, current while {@code send} runs; puts {@code traceparent} in the record's
 *       headers, replacing one a re-sent record already carries; ends it if {@code send} throws
 *       (serialization, a full buffer) or returns a failed future (a record over {@code
 *       max.request.size}, metadata not available in {@code max.block.ms}: the producer hands these
 *       to the application's callback itself, not through {@code AppendCallbacks}).
 *   <li>{@code KafkaProducer.AppendCallbacks}, which {@code send} creates first for each record and
 *       which the producer calls exactly once with the outcome (acknowledged, or failed: record too
 *       large, delivery timeout, authorization...): its constructor ties it to the send, and its
 *       {@code onCompletion} ends the send, before the application's callback runs, with the
 *       partition, the offset and the serialized sizes. The callback then runs in the context the
 *       send was made in.
 *   <li>{@code ensureValidRecordSize}: the record's size as the producer estimates it, compared
 *       with {@code max.request.size}.
 * </ul>
 *
 * Keys, values and header values are never read, except to count their serialized bytes.
 */
public final class KafkaProducerInstrumentation extends NamedTypesInstrumentation {

  private static final String PRODUCER = "org.apache.kafka.clients.producer.KafkaProducer";
  private static final String CALLBACKS = PRODUCER + "$AppendCallbacks";
  private static final String PREFIX =
      "dev.seamwatch.agent.instrumentation.messaging.kafka.KafkaProducerInstrumentation$";

  public KafkaProducerInstrumentation() {
    super("kafka", "messaging", PRODUCER, CALLBACKS);
  }

  @Override
  public Set<String> markerNames() {
    return Set.of("org.apache.kafka.clients.producer.Producer");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    return List.of(
        LibraryRequirement.method(
            PRODUCER,
            "send",
            "org.apache.kafka.clients.producer.ProducerRecord",
            "org.apache.kafka.clients.producer.Callback"),
        LibraryRequirement.method(PRODUCER, "ensureValidRecordSize", "int"),
        LibraryRequirement.field(
            PRODUCER, "producerConfig", "org.apache.kafka.clients.producer.ProducerConfig"),
        LibraryRequirement.field(PRODUCER, "clientId", "java.lang.String"),
        LibraryRequirement.field(PRODUCER, "maxRequestSize", "int"),
        LibraryRequirement.method(CALLBACKS, isConstructor(), "a constructor"),
        LibraryRequirement.method(
            CALLBACKS,
            "onCompletion",
            "org.apache.kafka.clients.producer.RecordMetadata",
            "java.lang.Exception"));
  }

  @Override
  public String supportedVersions() {
    return "kafka-clients 3.3 to 4.4 (tested with 3.3.2 and 4.4.0)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            LibraryAdvice.to(PREFIX + "SendAdvice", target)
                .on(named("send").and(takesArguments(2)).and(isDeclaredBy(named(PRODUCER)))))
        .visit(
            LibraryAdvice.to(PREFIX + "RecordSizeAdvice", target)
                .on(
                    named("ensureValidRecordSize")
                        .and(takesArguments(1))
                        .and(isDeclaredBy(named(PRODUCER)))))
        .visit(
            LibraryAdvice.to(PREFIX + "CallbacksAdvice", target)
                .on(isConstructor().and(isDeclaredBy(named(CALLBACKS)))))
        .visit(
            LibraryAdvice.to(PREFIX + "CompletionAdvice", target)
                .on(
                    named("onCompletion")
                        .and(takesArguments(2))
                        .and(isDeclaredBy(named(CALLBACKS)))));
  }

  public static final class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static MessageSend enter(
        @Advice.Argument(0) ProducerRecord<?, ?> record,
        @Advice.FieldValue("producerConfig") ProducerConfig config,
        @Advice.FieldValue("clientId") String clientId) {
      if (record == null) {
        return null;
      }
      List<String> servers = config == null ? null : config.getList("bootstrap.servers");
      MessageSend send =
          Bridge.recorder()
              .startMessageSend(
                  "kafka",
                  "kafka",
                  record.topic(),
                  "topic",
                  servers == null || servers.isEmpty() ? null : servers.get(0));
      if (send == null) {
        return null;
      }
      // Nothing below may throw out of the advice: the send is current on this thread now.
      try {
        send.attribute("messaging.client.id", clientId);
        // Settings that lose or reorder data, checked once per producer. originals() is a
        // copy: only read here, never per send. (The names are compile-time constants: inlined,
        // so the advice refers to no agent class.)
        if (config != null && Bridge.recorder().firstSeen(config)) {
          if ("0".equals(config.getString("acks"))) {
            send.readiness(Readiness.KAFKA_ACKS_0);
          }
          if (config.getInt("retries") == 0) {
            send.readiness(Readiness.KAFKA_RETRIES_DISABLED);
          }
          if (config.originals().containsKey("enable.idempotence")
              && !config.getBoolean("enable.idempotence")) {
            send.readiness(Readiness.KAFKA_IDEMPOTENCE_DISABLED);
          }
        }
        Headers headers = record.headers();
        String[] context = send.propagationHeaders();
        for (int i = 0; i + 1 < context.length; i += 2) {
          // A record sent again carries the first send's header: replaced, not duplicated.
          headers.remove(context[i]);
          headers.add(context[i], context[i + 1].getBytes(StandardCharsets.UTF_8));
        }
      } catch (Throwable readOnly) {
        // Headers are made read-only by the first send of a record: it is sent without ours.
      }
      return send;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter MessageSend send,
        @Advice.Return Future<?> future,
        @Advice.Thrown Throwable error) {
      if (send == null) {
        return;
      }
      if (error != null) {
        send.end(error);
        return;
      }
      // A failure send catches itself (a record too large, metadata not available in
      // max.block.ms) reaches the application's callback directly and comes back as a failed
      // future: it ends the send here. A future done with success was acknowledged already.
      if (future != null && future.isDone()) {
        try {
          future.get();
        } catch (ExecutionException failed) {
          send.end(failed.getCause() != null ? failed.getCause() : failed);
          return;
        } catch (Throwable other) {
          send.end(other);
          return;
        }
      }
      send.leave();
    }
  }

  public static final class CallbacksAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object callbacks) {
      MessageSend send = Bridge.recorder().currentMessageSend();
      if (send != null) {
        send.bind(callbacks);
      }
    }
  }

  public static final class RecordSizeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) int size, @Advice.FieldValue("maxRequestSize") int maxRequestSize) {
      MessageSend send = Bridge.recorder().currentMessageSend();
      if (send != null) {
        send.recordSize(size, maxRequestSize);
      }
    }
  }

  public static final class CompletionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static AutoCloseable enter(
        @Advice.This Object callbacks,
        @Advice.Argument(0) RecordMetadata metadata,
        @Advice.Argument(1) Exception error) {
      MessageSend send = Bridge.recorder().takeMessageSend(callbacks);
      if (send == null) {
        return null;
      }
      try {
        if (metadata != null) {
          if (metadata.partition() >= 0) {
            send.attribute(
                "messaging.destination.partition.id", Integer.toString(metadata.partition()));
          }
          if (metadata.hasOffset()) {
            send.attribute("messaging.kafka.offset", metadata.offset());
          }
          send.bodySize(metadata.serializedValueSize());
          if (metadata.serializedKeySize() >= 0) {
            send.attribute("seamwatch.messaging.kafka.key.size", metadata.serializedKeySize());
          }
        }
      } finally {
        send.end(error);
      }
      // The application's callback, which onCompletion runs next, runs in the context its send
      // was made in, not in the producer thread's.
      return send.enterSendContext();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter AutoCloseable sendContext) throws Exception {
      if (sendContext != null) {
        sendContext.close();
      }
    }
  }
}
