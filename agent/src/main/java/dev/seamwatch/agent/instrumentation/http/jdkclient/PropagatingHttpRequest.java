package dev.seamwatch.agent.instrumentation.http.jdkclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application's request as the client sends it, plus the trace-context headers.
 *
 * <p>{@code java.net.http} requests are immutable, so the only way to add headers without touching
 * the application's object is to hand the client another request. A delegating view is used rather
 * than a copy through {@code HttpRequest.newBuilder}: it keeps the body publisher, timeout, version
 * and expect-continue exactly as they were (the copying builder only exists from Java 16), and
 * costs one small object. Headers the propagator sets replace any the application set under the
 * same name, so a stale {@code traceparent} is never sent twice.
 */
final class PropagatingHttpRequest extends HttpRequest {

  private final HttpRequest delegate;
  private final HttpHeaders headers;

  PropagatingHttpRequest(HttpRequest delegate, String[] extra) {
    this.delegate = delegate;
    Map<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    merged.putAll(delegate.headers().map());
    Map<String, List<String>> added = new LinkedHashMap<>();
    for (int i = 0; i + 1 < extra.length; i += 2) {
      added.put(extra[i], List.of(extra[i + 1]));
    }
    merged.putAll(added);
    this.headers = HttpHeaders.of(merged, (name, value) -> true);
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return delegate.bodyPublisher();
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return delegate.timeout();
  }

  @Override
  public boolean expectContinue() {
    return delegate.expectContinue();
  }

  @Override
  public URI uri() {
    return delegate.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return delegate.version();
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }
}
