package dev.seamwatch.testapps.httpclients.contract;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 async: {@code execute(SimpleHttpRequest, FutureCallback)}; a synchronous call
 * waits on its future.
 */
final class Apache5AsyncClient implements ContractApp.Client {

  @SuppressWarnings("deprecation") // setConnectTimeout: still there, and in every 5.x version
  private final CloseableHttpAsyncClient client =
      HttpAsyncClients.custom()
          .setDefaultRequestConfig(
              RequestConfig.custom()
                  .setConnectTimeout(Timeout.ofSeconds(3))
                  .setResponseTimeout(Timeout.ofSeconds(2))
                  .build())
          .build();

  Apache5AsyncClient() {
    client.start();
  }

  private Future<String> execute(String method, String url, byte[] body) {
    SimpleRequestBuilder builder = SimpleRequestBuilder.create(method).setUri(url);
    if (body != null) {
      builder.setBody(body, ContentType.APPLICATION_OCTET_STREAM);
    }
    SimpleHttpRequest request = builder.build();
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Future<SimpleHttpResponse> future =
        client.execute(
            request,
            new FutureCallback<SimpleHttpResponse>() {
              @Override
              public void completed(SimpleHttpResponse response) {
                byte[] bytes = response.getBodyBytes();
                outcome.complete(
                    ContractApp.outcome(response.getCode(), bytes == null ? 0 : bytes.length));
              }

              @Override
              public void failed(Exception e) {
                outcome.completeExceptionally(e);
              }

              @Override
              public void cancelled() {
                outcome.cancel(false);
              }
            });
    return new CompletableFuture<String>() {
      {
        outcome.whenComplete(
            (value, error) -> {
              if (error != null) {
                completeExceptionally(error);
              } else {
                complete(value);
              }
            });
      }

      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        future.cancel(mayInterruptIfRunning);
        return cancelled;
      }
    };
  }

  @Override
  public String ownHeaders(String url) throws Exception {
    SimpleHttpRequest request = SimpleRequestBuilder.get(url).addHeader("x-app", "1").build();
    SimpleHttpResponse response = client.execute(request, null).get();
    return "status=" + response.getCode() + " visible=" + Apache5Client.names(request.getHeaders());
  }

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    try {
      return execute(method, url, body).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  @Override
  public Future<String> callAsync(String url) {
    return execute("GET", url, null);
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
