package dev.seamwatch.testapps.httpclients.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Future;

/** {@code java.net.http}: {@code send}, and {@code sendAsync} for the asynchronous calls. */
final class JdkClient implements ContractApp.Client {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  private static HttpRequest request(String method, String url, byte[] body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(2))
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    HttpResponse<byte[]> response =
        client.send(request(method, url, body), HttpResponse.BodyHandlers.ofByteArray());
    return ContractApp.outcome(response.statusCode(), response.body().length);
  }

  @Override
  public String ownHeaders(String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(2))
            .header("x-app", "1")
            .build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return "status=" + response.statusCode() + " visible=" + request.headers().map().keySet();
  }

  @Override
  public Future<String> callAsync(String url) {
    return ContractApp.outcomeOf(
        client.sendAsync(request("GET", url, null), HttpResponse.BodyHandlers.ofByteArray()),
        response -> ContractApp.outcome(response.statusCode(), response.body().length));
  }

  @Override
  public String callWithoutTimeouts(String url) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    return ContractApp.outcome(response.statusCode(), response.body().length);
  }
}
