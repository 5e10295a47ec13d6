package dev.seamwatch.testapps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A real application making {@code HttpURLConnection} calls, one per argument {@code scenario=url},
 * printing one line per call on stdout, the same with and without the agent.
 */
public final class HttpUrlConnectionApp {

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String scenario = arg.substring(0, eq);
      String url = arg.substring(eq + 1);
      String outcome;
      try {
        outcome = run(scenario, url);
      } catch (IOException e) {
        outcome = "failed " + e.getClass().getName();
      }
      System.out.println(scenario + " " + outcome);
    }
  }

  private static String run(String scenario, String url) throws IOException {
    switch (scenario) {
      case "get":
        {
          HttpURLConnection connection = open(url);
          return "status="
              + connection.getResponseCode()
              + " body="
              + read(connection.getInputStream());
        }
      case "asked-twice":
        {
          // The status, the body and the status again: still one request.
          HttpURLConnection connection = open(url);
          int first = connection.getResponseCode();
          int body = read(connection.getInputStream());
          return "status=" + first + "/" + connection.getResponseCode() + " body=" + body;
        }
      case "post":
        {
          HttpURLConnection connection = open(url);
          connection.setRequestMethod("POST");
          connection.setDoOutput(true);
          connection.setChunkedStreamingMode(256);
          try (OutputStream out = connection.getOutputStream()) {
            for (int i = 0; i < 10; i++) {
              out.write("0123456789".repeat(100).getBytes(StandardCharsets.US_ASCII));
            }
          }
          return "status="
              + connection.getResponseCode()
              + " body="
              + read(connection.getInputStream());
        }
      case "error-stream":
        {
          HttpURLConnection connection = open(url);
          int status = connection.getResponseCode();
          InputStream error = connection.getErrorStream();
          return "status=" + status + " error-body=" + (error == null ? -1 : read(error));
        }
      case "input-stream-throws":
        {
          HttpURLConnection connection = open(url);
          try {
            connection.getInputStream();
            return "no error";
          } catch (IOException e) {
            return "threw " + e.getClass().getName() + " status=" + connection.getResponseCode();
          }
        }
      case "interleaved":
        {
          // connect() one, make a whole other request, then read the first: two requests.
          HttpURLConnection first = open(url);
          first.connect();
          HttpURLConnection second = open(url + "-other");
          int secondStatus = second.getResponseCode();
          read(second.getInputStream());
          return "status="
              + first.getResponseCode()
              + ","
              + secondStatus
              + " body="
              + read(first.getInputStream());
        }
      default:
        return "unknown scenario";
    }
  }

  private static HttpURLConnection open(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(5000);
    return connection;
  }

  private static int read(InputStream in) throws IOException {
    try (InputStream stream = in) {
      return stream.readAllBytes().length;
    }
  }
}
