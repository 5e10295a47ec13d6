package dev.seamwatch.agent.instrumentation.http.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.agent.instrumentation.LibraryRequirement;
import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.HttpClientCall;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * OkHttp 4.12 and 5.x ({@code okhttp3.internal.connection.RealCall} and {@code Exchange}, the same
 * in both; tested with 4.12.0 and 5.5.1). Earlier 4.x versions are not rewritten.
 *
 * <ul>
 *   <li>{@code RealCall.enqueue}: the call starts when the application enqueues it, so its duration
 *       is what the application waits, including the dispatcher's queue (OkHttp runs at most five
 *       calls per host at once by default, a classic source of latency).
 *   <li>{@code RealCall.getResponseWithInterceptorChain}, which both {@code execute} and the
 *       dispatcher's thread run: the call is current while the chain runs, and ends with its
 *       response or exception. The application's interceptors run inside it: a call one of them
 *       makes is nested and makes no span of its own.
 *   <li>{@code Exchange.writeRequestHeaders}: each request OkHttp puts on the wire for the call
 *       (the first, each redirect and retry) is replaced, for the write only, by a copy carrying
 *       the trace context. The application's {@code Request}, its interceptors and {@code
 *       response.request()} never see the header. Counting these writes gives {@code
 *       http.request.resend_count}: one span per logical call, as for every client.
 *   <li>{@code Exchange$ResponseBodySource}: made for each response inside the call (its body
 *       source, below decompression), then read and closed by the application: what its {@code
 *       read} appends to the application's buffer is copied out, never consumed, for the payload
 *       rules. A redirect's body, closed by OkHttp inside the call, is not judged.
 * </ul>
 *
 * <p>The advice names no OkHttp type and the adapter reads OkHttp reflectively: the agent's jar
 * carries its own copy of OkHttp (for OTLP over gRPC), relocated at build time, and the relocation
 * would rewrite any {@code okhttp3} type or name in the agent's classes into the copy's. For the
 * same reason the class names here are assembled at run time.
 */
public final class OkHttpInstrumentation extends NamedTypesInstrumentation {

  static final String NAME = "okhttp";

  /** "okhttp3", built so that the build's relocation of OkHttp does not rewrite it. */
  static final String PACKAGE = "okhttp".concat("3");

  public OkHttpInstrumentation() {
    super(
        NAME,
        "http-client",
        PACKAGE + ".internal.connection.RealCall",
        PACKAGE + ".internal.connection.Exchange",
        BODY_SOURCE);
  }

  /** The source a response body is read from, below any decompression. */
  private static final String BODY_SOURCE =
      PACKAGE + ".internal.connection.Exchange$ResponseBodySource";

  @Override
  public Set<String> markerNames() {
    return Set.of(PACKAGE + ".OkHttpClient");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    String call = PACKAGE + ".internal.connection.RealCall";
    return List.of(
        LibraryRequirement.method(call, "enqueue", PACKAGE + ".Callback"),
        LibraryRequirement.method(
            call,
            nameStartsWith("getResponseWithInterceptorChain").and(takesArguments(0)),
            "getResponseWithInterceptorChain()"),
        LibraryRequirement.method(
            PACKAGE + ".internal.connection.Exchange",
            "writeRequestHeaders",
            PACKAGE + ".Request"));
  }

  @Override
  public String supportedVersions() {
    return "OkHttp 4.12 to 5.x (tested with 4.12.0 and 5.5.1)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            Advice.to(QueueAdvice.class)
                .on(
                    isPublic()
                        .and(named("enqueue"))
                        .and(takesArguments(1))
                        .and(takesArgument(0, named(PACKAGE + ".Callback")))))
        .visit(
            Advice.to(RunAdvice.class)
                .on(nameStartsWith("getResponseWithInterceptorChain").and(takesArguments(0))))
        .visit(
            // The argument is replaced (typing DYNAMIC): only ever on a method taking a Request.
            Advice.to(AttemptAdvice.class)
                .on(
                    isPublic()
                        .and(named("writeRequestHeaders"))
                        .and(takesArguments(1))
                        .and(takesArgument(0, named(PACKAGE + ".Request")))))
        .visit(
            Advice.to(BodySourceAdvice.class)
                .on(isConstructor().and(isDeclaredBy(named(BODY_SOURCE)))))
        .visit(
            Advice.to(BodyReadAdvice.class)
                .on(
                    named("read")
                        .and(takesArguments(2))
                        .and(takesArgument(1, long.class))
                        .and(isDeclaredBy(named(BODY_SOURCE)))))
        .visit(
            Advice.to(BodyCloseAdvice.class)
                .on(named("close").and(takesArguments(0)).and(isDeclaredBy(named(BODY_SOURCE)))));
  }

  @Override
  public HttpClientAdapter httpAdapter() {
    return new OkHttpAdapter();
  }

  public static final class QueueAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object call) {
      Bridge.recorder().queueHttpClient("okhttp", call);
    }
  }

  public static final class RunAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpClientCall enter(@Advice.This Object call) {
      return Bridge.recorder().runHttpClient("okhttp", call);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter HttpClientCall call,
        @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      if (call != null) {
        call.end(response, error);
      }
    }
  }

  public static final class AttemptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Object request) {
      request = Bridge.recorder().httpAttempt(request);
    }
  }

  public static final class BodySourceAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object source) {
      // The status is not known here; the call's end gives it.
      Bridge.recorder().httpResponseBody(source, 0);
    }
  }

  public static final class BodyReadAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(@Advice.This Object source, @Advice.Argument(0) Object sink) {
      return Bridge.recorder().bodyBufferMark(source, sink);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object source,
        @Advice.Argument(0) Object sink,
        @Advice.Enter long mark,
        @Advice.Return long n,
        @Advice.Thrown Throwable error) {
      if (error == null && mark >= 0) {
        Bridge.recorder().bodyReadInto(source, sink, mark, n);
      }
    }
  }

  public static final class BodyCloseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object source) {
      Bridge.recorder().bodyClosed(source);
    }
  }
}
