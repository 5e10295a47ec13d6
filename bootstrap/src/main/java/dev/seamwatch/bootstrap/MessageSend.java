package dev.seamwatch.bootstrap;

/**
 * One message being sent to a broker, from the application's send to the broker's answer. It ends
 * exactly once, whichever thread reports the outcome; later calls are ignored.
 */
public interface MessageSend {

  /** The trace-context headers to put on the message, as alternating names and values. */
  String[] propagationHeaders();

  /**
   * The outcome will be reported to {@code key}, an object of the client's that lives until the
   * broker answers (Kafka: the producer's per-record callback); {@link
   * CallRecorder#takeMessageSend} finds this send by it.
   */
  void bind(Object key);

  /**
   * The outcome will be a broker's confirmation of {@code sequence} on {@code key} (RabbitMQ
   * publisher confirms: the channel, and the publish sequence number); {@link
   * CallRecorder#messagesConfirmed} ends it.
   */
  void bind(Object key, long sequence);

  /** Bytes of the message body ({@code messaging.message.body.size}); negative: unknown. */
  void bodySize(long bytes);

  /** A fact the instrumentation read, under its semantic-convention name; null values ignored. */
  void attribute(String name, String value);

  /** A numeric fact the instrumentation read, under its semantic-convention name. */
  void attribute(String name, long value);

  /**
   * The size of the record as the client will send it, and the largest the client accepts (Kafka's
   * {@code max.request.size}), for the {@code near_limit} finding.
   */
  void recordSize(long size, long limit);

  /**
   * Makes the context that was current when the send started current on the calling thread (the
   * client's I/O thread, about to run the application's callback), so that the callback runs in the
   * application's original context. Close the returned scope after the callback; null when there is
   * nothing to restore.
   */
  AutoCloseable enterSendContext();

  /** Leaves the send method with the send still open: the broker's answer comes later. */
  void leave();

  /** Ends the send: acknowledged ({@code error} null) or failed. Closes its scope if open. */
  void end(Throwable error);

  /**
   * A risky setting of the producer that sends this message, such as {@code kafka_acks_0}: a
   * readiness finding of the message's integration (reported once per integration).
   */
  void readiness(String type);
}
