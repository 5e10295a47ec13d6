import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * HTTP client per-call cost on loopback, in steady state: {@code HttpURLConnection} and {@code
 * java.net.http} GETs to a JDK HttpServer in the same JVM. Prints the best of five rounds of
 * each, in microseconds, as "urlconnection=<us> jdkclient=<us>".
 */
public final class HttpPerCall {

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
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
    long sink = 0;
    for (int i = 0; i < 3000; i++) {
      sink += urlConnection(url) + client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
    double huc = Double.MAX_VALUE;
    double jdk = Double.MAX_VALUE;
    int n = 3000;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += urlConnection(url);
      }
      huc = Math.min(huc, (System.nanoTime() - start) / 1000.0 / n);
      start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
      }
      jdk = Math.min(jdk, (System.nanoTime() - start) / 1000.0 / n);
    }
    System.out.printf("urlconnection=%.1f jdkclient=%.1f sink=%d%n", huc, jdk, sink % 7);
    server.stop(0);
    System.exit(0);
  }

  private static int urlConnection(String url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    return status;
  }
}
