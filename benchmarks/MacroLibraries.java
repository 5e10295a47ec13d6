import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** The HTTP client library calls of {@link MacroWorkload}: OkHttp 4 and Apache HttpClient 5. */
final class MacroLibraries {
  private MacroLibraries() {}

  static MacroWorkload.Call okhttp(String url) {
    OkHttpClient client = new OkHttpClient();
    Request request = new Request.Builder().url(url).build();
    return i -> {
      try (Response response = client.newCall(request).execute()) {
        return response.code() + response.body().bytes().length;
      }
    };
  }

  static MacroWorkload.Call apache5(String url) {
    CloseableHttpClient client = HttpClients.createDefault();
    HttpClientResponseHandler<Integer> handler =
        response -> response.getCode() + EntityUtils.toByteArray(response.getEntity()).length;
    return i -> client.execute(new HttpGet(url), handler);
  }
}
