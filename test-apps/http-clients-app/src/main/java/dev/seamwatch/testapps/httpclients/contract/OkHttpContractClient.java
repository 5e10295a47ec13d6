package dev.seamwatch.testapps.httpclients.contract;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OkHttp 4 and 5 (the same source runs on both): {@code execute}, and {@code enqueue} for the
 * asynchronous calls, whose future cancels the call.
 */
final class OkHttpContractClient implements ContractApp.Client {

  private final OkHttpClient client =
      new OkHttpClient.Builder()
          .connectTimeout(3, TimeUnit.SECONDS)
          .readTimeout(2, TimeUnit.SECONDS)
          .build();

  private static Request request(String method, String url, byte[] body) {
    return new Request.Builder()
        .url(url)
        .method(
            method,
            body == null
                ? null
                : RequestBody.create(body, MediaType.parse("application/octet-stream")))
        .build();
  }

  private static String read(Response response) throws IOException {
    try (ResponseBody body = response.body()) {
      return ContractApp.outcome(response.code(), body == null ? 0 : body.bytes().length);
    }
  }

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    try (Response response = client.newCall(request(method, url, body)).execute()) {
      return read(response);
    }
  }

  @Override
  public String ownHeaders(String url) throws Exception {
    Request request = new Request.Builder().url(url).header("x-app", "1").build();
    try (Response response = client.newCall(request).execute()) {
      return "status="
          + response.code()
          + " visible="
          + request.headers().names()
          + " seen-by-response="
          + response.request().headers().names();
    }
  }

  @Override
  public Future<String> callAsync(String url) {
    Call call = client.newCall(request("GET", url, null));
    CompletableFuture<String> result =
        new CompletableFuture<String>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            call.cancel();
            return cancelled;
          }
        };
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              result.complete(read(response));
            } catch (IOException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void onFailure(Call c, IOException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public String callWithoutTimeouts(String url) throws Exception {
    OkHttpClient bare =
        client
            .newBuilder()
            .connectTimeout(0, TimeUnit.SECONDS)
            .readTimeout(0, TimeUnit.SECONDS)
            .callTimeout(0, TimeUnit.SECONDS)
            .build();
    try (Response response = bare.newCall(request("GET", url, null)).execute()) {
      return read(response);
    }
  }
}
