package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.HttpClientCall;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;

/**
 * One method of a request object that lives across several ({@code HttpURLConnection}): the call is
 * current while the method runs, and only then, so that the application's other calls between
 * {@code connect()} and reading the response are not taken for nested ones.
 */
final class HttpCallEntry implements HttpClientCall {

  private final HttpCall call;
  private final Scope scope;

  HttpCallEntry(HttpCall call) {
    this.call = call;
    this.scope = call.context.makeCurrent();
    call.entered.incrementAndGet();
  }

  @Override
  public void requestBodySize(long bytes) {
    call.requestBodySize(bytes);
  }

  @Override
  public String[] propagationHeaders() {
    return call.propagationHeaders();
  }

  @Override
  public Object carrier(Object request) {
    return request;
  }

  @Override
  public void end(Object response, Throwable error) {
    exit();
    call.end(response, error);
  }

  @Override
  public void end(int statusCode, String protocolVersion, long responseBodySize, Throwable error) {
    exit();
    call.end(statusCode, protocolVersion, responseBodySize, error);
  }

  @Override
  public void endOn(CompletableFuture<?> future) {
    exit();
    call.endOn(future);
  }

  @Override
  public void leave() {
    exit();
  }

  @Override
  public Object responseHandler(Object handler) {
    return call.responseHandler(handler);
  }

  @Override
  public void timeouts(long connectMillis, long responseMillis) {
    call.timeouts(connectMillis, responseMillis);
  }

  @Override
  public void responseStream(Object stream) {
    call.responseStream(stream);
  }

  private void exit() {
    scope.close();
    call.entered.decrementAndGet();
  }
}
