package dev.seamwatch.agent.instrumentation.messaging.jms;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import dev.seamwatch.agent.instrumentation.Reflective;
import dev.seamwatch.agent.recorder.MessagingAdapter;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.MessageSend;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * JMS producers, {@code javax.jms} and {@code jakarta.jms}: every {@code send} of any class
 * implementing {@code MessageProducer} (whatever the provider; {@code JMSProducer.send} goes
 * through the provider's producer). One PRODUCER span per outermost send, from the call to its
 * return: a synchronous send returns when the provider has handed the message over (for persistent
 * messages, when the broker acknowledged it). An asynchronous send (with a {@code
 * CompletionListener}) ends when the call returns, not with the listener. {@code traceparent} is
 * set as a string property of the message (JMS has no other place for it); a read-only message goes
 * without it. Tested with ActiveMQ Artemis's clients.
 *
 * <p>The advice names no JMS type, so that one instrumentation serves both packages; the adapter
 * reads the objects reflectively.
 */
public final class JmsProducerInstrumentation implements ClientInstrumentation {

  private static final String[] PRODUCERS = {
    "javax.jms.MessageProducer", "jakarta.jms.MessageProducer"
  };

  @Override
  public String name() {
    return "jms";
  }

  @Override
  public String family() {
    return "messaging";
  }

  @Override
  public Set<String> referencedPackages() {
    return Set.of("javax/jms/", "jakarta/jms/");
  }

  @Override
  public boolean matchesLoaded(Class<?> type) {
    return !type.isInterface()
        && (Reflective.implementsNamed(type, PRODUCERS[0])
            || Reflective.implementsNamed(type, PRODUCERS[1]));
  }

  @Override
  public ElementMatcher<TypeDescription> types() {
    return not(isInterface()).and(hasSuperType(namedOneOf(PRODUCERS)));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder.visit(Advice.to(SendAdvice.class).on(isPublic().and(named("send"))));
  }

  @Override
  public MessagingAdapter messagingAdapter() {
    return new JmsAdapter();
  }

  public static final class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static MessageSend enter(
        @Advice.This Object producer, @Advice.AllArguments Object[] args) {
      return Bridge.recorder().startMessageSend("jms", producer, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter MessageSend send, @Advice.Thrown Throwable error) {
      if (send != null) {
        send.end(error);
      }
    }
  }
}
