package dev.seamwatch.agent.instrumentation.http.apache5;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.agent.instrumentation.LibraryAdvice;
import dev.seamwatch.agent.instrumentation.LibraryRequirement;
import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.HttpClientCall;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient.execute}, every overload, HTTP/1.1 and
 * HTTP/2 clients built by {@code HttpAsyncClients}; the same in 5.0 to 5.6, tested with 5.6.5). Its
 * steps run on the caller's thread, the I/O reactor's and a scheduler's, so they are tied together
 * by the one object they all see: the {@code ComplexFuture} {@code execute} returns, which is the
 * {@code cancellableDependency} of the exec chain's {@code Scope}.
 *
 * <ul>
 *   <li>{@code AsyncExecChain.Scope}'s constructors: the first scope of a future starts the call,
 *       on the caller's thread (its context is the parent); a redirect's scope reuses the future.
 *   <li>{@code HttpAsyncMainClientExec} and {@code H2AsyncMainClientExec.execute}: each request put
 *       on the wire (first, redirect, retry) gets the context; it is the chain's copy of the
 *       application's request, never the application's object.
 *   <li>{@code ComplexFuture.completed}, {@code failed} and {@code cancel}: the first ends the
 *       call, before the application's callback runs. The status is read from the result when it is
 *       a response ({@code SimpleHttpResponse}) or a {@code Message} of one; other consumers'
 *       results leave it unknown.
 * </ul>
 *
 * <p>The minimal async clients ({@code HttpAsyncClients.createMinimal}) have no exec chain: they
 * are not traced.
 */
public final class ApacheHttpAsyncClient5Instrumentation extends NamedTypesInstrumentation {

  private static final String SCOPE = "org.apache.hc.client5.http.async.AsyncExecChain$Scope";
  private static final String FUTURE = "org.apache.hc.core5.concurrent.ComplexFuture";
  private static final String PREFIX =
      "dev.seamwatch.agent.instrumentation.http.apache5.ApacheHttpAsyncClient5Instrumentation$";

  public ApacheHttpAsyncClient5Instrumentation() {
    super(
        "apache-httpclient-5",
        "http-client",
        SCOPE,
        "org.apache.hc.client5.http.impl.async.HttpAsyncMainClientExec",
        "org.apache.hc.client5.http.impl.async.H2AsyncMainClientExec",
        FUTURE);
  }

  @Override
  public Set<String> markerNames() {
    return Set.of("org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    return List.of(
        LibraryRequirement.method(
            SCOPE, isConstructor().and(takesArguments(6)), "its six-argument constructor"),
        LibraryRequirement.method(
            "org.apache.hc.client5.http.impl.async.HttpAsyncMainClientExec",
            named("execute").and(takesArguments(5)),
            "execute(HttpRequest, AsyncEntityProducer, Scope, AsyncExecChain, AsyncExecCallback)"),
        LibraryRequirement.method(
            FUTURE, named("completed").and(takesArguments(1)), "completed(Object)"),
        LibraryRequirement.method(
            FUTURE, named("failed").and(takesArguments(1)), "failed(Exception)"),
        LibraryRequirement.method(
            FUTURE, named("cancel").and(takesArguments(1)), "cancel(boolean)"));
  }

  @Override
  public String supportedVersions() {
    return "Apache HttpClient 5.1 to 5.6 (tested with 5.1.3 and 5.6.5)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            LibraryAdvice.to(PREFIX + "StartAdvice", target)
                .on(
                    isConstructor()
                        .and(isDeclaredBy(named(SCOPE)))
                        .and(takesArguments(6).or(takesArguments(8)))))
        .visit(
            LibraryAdvice.to(PREFIX + "AttemptAdvice", target)
                .on(
                    named("execute")
                        .and(takesArguments(5))
                        .and(
                            isDeclaredBy(
                                namedOneOf(
                                    "org.apache.hc.client5.http.impl.async.HttpAsyncMainClientExec",
                                    "org.apache.hc.client5.http.impl.async.H2AsyncMainClientExec")))))
        .visit(
            LibraryAdvice.to(PREFIX + "CompletedAdvice", target)
                .on(named("completed").and(takesArguments(1)).and(isDeclaredBy(named(FUTURE)))))
        .visit(
            LibraryAdvice.to(PREFIX + "FailedAdvice", target)
                .on(named("failed").and(takesArguments(1)).and(isDeclaredBy(named(FUTURE)))))
        .visit(
            LibraryAdvice.to(PREFIX + "CancelAdvice", target)
                .on(named("cancel").and(takesArguments(1)).and(isDeclaredBy(named(FUTURE)))));
  }

  public static final class StartAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(1) HttpRoute route,
        @Advice.Argument(2) HttpRequest request,
        @Advice.Argument(3) Object future)
        throws Exception {
      if (request == null || future == null) {
        return;
      }
      // Before 5.4 the chain's request may carry only the path: the route names the host.
      String url =
          request.getAuthority() != null || route == null
              ? request.getUri().toString()
              : route.getTargetHost().toURI() + request.getPath();
      Bridge.recorder().startHttpClient("apache-httpclient-5", request.getMethod(), url, future);
    }
  }

  public static final class AttemptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(1) AsyncEntityProducer body,
        @Advice.Argument(2) AsyncExecChain.Scope scope) {
      Object future = scope.cancellableDependency;
      String[] headers = Bridge.recorder().httpAttemptHeaders(future);
      if (headers == null) {
        return;
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.setHeader(headers[i], headers[i + 1]);
      }
      HttpClientCall call = Bridge.recorder().httpClientFor(future);
      if (call != null) {
        call.requestBodySize(body == null ? 0 : body.getContentLength());
      }
    }
  }

  public static final class CompletedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object result) {
      HttpClientCall call = Bridge.recorder().httpClientFor(future);
      if (call == null) {
        return;
      }
      Object head = result instanceof Message ? ((Message<?, ?>) result).getHead() : result;
      if (!(head instanceof HttpResponse)) {
        call.end(0, null, -1, null);
        return;
      }
      HttpResponse response = (HttpResponse) head;
      ProtocolVersion version = response.getVersion();
      Header length = response.getFirstHeader("Content-Length");
      long size = -1;
      try {
        size = length == null ? -1 : Long.parseLong(length.getValue().trim());
      } catch (NumberFormatException malformed) {
        // Unknown; the call still ends.
      }
      call.end(
          response.getCode(),
          version == null
              ? null
              : version.getMajor() == 2 ? "2" : version.getMajor() + "." + version.getMinor(),
          size,
          null);
    }
  }

  public static final class FailedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Exception error) {
      HttpClientCall call = Bridge.recorder().httpClientFor(future);
      if (call != null) {
        call.end(0, null, -1, error);
      }
    }
  }

  public static final class CancelAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future) {
      HttpClientCall call = Bridge.recorder().httpClientFor(future);
      if (call != null) {
        call.end(0, null, -1, new CancellationException());
      }
    }
  }
}
