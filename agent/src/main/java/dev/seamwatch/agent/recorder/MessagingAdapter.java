package dev.seamwatch.agent.recorder;

/**
 * Reads one messaging client's objects for the recorder, for clients whose advice hands over
 * objects instead of facts (JMS: one API in two packages, {@code javax.jms} and {@code
 * jakarta.jms}, read reflectively by one adapter).
 */
public interface MessagingAdapter {

  /** What a send is about. {@code message} is the object that carries the context, or null. */
  final class Target {
    public final String system;
    public final String destination;
    public final String destinationKind;
    public final String server;
    public final Object message;

    public Target(
        String system, String destination, String destinationKind, String server, Object message) {
      this.system = system;
      this.destination = destination;
      this.destinationKind = destinationKind;
      this.server = server;
      this.message = message;
    }
  }

  /** The send made by {@code client} (a producer) with the arguments of its send method. */
  Target target(Object client, Object[] args);

  /** Sets the trace-context headers on the message, if it can take them. */
  void inject(Object message, String[] headers);

  /** Bytes of the message body, or -1 when not known. */
  long bodySize(Object message);
}
