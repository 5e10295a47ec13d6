package dev.seamwatch.agent.instrumentation.http.jdkclient;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.HttpClientCall;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code java.net.http.HttpClient}: {@code send(HttpRequest, BodyHandler)}, {@code
 * sendAsync(HttpRequest, BodyHandler)} and {@code sendAsync(HttpRequest, BodyHandler,
 * PushPromiseHandler)} of the JDK's implementation, {@code jdk.internal.net.http.HttpClientImpl}
 * (the public facade delegates to it). Tested on JDK 17 and 25.
 *
 * <p>The two-argument {@code sendAsync} calls the three-argument one: the recorder's nesting rule
 * makes that one span. {@code send} goes through a private {@code sendAsync}, not hooked.
 */
public final class JdkHttpClientInstrumentation extends NamedTypesInstrumentation {

  static final String NAME = "java-http-client";

  private static final String CLIENT_IMPL = "jdk.internal.net.http.HttpClientImpl";

  public JdkHttpClientInstrumentation() {
    super(NAME, "http-client", CLIENT_IMPL);
  }

  /** Lets the body wrapper stay on the JDK's fast path: see {@link TrustedSubscribers}. */
  @Override
  public void prepare(java.lang.instrument.Instrumentation inst) {
    TrustedSubscribers.export(inst);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            Advice.to(StartAdvice.class, SendAdvice.class)
                .on(named("send").and(isPublic()).and(takesArgument(0, HttpRequest.class))))
        .visit(
            Advice.to(StartAdvice.class, SendAsyncAdvice.class)
                .on(named("sendAsync").and(isPublic()).and(takesArgument(0, HttpRequest.class))));
  }

  @Override
  public HttpClientAdapter httpAdapter() {
    return new JdkHttpClientAdapter();
  }

  /** Both methods start the same way: the request is their first argument. */
  public static final class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpClientCall enter(
        @Advice.This java.net.http.HttpClient client,
        @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
      HttpClientCall call =
          Bridge.recorder()
              .startHttpClient("java-http-client", request.method(), request.uri().toString());
      if (call != null) {
        request = (HttpRequest) call.carrier(request);
        handler = (HttpResponse.BodyHandler<?>) call.responseHandler(handler);
        // No lambdas in advice: it is inlined into the JDK's class.
        java.util.Optional<java.time.Duration> connect = client.connectTimeout();
        java.util.Optional<java.time.Duration> response = request.timeout();
        call.timeouts(
            connect.isPresent() ? connect.get().toMillis() : 0,
            response.isPresent() ? response.get().toMillis() : 0);
      }
      return call;
    }
  }

  public static final class SendAdvice {
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

  public static final class SendAsyncAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter HttpClientCall call,
        @Advice.Return CompletableFuture<?> future,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      if (error != null) {
        call.end(null, error);
      } else {
        call.endOn(future);
      }
    }
  }
}
