package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.MessageSend;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message being sent. Current on the sending thread while the client's send method runs (so
 * that the client's own network calls, and a nested send of a wrapping producer, make no span), and
 * ended once, on whichever thread learns the broker's answer.
 */
final class MessageCall implements MessageSend {

  static final AttributeKey<Long> KAFKA_RECORD_SIZE =
      AttributeKey.longKey("seamwatch.messaging.kafka.record.size");
  static final AttributeKey<Long> KAFKA_MAX_REQUEST_SIZE =
      AttributeKey.longKey("seamwatch.messaging.kafka.max_request_size");

  final Recorder recorder;
  final Span span;
  final Context context;

  /** The context current when the send started, for the application's callback. */
  final Context parent;

  final String system;
  final String destination;
  final String serverAddress;
  final long serverPort;
  final OperationStats stats;

  /** The catalog's entry for the call's integration, or null when the catalog names none. */
  volatile dev.seamwatch.agent.catalog.Integration entry;

  /** {@link System#nanoTime()} at the start, which the span's start time was taken from too. */
  final long startNanos;

  volatile long bodySize = -1;

  /**
   * A message whose size its adapter could not read when the send started (a JMS bytes message is
   * write-only until the provider resets it for sending): read again when the send ends.
   */
  volatile Object unsizedMessage;

  volatile MessagingAdapter sizer;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final OwnedScope scope;
  private String[] headers;

  MessageCall(
      Recorder recorder,
      Span span,
      Context parent,
      String system,
      String destination,
      String serverAddress,
      long serverPort,
      OperationStats stats,
      long startNanos) {
    this.recorder = recorder;
    this.startNanos = startNanos;
    this.span = span;
    this.parent = parent;
    this.context =
        parent.with(span).with(Recorder.CALL_KIND, Recorder.MESSAGING).with(Recorder.MESSAGE, this);
    this.system = system;
    this.destination = destination;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.stats = stats;
    this.scope = new OwnedScope(context);
  }

  @Override
  public String[] propagationHeaders() {
    if (headers == null) {
      headers = recorder.propagationHeaders(context);
    }
    return headers;
  }

  @Override
  public void bind(Object key) {
    recorder.bindMessage(key, this);
  }

  @Override
  public void bind(Object key, long sequence) {
    recorder.bindMessage(key, sequence, this);
  }

  @Override
  public void bodySize(long bytes) {
    if (bytes >= 0) {
      bodySize = bytes;
    }
  }

  @Override
  public void attribute(String name, String value) {
    if (name != null && value != null && !ended.get()) {
      span.setAttribute(name, value);
    }
  }

  @Override
  public void attribute(String name, long value) {
    if (name != null && !ended.get()) {
      span.setAttribute(name, value);
    }
  }

  /** The record's size and the client's limit, -1 until the client checked it. */
  volatile long recordSize = -1;

  volatile long recordLimit = -1;

  final Anomalies.Marks marks = new Anomalies.Marks();

  @Override
  public void recordSize(long size, long limit) {
    if (!ended.get()) {
      recordSize = size;
      recordLimit = limit;
      span.setAttribute(KAFKA_RECORD_SIZE, size);
      span.setAttribute(KAFKA_MAX_REQUEST_SIZE, limit);
    }
  }

  @Override
  public void readiness(String type) {
    try {
      if (type != null && !ended.get()) {
        recorder.readiness.report(span, stats.integration, type);
      }
    } catch (Throwable t) {
      recorder.internalFailure(t);
    }
  }

  @Override
  public AutoCloseable enterSendContext() {
    try {
      return parent.makeCurrent();
    } catch (Throwable t) {
      recorder.internalFailure(t);
      return null;
    }
  }

  @Override
  public void leave() {
    scope.close();
  }

  @Override
  public void end(Throwable error) {
    scope.close();
    if (ended.compareAndSet(false, true)) {
      recorder.endMessage(this, error, null);
    }
  }

  /** Ends with a failure the broker reported without an exception (a nack). */
  void fail(String errorType) {
    scope.close();
    if (ended.compareAndSet(false, true)) {
      recorder.endMessage(this, null, errorType);
    }
  }

  boolean ended() {
    return ended.get();
  }
}
