package dev.seamwatch.agent.instrumentation.http;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What the application reads from a client's response body stream, for the payload rules: {@code
 * read(byte[], int, int)}, {@code read()} and {@code close()} of the client's own stream classes
 * tell the recorder what passed, after the fact. The advice names no client type, so it serves
 * every client whose body is an {@code InputStream}; the recorder ignores streams it was not told
 * of.
 */
public final class BodyStreamAdvice {

  private BodyStreamAdvice() {}

  /** Hooks the three methods where {@code streams} declares them. */
  public static DynamicType.Builder<?> visit(
      DynamicType.Builder<?> builder, ElementMatcher<? super TypeDescription> streams) {
    return builder
        .visit(
            Advice.to(ReadBytesAdvice.class)
                .on(
                    named("read")
                        .and(takesArguments(byte[].class, int.class, int.class))
                        .and(isDeclaredBy(streams))))
        .visit(
            Advice.to(ReadByteAdvice.class)
                .on(named("read").and(takesArguments(0)).and(isDeclaredBy(streams))))
        .visit(
            Advice.to(CloseAdvice.class)
                .on(named("close").and(takesArguments(0)).and(isDeclaredBy(streams))));
  }

  public static final class ReadBytesAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object stream,
        @Advice.Argument(0) byte[] b,
        @Advice.Argument(1) int off,
        @Advice.Return int n,
        @Advice.Thrown Throwable error) {
      if (error == null) {
        Bridge.recorder().bodyRead(stream, b, off, n);
      }
    }
  }

  public static final class ReadByteAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object stream, @Advice.Return int value, @Advice.Thrown Throwable error) {
      if (error == null) {
        Bridge.recorder().bodyReadByte(stream, value);
      }
    }
  }

  public static final class CloseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object stream) {
      Bridge.recorder().bodyClosed(stream);
    }
  }
}
