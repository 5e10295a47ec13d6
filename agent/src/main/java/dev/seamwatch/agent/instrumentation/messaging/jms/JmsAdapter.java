package dev.seamwatch.agent.instrumentation.messaging.jms;

import dev.seamwatch.agent.instrumentation.Reflective;
import dev.seamwatch.agent.recorder.MessagingAdapter;
import java.nio.charset.StandardCharsets;

/**
 * Reads JMS producers, destinations and messages, {@code javax.jms} and {@code jakarta.jms} alike,
 * through their public methods ({@link Reflective}): the two APIs are the same but for the package,
 * and the application may use either, or both.
 */
final class JmsAdapter implements MessagingAdapter {

  private static final ClassValue<Boolean> MESSAGES = named("Message");
  private static final ClassValue<Boolean> DESTINATIONS = named("Destination");

  private static ClassValue<Boolean> named(String simpleName) {
    return new ClassValue<Boolean>() {
      @Override
      protected Boolean computeValue(Class<?> type) {
        return Reflective.implementsNamed(type, "javax.jms." + simpleName)
            || Reflective.implementsNamed(type, "jakarta.jms." + simpleName);
      }
    };
  }

  @Override
  public Target target(Object producer, Object[] args) {
    Object message = null;
    Object destination = null;
    for (Object arg : args) {
      if (arg == null) {
        continue;
      }
      if (message == null && MESSAGES.get(arg.getClass())) {
        message = arg;
      } else if (destination == null && DESTINATIONS.get(arg.getClass())) {
        destination = arg;
      }
    }
    if (message == null) {
      return null;
    }
    try {
      if (destination == null) {
        destination = Reflective.invoke(producer, "getDestination");
      }
    } catch (ReflectiveOperationException | RuntimeException unknown) {
      destination = null;
    }
    String name = null;
    String kind = null;
    if (destination != null) {
      name = string(destination, "getQueueName");
      kind = name != null ? "queue" : null;
      if (name == null) {
        name = string(destination, "getTopicName");
        kind = name != null ? "topic" : null;
      }
    }
    return new Target("jms", name, kind, null, message);
  }

  @Override
  public void inject(Object message, String[] headers) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      try {
        Reflective.invoke(message, "setStringProperty", headers[i], headers[i + 1]);
      } catch (ReflectiveOperationException | RuntimeException readOnly) {
        // A message received and sent on is read-only: it goes without the context.
      }
    }
  }

  /** A text message's text in UTF-8, or a bytes message's length; -1 for other kinds. */
  @Override
  public long bodySize(Object message) {
    try {
      if (Reflective.has(message, "getText", 0)) {
        Object text = Reflective.invoke(message, "getText");
        return text == null ? 0 : ((String) text).getBytes(StandardCharsets.UTF_8).length;
      }
      if (Reflective.has(message, "getBodyLength", 0)) {
        return ((Number) Reflective.invoke(message, "getBodyLength")).longValue();
      }
    } catch (ReflectiveOperationException | RuntimeException unknown) {
      // Not known.
    }
    return -1;
  }

  private static String string(Object target, String method) {
    try {
      return Reflective.has(target, method, 0) ? (String) Reflective.invoke(target, method) : null;
    } catch (ReflectiveOperationException | RuntimeException unknown) {
      return null;
    }
  }
}
