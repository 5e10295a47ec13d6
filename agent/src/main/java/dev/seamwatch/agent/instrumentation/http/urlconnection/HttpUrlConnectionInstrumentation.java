package dev.seamwatch.agent.instrumentation.http.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.agent.instrumentation.http.BodyStreamAdvice;
import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.HttpClientCall;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code java.net.HttpURLConnection} and {@code HttpsURLConnection}, as the JDK implements them
 * ({@code sun.net.www.protocol.http.HttpURLConnection}, which the HTTPS connection delegates to):
 * {@code connect()}, {@code getOutputStream()} and {@code getInputStream()}; {@code
 * getResponseCode()} and the header getters go through {@code getInputStream()}. Tested on JDK 17
 * and 25.
 *
 * <p>One span per connection object: it starts with the first of these methods, and ends when the
 * response is known ({@code getInputStream} returns or throws, however often the application asks)
 * or when connecting fails. The JDK class is loaded early, often before premain: it is
 * retransformed, so it gets no state of its own: the recorder keeps each connection's call.
 *
 * <p>The body stream {@code getInputStream} returns ({@code HttpURLConnection$HttpInputStream}):
 * its {@code read} and {@code close} tell the recorder what the application read, for the payload
 * rules. The span has ended by then; the recorder keeps the stream's call by the stream.
 */
public final class HttpUrlConnectionInstrumentation extends NamedTypesInstrumentation {

  static final String NAME = "http-url-connection";
  private static final String IMPL = "sun.net.www.protocol.http.HttpURLConnection";

  private static final String WIRE = "sun.net.www.http.HttpClient";

  /** The stream {@code getInputStream} returns, whatever the transfer encoding. */
  private static final String BODY = IMPL + "$HttpInputStream";

  public HttpUrlConnectionInstrumentation() {
    super(NAME, "http-client", IMPL, WIRE, BODY);
  }

  /**
   * Opens {@code sun.net.www} (where {@code MessageHeader} lives) to the agent's module only, so
   * that its adapter can set the context on the request lines the connection writes.
   */
  @Override
  public void prepare(Instrumentation inst) {
    try {
      Module javaBase = Object.class.getModule();
      Module agent = HttpUrlConnectionAdapter.class.getModule();
      if (!javaBase.isOpen("sun.net.www", agent)) {
        inst.redefineModule(
            javaBase,
            Collections.emptySet(),
            Collections.emptyMap(),
            Collections.singletonMap("sun.net.www", Collections.singleton(agent)),
            Collections.emptySet(),
            Collections.emptyMap());
      }
    } catch (Throwable t) {
      SeamwatchLog.warn(
          "HttpURLConnection requests will carry no trace context: cannot open sun.net.www to"
              + " the agent: "
              + t);
    }
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    builder =
        builder
            // Each request the connection writes (the first, a redirect's, a retry's): the one and
            // two-argument forms; the three-argument one calls the two-argument one.
            .visit(
                Advice.to(WriteRequestsAdvice.class)
                    .on(
                        named("writeRequests")
                            .and(takesArguments(1).or(takesArguments(2)))
                            .and(isDeclaredBy(named(WIRE)))))
            .visit(
                Advice.to(EnterAdvice.class, BeforeResponseAdvice.class)
                    .on(
                        isPublic()
                            .and(namedOneOf("connect", "getOutputStream"))
                            .and(takesArguments(0))
                            .and(isDeclaredBy(named(IMPL)))))
            .visit(
                Advice.to(EnterAdvice.class, ResponseAdvice.class)
                    .on(
                        isPublic()
                            .and(named("getInputStream"))
                            .and(takesArguments(0))
                            .and(isDeclaredBy(named(IMPL)))));
    // What the application reads of the body: the recorder watches, it never reads.
    return BodyStreamAdvice.visit(builder, named(BODY));
  }

  @Override
  public HttpClientAdapter httpAdapter() {
    return new HttpUrlConnectionAdapter();
  }

  public static final class WriteRequestsAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object requests) {
      Bridge.recorder().httpAttempt(requests);
    }
  }

  public static final class EnterAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpClientCall enter(@Advice.This java.net.HttpURLConnection connection) {
      HttpClientCall call = Bridge.recorder().enterHttpClient("http-url-connection", connection);
      if (call != null) {
        call.timeouts(connection.getConnectTimeout(), connection.getReadTimeout());
      }
      return call;
    }
  }

  /**
   * connect() and getOutputStream(): the response comes later, unless connecting failed. Then there
   * is no response to read, and the connection is not handed over: asking it for one would make it
   * try to connect again.
   */
  public static final class BeforeResponseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpClientCall call, @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      if (error == null) {
        call.leave();
      } else {
        call.end(null, error);
      }
    }
  }

  /**
   * getInputStream(): the response is known, or the request failed. Either way the connection now
   * answers from what it holds (a failure is remembered and thrown again), so the recorder may read
   * its status without causing I/O.
   */
  public static final class ResponseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter HttpClientCall call,
        @Advice.This Object connection,
        @Advice.FieldValue("doOutput") boolean doOutput,
        @Advice.FieldValue("fixedContentLengthLong") long fixedLong,
        @Advice.FieldValue("fixedContentLength") int fixed,
        @Advice.FieldValue("poster") Object poster,
        @Advice.Return Object stream,
        @Advice.Thrown Throwable error) {
      if (call != null) {
        if (error == null) {
          call.responseStream(stream);
        }
        // The request body: none, the fixed length the application declared, or the bytes it
        // wrote into the connection's buffer. Chunked streaming leaves it unknown.
        call.requestBodySize(
            !doOutput
                ? 0
                : fixedLong >= 0
                    ? fixedLong
                    : fixed >= 0
                        ? fixed
                        : poster instanceof java.io.ByteArrayOutputStream
                            ? ((java.io.ByteArrayOutputStream) poster).size()
                            : -1);
        call.end(connection, error);
      }
    }
  }
}
