package dev.seamwatch.testapps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A real application making {@code java.net.http} calls, one per argument {@code scenario=url}. It
 * prints one line per call on stdout, the same with and without the agent, so that tests can
 * compare the application's own behaviour.
 */
public final class JdkHttpClientApp {

  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String scenario = arg.substring(0, eq);
      String url = arg.substring(eq + 1);
      System.out.println(scenario + " " + run(client, scenario, URI.create(url)));
    }
  }

  /**
   * For tests of {@code seamwatch.startup=async}: waits until an attached agent has started, by
   * asking its bridge (visible to every class loader). Without an agent, returns at once.
   */
  private static String awaitAgent() throws Exception {
    Class<?> bridge;
    try {
      bridge = Class.forName("dev.seamwatch.bootstrap.Bridge");
    } catch (ClassNotFoundException noAgent) {
      return "ready";
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Object recorder = bridge.getMethod("recorder").invoke(null);
      if (!recorder.getClass().getName().endsWith("BeforeStart")) {
        return "ready";
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    return "agent did not start";
  }

  private static String run(HttpClient client, String scenario, URI uri) throws Exception {
    try {
      switch (scenario) {
        case "await-agent":
          return awaitAgent();
        case "get":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        case "follow":
          return describe(
              HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NORMAL)
                  .build()
                  .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        case "get-bytes":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()));
        case "get-discard":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()));
        case "post":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri)
                      .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1234)))
                      .header("content-type", "text/plain")
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        case "async":
          return describe(
              client
                  .sendAsync(
                      HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                  .get(10, TimeUnit.SECONDS));
        case "async-push":
          return describe(
              client
                  .sendAsync(
                      HttpRequest.newBuilder(uri).build(),
                      HttpResponse.BodyHandlers.ofString(),
                      null)
                  .get(10, TimeUnit.SECONDS));
        case "http2":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_2).build(),
                  HttpResponse.BodyHandlers.ofString()));
        case "timeout":
          return describe(
              client.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(300)).build(),
                  HttpResponse.BodyHandlers.ofString()));
        case "async-timeout":
          return describe(
              client
                  .sendAsync(
                      HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(300)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .join());
        case "cancel":
          {
            CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            boolean cancelled = future.cancel(true);
            return "cancelled=" + cancelled + " done=" + future.isDone();
          }
        case "own-request":
          {
            // The application's request object must come back exactly as it built it.
            HttpRequest request = HttpRequest.newBuilder(uri).header("x-app", "1").build();
            String before = request.headers().map().toString();
            HttpResponse<String> response =
                client.send(request, HttpResponse.BodyHandlers.ofString());
            String after = request.headers().map().toString();
            return describe(response) + " headers-unchanged=" + before.equals(after) + " " + after;
          }
        default:
          return "unknown scenario";
      }
    } catch (CompletionException | java.util.concurrent.ExecutionException e) {
      return "failed " + e.getCause().getClass().getName();
    } catch (CancellationException e) {
      return "failed " + e.getClass().getName();
    } catch (Exception e) {
      return "failed " + e.getClass().getName();
    }
  }

  private static String describe(HttpResponse<?> response) {
    Object body = response.body();
    int length =
        body instanceof String
            ? ((String) body).length()
            : body instanceof byte[] ? ((byte[]) body).length : -1;
    return "status=" + response.statusCode() + " body=" + length;
  }
}
