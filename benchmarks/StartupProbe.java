import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import com.sun.net.httpserver.HttpServer;

/**
 * Benchmark probe run by benchmarks/run for its startup and first-call workloads (compiled with
 * javac --release 11 into benchmarks/target/macro/classes).
 *
 * <p>Prints {@code BENCH main_ms=<epoch ms at main entry>} first, then runs a workload, then
 * prints {@code BENCH hwm_kb=<VmHWM of this process>} read from /proc/self/status. Only JDK
 * classes are used, so the probe itself adds next to nothing to what is measured.
 *
 * <ul>
 *   <li>{@code hello}: calls {@code dev.seamwatch.testapps.Hello.main} (the test-app jar must be
 *       on the class path), i.e. exactly the hello-world startup workload.
 *   <li>{@code call <url>}: one {@code HttpURLConnection} GET of {@code url}, read to the end; then
 *       prints {@code BENCH call_ms=<epoch ms when it returned>}: how long an application that calls
 *       out at once waits for its first answer.
 *   <li>{@code http [n]}: starts a JDK HttpServer on loopback and makes n (default 200)
 *       sequential java.net.http GET calls to it.
 * </ul>
 */
public final class StartupProbe {
  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    System.out.println("BENCH main_ms=" + mainMs);
    String mode = args.length > 0 ? args[0] : "hello";
    if (mode.equals("hello")) {
      Class.forName("dev.seamwatch.testapps.Hello")
          .getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } else if (mode.equals("call")) {
      java.net.HttpURLConnection connection =
          (java.net.HttpURLConnection) new java.net.URL(args[1]).openConnection();
      int status = connection.getResponseCode();
      try (java.io.InputStream in = connection.getInputStream()) {
        in.readAllBytes();
      }
      System.out.println("BENCH call_ms=" + System.currentTimeMillis() + " status=" + status);
    } else if (mode.equals("http")) {
      http(args.length > 1 ? Integer.parseInt(args[1]) : 200);
    } else {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("BENCH hwm_kb=" + vmHwmKb());
  }

  private static void http(int calls) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } finally {
            exchange.close();
          }
        });
    server.start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping");
      for (int i = 0; i < calls; i++) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IOException("call " + i + ": status " + response.statusCode());
        }
      }
    } finally {
      server.stop(0);
    }
  }

  private static long vmHwmKb() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmHWM in /proc/self/status");
  }
}
