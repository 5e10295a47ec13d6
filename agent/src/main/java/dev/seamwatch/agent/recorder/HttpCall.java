package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.HttpClientCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP request in flight. Its span is current on the calling thread from start until the advice
 * leaves the client method (so nested client layers see it and stay quiet), and it ends exactly
 * once, on whichever thread completes it.
 */
final class HttpCall implements HttpClientCall {

  final Recorder recorder;
  final HttpClientAdapter adapter;
  final Span span;
  final Context context;
  final String method;
  final HttpTarget target;
  final OperationStats stats;

  /** {@link System#nanoTime()} at the start, which the span's start time was taken from too. */
  final long startNanos;

  volatile long requestBodySize = -1;

  /** The catalog's entry for the call's integration, or null when the catalog names none. */
  volatile dev.seamwatch.agent.catalog.Integration entry;

  /** The response body the application reads, when the client lets the recorder watch it. */
  volatile ResponseBody body;

  final Anomalies.Marks marks = new Anomalies.Marks();

  /** Requests put on the wire so far, for clients that tell ({@link Recorder#httpAttempt}). */
  final AtomicInteger attempts = new AtomicInteger();

  private final AtomicBoolean ended = new AtomicBoolean();

  /**
   * Methods of the request object running now ({@link HttpCallEntry}): {@code HttpURLConnection}
   * calls its own {@code getInputStream} from inside while following a redirect, and that inner
   * call must neither end the call nor count as a new one.
   */
  final AtomicInteger entered = new AtomicInteger();

  private final OwnedScope scope;
  private String[] headers;

  HttpCall(
      Recorder recorder,
      HttpClientAdapter adapter,
      Span span,
      Context context,
      String method,
      HttpTarget target,
      OperationStats stats,
      boolean makeCurrent,
      long startNanos) {
    this.recorder = recorder;
    this.startNanos = startNanos;
    this.adapter = adapter;
    this.span = span;
    this.context = context.with(Recorder.HTTP_CALL, this);
    this.method = method;
    this.target = target;
    this.stats = stats;
    this.scope = makeCurrent ? new OwnedScope(this.context) : null;
  }

  @Override
  public String[] propagationHeaders() {
    if (headers == null) {
      headers = recorder.propagationHeaders(context);
    }
    return headers;
  }

  @Override
  public Object carrier(Object request) {
    try {
      requestBodySize = adapter.requestBodySize(request);
      return adapter.carrier(request, propagationHeaders());
    } catch (Throwable t) {
      recorder.internalFailure(t);
      return request;
    }
  }

  @Override
  public void requestBodySize(long bytes) {
    requestBodySize = bytes;
  }

  @Override
  public void end(Object response, Throwable error) {
    closeScope();
    if (ended.compareAndSet(false, true)) {
      recorder.endHttp(this, response, error);
    }
  }

  @Override
  public void end(int statusCode, String protocolVersion, long responseBodySize, Throwable error) {
    closeScope();
    if (ended.compareAndSet(false, true)) {
      recorder.endHttp(this, statusCode, protocolVersion, responseBodySize, error);
    }
  }

  @Override
  public void endOn(CompletableFuture<?> future) {
    closeScope();
    if (future == null) {
      end(null, null);
      return;
    }
    // whenComplete on the application's own future: its result, cancellation and timeout all
    // reach us, and the future the application holds is the one the client returned.
    future.whenComplete(this::end);
  }

  @Override
  public void leave() {
    closeScope();
  }

  @Override
  public Object responseHandler(Object handler) {
    try {
      ResponseBody watched = recorder.newBody(this);
      if (watched == null || handler == null) {
        return handler;
      }
      Object replacement = adapter.responseHandler(handler, watched);
      if (replacement != handler) {
        body = watched;
      }
      return replacement;
    } catch (Throwable t) {
      recorder.internalFailure(t);
      return handler;
    }
  }

  @Override
  public void timeouts(long connectMillis, long responseMillis) {
    try {
      if (!ended()) {
        recorder.readiness.checkHttp(span, stats.integration, connectMillis, responseMillis);
      }
    } catch (Throwable t) {
      recorder.internalFailure(t);
    }
  }

  @Override
  public void responseStream(Object stream) {
    recorder.watchBody(this, stream);
  }

  boolean ended() {
    return ended.get();
  }

  /**
   * The client puts one more request on the wire for this call (the first, a redirect, a retry):
   * counted for {@code http.request.resend_count}; the headers to send with it, or null once the
   * call has ended.
   */
  String[] attempt() {
    if (ended()) {
      return null;
    }
    attempts.incrementAndGet();
    return propagationHeaders();
  }

  private void closeScope() {
    if (scope != null) {
      scope.close();
    }
  }
}
