package dev.seamwatch.testapps.httpclients.contract;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** {@code HttpURLConnection} (and {@code HttpsURLConnection}): no asynchronous API. */
final class UrlConnectionClient implements ContractApp.Client {

  @Override
  public String ownHeaders(String url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setRequestProperty("x-app", "1");
    // A connected connection refuses to show its request properties (IllegalStateException):
    // they are read just before the first I/O, where the agent starts the call.
    String visible = new java.util.TreeSet<>(connection.getRequestProperties().keySet()).toString();
    int status = connection.getResponseCode();
    connection.getInputStream().readAllBytes();
    return "status=" + status + " visible=" + visible;
  }

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setConnectTimeout(3000);
    connection.setReadTimeout(2000);
    connection.setRequestMethod(method);
    if (body != null) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
    }
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    long bytes = 0;
    if (in != null) {
      try (in) {
        bytes = in.readAllBytes().length;
      }
    }
    return ContractApp.outcome(status, bytes);
  }

  @Override
  public String callWithoutTimeouts(String url) throws Exception {
    java.net.HttpURLConnection connection =
        (java.net.HttpURLConnection) new java.net.URL(url).openConnection();
    int status = connection.getResponseCode();
    try (java.io.InputStream in = connection.getInputStream()) {
      return ContractApp.outcome(status, in.readAllBytes().length);
    }
  }
}
