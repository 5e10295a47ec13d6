package dev.seamwatch.agent.instrumentation.http.urlconnection;

import dev.seamwatch.agent.recorder.HttpClientAdapter;
import java.lang.reflect.Method;
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
   * The connection itself gets nothing (the application would see the header through {@code
   * getRequestProperty}). The headers go on the JDK's {@code sun.net.www.MessageHeader}: the set of
   * header lines the connection builds for each request it writes (the first, each redirect and
   * each retry), handed to {@code sun.net.www.http.HttpClient.writeRequests}. Its package is opened
   * to the agent by {@link HttpUrlConnectionInstrumentation#prepare}; without that, nothing is set.
   */
  @Override
  public Object carrier(Object request, String[] headers) {
    if (request == null || !request.getClass().getName().equals(MESSAGE_HEADER)) {
      return request;
    }
    try {
      if (isConnectRequest(request)) {
        // A CONNECT to a proxy opening a TLS tunnel: not the application's request.
        return request;
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        set().invoke(request, headers[i], headers[i + 1]);
      }
    } catch (ReflectiveOperationException | RuntimeException unavailable) {
      // This JDK's MessageHeader differs: the request goes without the context.
    }
    return request;
  }

  /** Whether the request line of {@code requests} (its first, keyless entry) is a CONNECT. */
  private static boolean isConnectRequest(Object requests) throws ReflectiveOperationException {
    Object line = valueAt().invoke(requests, 0);
    return line instanceof String && ((String) line).startsWith("CONNECT ");
  }

  static final String MESSAGE_HEADER = "sun.net.www.MessageHeader";
  private static volatile Method set;
  private static volatile Method valueAt;

  private static Method set() throws ReflectiveOperationException {
    Method method = set;
    if (method == null) {
      method = Class.forName(MESSAGE_HEADER).getMethod("set", String.class, String.class);
      set = method;
    }
    return method;
  }

  private static Method valueAt() throws ReflectiveOperationException {
    Method method = valueAt;
    if (method == null) {
      method = Class.forName(MESSAGE_HEADER).getMethod("getValue", int.class);
      valueAt = method;
    }
    return method;
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
