package dev.seamwatch.agent.instrumentation.http.apache4;

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
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.BasicHttpEntity;
import org.apache.http.protocol.HttpContext;

/**
 * Apache HttpClient 4 classic: {@code doExecute(HttpHost, HttpRequest, HttpContext)} of {@code
 * InternalHttpClient} and {@code MinimalHttpClient} (4.3 and later), which every {@code execute}
 * overload goes through. Tested with httpclient 4.5.14. The older {@code AbstractHttpClient} family
 * (4.0 to 4.2, deprecated) is not covered.
 *
 * <p>As for HttpClient 5, the trace-context headers are set on each request the client puts on the
 * wire, in httpcore's {@code HttpRequestExecutor.execute}: there it is the exec chain's {@code
 * HttpRequestWrapper}, whose headers are its own, so the application's request is left as it was.
 * Each redirect and retry passes there too and is counted in {@code http.request.resend_count}.
 *
 * <p>The body the application reads: each attempt's response hands its entity's stream to the
 * recorder, and the reads and close of httpcore's body streams ({@code ContentLengthInputStream},
 * {@code ChunkedInputStream}, {@code IdentityInputStream}) say what passed. A redirect's body,
 * drained by the client, is replaced by the next attempt's.
 */
public final class ApacheHttpClient4Instrumentation extends NamedTypesInstrumentation {

  private static final String EXECUTE_ADVICE =
      "dev.seamwatch.agent.instrumentation.http.apache4.ApacheHttpClient4Instrumentation$ExecuteAdvice";

  public ApacheHttpClient4Instrumentation() {
    super(
        "apache-httpclient-4",
        "http-client",
        "org.apache.http.impl.client.InternalHttpClient",
        "org.apache.http.impl.client.MinimalHttpClient",
        "org.apache.http.protocol.HttpRequestExecutor",
        "org.apache.http.impl.io.ContentLengthInputStream",
        "org.apache.http.impl.io.ChunkedInputStream",
        "org.apache.http.impl.io.IdentityInputStream");
  }

  /** An interface every 4.x version has, including the 4.0 to 4.2 ones that are not supported. */
  @Override
  public Set<String> markerNames() {
    return Set.of("org.apache.http.client.HttpClient");
  }

  @Override
  public List<LibraryRequirement> requirements() {
    String request = "org.apache.http.HttpRequest";
    String context = "org.apache.http.protocol.HttpContext";
    return List.of(
        LibraryRequirement.method(
            "org.apache.http.impl.client.InternalHttpClient",
            "doExecute",
            "org.apache.http.HttpHost",
            request,
            context),
        LibraryRequirement.method(
            "org.apache.http.impl.client.MinimalHttpClient",
            "doExecute",
            "org.apache.http.HttpHost",
            request,
            context),
        LibraryRequirement.method(
            "org.apache.http.protocol.HttpRequestExecutor",
            "execute",
            request,
            "org.apache.http.HttpClientConnection",
            context));
  }

  @Override
  public String supportedVersions() {
    return "Apache HttpClient 4.3 to 4.5 (tested with 4.3.6 and 4.5.14)";
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    // The streams a response body is read from, whatever its framing.
    builder = BodyStreamAdvice.visit(builder, nameStartsWith("org.apache.http.impl.io."));
    return builder
        .visit(
            LibraryAdvice.to(EXECUTE_ADVICE, target).on(named("doExecute").and(takesArguments(3))))
        .visit(
            LibraryAdvice.to(ATTEMPT_ADVICE, target)
                .on(
                    named("execute")
                        .and(takesArguments(3))
                        .and(isDeclaredBy(named("org.apache.http.protocol.HttpRequestExecutor")))));
  }

  private static final String ATTEMPT_ADVICE =
      "dev.seamwatch.agent.instrumentation.http.apache4.ApacheHttpClient4Instrumentation$AttemptAdvice";

  public static final class AttemptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Argument(2) HttpContext context) {
      String[] headers = Bridge.recorder().httpAttemptHeaders();
      if (headers != null) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
          request.setHeader(headers[i], headers[i + 1]);
        }
        // The effective request configuration is in the context by now; -1 (the default) and 0
        // both mean the system default, which is none.
        RequestConfig config = HttpClientContext.adapt(context).getRequestConfig();
        if (config != null) {
          Bridge.recorder()
              .httpTimeouts(
                  Math.max(0, config.getConnectTimeout()), Math.max(0, config.getSocketTimeout()));
        }
      }
    }

    /**
     * The body stream of this attempt's response, which the application may read: the entity
     * httpcore makes for a response read from the wire holds it in a plain field.
     */
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return HttpResponse response) throws Exception {
      HttpEntity entity = response == null ? null : response.getEntity();
      if (entity instanceof BasicHttpEntity && response.getStatusLine() != null) {
        Bridge.recorder()
            .httpResponseBody(entity.getContent(), response.getStatusLine().getStatusCode());
      }
    }
  }

  public static final class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpClientCall enter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
      String uri =
          request instanceof HttpUriRequest
              ? ((HttpUriRequest) request).getURI().toString()
              : request.getRequestLine().getUri();
      // A relative request URI is resolved against the target host, as the client does.
      String url = target != null && uri.startsWith("/") ? target.toURI() + uri : uri;
      HttpClientCall call =
          Bridge.recorder()
              .startHttpClient("apache-httpclient-4", request.getRequestLine().getMethod(), url);
      if (call != null) {
        HttpEntity body =
            request instanceof HttpEntityEnclosingRequest
                ? ((HttpEntityEnclosingRequest) request).getEntity()
                : null;
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
      if (response == null || response.getStatusLine() == null) {
        call.end(0, null, -1, error);
        return;
      }
      HttpEntity entity = response.getEntity();
      call.end(
          response.getStatusLine().getStatusCode(),
          response.getStatusLine().getProtocolVersion().getMajor()
              + "."
              + response.getStatusLine().getProtocolVersion().getMinor(),
          entity == null ? -1 : entity.getContentLength(),
          error);
    }
  }
}
