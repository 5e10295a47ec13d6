package dev.seamwatch.agent.instrumentation.http.urlconnection;

import dev.seamwatch.agent.recorder.HttpClientAdapter;
import java.net.HttpURLConnection;

/**
 * Reads {@code java.net.HttpURLConnection} for the recorder. The response is only read once {@code
 * getInputStream} has returned or thrown (the advice makes sure): asking for it earlier would make
 * the connection connect, a side effect the application would see.
 */
final class HttpUrlConnectionAdapter implements HttpClientAdapter {

  @Override
  public String method(Object request) {
    return ((HttpURLConnection) request).getRequestMethod();
  }

  @Override
  public String url(Object request) {
    return ((HttpURLConnection) request).getURL().toString();
  }

  /**
   * Sets the headers on the connection itself, which is still unconnected: the instrumented method
   * is the connection's first. The application can see them through {@code getRequestProperty}; a
   * connection offers no other way to send a header.
   */
  @Override
  public Object carrier(Object request, String[] headers) {
    HttpURLConnection connection = (HttpURLConnection) request;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      connection.setRequestProperty(headers[i], headers[i + 1]);
    }
    return request;
  }

  @Override
  public int statusCode(Object response) {
    try {
      return ((HttpURLConnection) response).getResponseCode();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Override
  public String protocolVersion(Object response) {
    String statusLine = ((HttpURLConnection) response).getHeaderField(0);
    if (statusLine != null && statusLine.startsWith("HTTP/")) {
      int space = statusLine.indexOf(' ');
      return statusLine.substring(5, space < 0 ? statusLine.length() : space);
    }
    return null;
  }

  @Override
  public long responseBodySize(Object response) {
    return ((HttpURLConnection) response).getContentLengthLong();
  }
}
