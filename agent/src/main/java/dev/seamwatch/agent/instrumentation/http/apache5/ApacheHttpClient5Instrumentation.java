package dev.seamwatch.agent.instrumentation.http.apache5;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.agent.instrumentation.LibraryAdvice;
import dev.seamwatch.agent.instrumentation.LibraryRequirement;
import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.agent.instrumentation.http.BodyStreamAdvice;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.HttpClientCall;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 classic: {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of
 * {@code InternalHttpClient} and {@code MinimalHttpClient}, which every {@code execute} overload
 * (with or without a response handler) goes through. Tested with httpclient5 5.6.5; the method is
 * the same from 5.0.
 *
 * <p>The trace-context headers are set on each request the client puts on the wire, in httpcore5's
 * {@code HttpRequestExecutor.execute} (the first attempt, each redirect and each retry, which are
 * counted in {@code http.request.resend_count}). {@code InternalHttpClient} sends a copy of the
 * application's request there; {@code MinimalHttpClient} sends the application's own object, which
 * its request interceptors already fill with headers of their own.
 *
 * <p>The body the application reads: each attempt's response hands its entity's stream to the
 * recorder, and the reads and close of httpcore5's body streams ({@code ContentLengthInputStream},
 * {@code ChunkedInputStream}, {@code IdentityInputStream}) say what passed. A redirect's body,
 * drained by the client, is replaced by the next attempt's.
 */
public final class ApacheHttpClient5Instrumentation extends NamedTypesInstrumentation {

  public ApacheHttpClient5Instrumentation() {
    super(
        "apache-httpclient-5",
        "http-client",
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
        "org.apache.hc.core5.http.impl.io.HttpRequestExecutor",
        "org.apache.hc.core5.http.impl.io.ContentLengthInputStream",
        "org.apache.hc.core5.http.impl.io.ChunkedInputStream",
        "org.apache.hc.core5.http.impl.io.IdentityInputStream");
  }

  @Override
  public Set<String> markerNames() {
    return Set.of("org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    String host = "org.apache.hc.core5.http.HttpHost";
    String request = "org.apache.hc.core5.http.ClassicHttpRequest";
    String context = "org.apache.hc.core5.http.protocol.HttpContext";
    return List.of(
        LibraryRequirement.method(
            "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
            "doExecute",
            host,
            request,
            context),
        LibraryRequirement.method(
            "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
            "doExecute",
            host,
            request,
            context),
        LibraryRequirement.method(
            "org.apache.hc.core5.http.impl.io.HttpRequestExecutor",
            "execute",
            request,
            "org.apache.hc.core5.http.io.HttpClientConnection",
            "org.apache.hc.core5.http.io.HttpResponseInformationCallback",
            context));
  }

  @Override
  public String supportedVersions() {
    return "Apache HttpClient 5.1 to 5.6 (tested with 5.1.3 and 5.6.5)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    builder = BodyStreamAdvice.visit(builder, nameStartsWith(BODY_STREAMS));
    return builder
        .visit(
            LibraryAdvice.to(EXECUTE_ADVICE, target).on(named("doExecute").and(takesArguments(3))))
        // The four-argument execute: the three-argument one delegates to it.
        .visit(
            LibraryAdvice.to(ATTEMPT_ADVICE, target)
                .on(
                    named("execute")
                        .and(takesArguments(4))
                        .and(
                            isDeclaredBy(
                                named("org.apache.hc.core5.http.impl.io.HttpRequestExecutor")))));
  }

  /** The streams a response body is read from, whatever its framing. */
  private static final String BODY_STREAMS = "org.apache.hc.core5.http.impl.io.";

  private static final String ATTEMPT_ADVICE =
      "dev.seamwatch.agent.instrumentation.http.apache5.ApacheHttpClient5Instrumentation$AttemptAdvice";

  public static final class AttemptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) ClassicHttpRequest request, @Advice.Argument(3) HttpContext context) {
      String[] headers = Bridge.recorder().httpAttemptHeaders();
      if (headers != null) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
          request.setHeader(headers[i], headers[i + 1]);
        }
        // The effective request configuration is in the context by now (the request's own or
        // the client's default). A null response timeout falls back to the socket timeout,
        // which is none unless the connection manager sets one: reported as none. The connect
        // timeout defaults to 3 minutes, so only an explicit 0 is none.
        RequestConfig config = HttpClientContext.adapt(context).getRequestConfig();
        Timeout response = config == null ? null : config.getResponseTimeout();
        Timeout connect = config == null ? null : config.getConnectTimeout();
        Bridge.recorder()
            .httpTimeouts(
                connect == null ? -1 : connect.isDisabled() ? 0 : connect.toMilliseconds(),
                response == null || response.isDisabled() ? 0 : response.toMilliseconds());
      }
    }

    /**
     * The body stream of this attempt's response, which the application may read. Taken only from
     * the entity httpcore5 makes for a response read from the wire, whose content is a plain field
     * (not public in every version, so named by its class name).
     */
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return ClassicHttpResponse response) throws Exception {
      HttpEntity entity = response == null ? null : response.getEntity();
      String type = entity == null ? "" : entity.getClass().getName();
      // impl.io (up to 5.3) or impl.io.support (5.4 on).
      if (type.startsWith("org.apache.hc.core5.http.impl.io.")
          && type.endsWith(".IncomingHttpEntity")) {
        Bridge.recorder().httpResponseBody(entity.getContent(), response.getCode());
      }
    }
  }

  private static final String EXECUTE_ADVICE =
      "dev.seamwatch.agent.instrumentation.http.apache5.ApacheHttpClient5Instrumentation$ExecuteAdvice";

  public static final class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpClientCall enter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request)
        throws Exception {
      String url =
          target != null ? target.toURI() + request.getRequestUri() : request.getUri().toString();
      HttpClientCall call =
          Bridge.recorder().startHttpClient("apache-httpclient-5", request.getMethod(), url);
      if (call != null) {
        HttpEntity body = request.getEntity();
        call.requestBodySize(body == null ? 0 : body.getContentLength());
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter HttpClientCall call,
        @Advice.Return CloseableHttpResponse response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      if (response == null) {
        call.end(0, null, -1, error);
        return;
      }
      HttpEntity entity = response.getEntity();
      call.end(
          response.getCode(),
          response.getVersion() == null ? null : response.getVersion().format().substring(5),
          entity == null ? -1 : entity.getContentLength(),
          error);
    }
  }
}
