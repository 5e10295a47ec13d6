import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * HTTP client library per-call cost on loopback, in steady state: OkHttp 4 {@code
 * Call.execute()} and Apache HttpClient 5 classic {@code execute(HttpGet, handler)} GETs, each
 * reading the body fully, to a JDK HttpServer in the same JVM (as {@link HttpPerCall}). Prints
 * the best of five rounds of each, in microseconds, as "okhttp=<us> apache5=<us>".
 */
public final class HttpLibrariesPerCall {

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/items/42";
    OkHttpClient okhttp = new OkHttpClient();
    Request request = new Request.Builder().url(url).build();
    CloseableHttpClient apache = HttpClients.createDefault();
    HttpClientResponseHandler<Integer> handler =
        response -> {
          EntityUtils.toByteArray(response.getEntity());
          return response.getCode();
        };
    long sink = 0;
    for (int i = 0; i < 3000; i++) {
      sink += okhttp(okhttp, request) + apache.execute(new HttpGet(url), handler);
    }
    double ok = Double.MAX_VALUE;
    double ap = Double.MAX_VALUE;
    int n = 3000;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += okhttp(okhttp, request);
      }
      ok = Math.min(ok, (System.nanoTime() - start) / 1000.0 / n);
      start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += apache.execute(new HttpGet(url), handler);
      }
      ap = Math.min(ap, (System.nanoTime() - start) / 1000.0 / n);
    }
    System.out.printf("okhttp=%.1f apache5=%.1f sink=%d%n", ok, ap, sink % 7);
    apache.close();
    server.stop(0);
    System.exit(0);
  }

  private static int okhttp(OkHttpClient client, Request request) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      return response.code() + response.body().bytes().length;
    }
  }
}
