package dev.seamwatch.agent.instrumentation.http.jdkclient;

import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.agent.recorder.ResponseBody;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads {@code java.net.http} requests and responses for the recorder. */
final class JdkHttpClientAdapter implements HttpClientAdapter {

  @Override
  public Object carrier(Object request, String[] headers) {
    if (headers.length == 0 || !(request instanceof HttpRequest)) {
      return request;
    }
    return new PropagatingHttpRequest((HttpRequest) request, headers);
  }

  @Override
  public long requestBodySize(Object request) {
    if (!(request instanceof HttpRequest)) {
      return -1;
    }
    HttpRequest http = (HttpRequest) request;
    return http.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object responseHandler(Object handler, ResponseBody body) {
    return handler instanceof HttpResponse.BodyHandler
        ? new WatchedBodyHandler((HttpResponse.BodyHandler) handler, body)
        : handler;
  }

  @Override
  public int statusCode(Object response) {
    return response instanceof HttpResponse ? ((HttpResponse<?>) response).statusCode() : 0;
  }

  @Override
  public String protocolVersion(Object response) {
    if (!(response instanceof HttpResponse)) {
      return null;
    }
    return ((HttpResponse<?>) response).version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
  }

  @Override
  public long responseBodySize(Object response) {
    if (!(response instanceof HttpResponse)) {
      return -1;
    }
    HttpResponse<?> http = (HttpResponse<?>) response;
    Object body = http.body();
    if (body instanceof byte[]) {
      return ((byte[]) body).length;
    }
    return http.headers().firstValueAsLong("content-length").orElse(-1L);
  }
}
