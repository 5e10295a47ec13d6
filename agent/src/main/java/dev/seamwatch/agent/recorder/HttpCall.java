package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.HttpClientCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

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
  final long startNanos = System.nanoTime();
  volatile long requestBodySize = -1;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Thread owner = Thread.currentThread();
  private Scope scope;
  private String[] headers;

  HttpCall(
      Recorder recorder,
      HttpClientAdapter adapter,
      Span span,
      Context context,
      String method,
      HttpTarget target,
      OperationStats stats,
      boolean makeCurrent) {
    this.recorder = recorder;
    this.adapter = adapter;
    this.span = span;
    this.context = context;
    this.method = method;
    this.target = target;
    this.stats = stats;
    this.scope = makeCurrent ? context.makeCurrent() : null;
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

  boolean ended() {
    return ended.get();
  }

  private void closeScope() {
    // A scope belongs to the thread that opened it; completion on another thread leaves it alone.
    if (scope != null && Thread.currentThread() == owner) {
      Scope open = scope;
      scope = null;
      open.close();
    }
  }
}
