package dev.seamwatch.testapps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The demo: a small "checkout" service that calls two partner APIs over {@code java.net.http}, the
 * way services do in production: lookups by id, a payment that is sometimes refused, an inventory
 * service that is down, a slow shipping quote with a timeout, an API key in a query string; and
 * keeps its orders in a database behind a connection pool ({@link OrdersDatabase}).
 *
 * <p>The partner APIs are real HTTP servers on loopback, started here. Run it with the agent
 * attached and the integration report appears at exit; no collector is needed.
 */
public final class DemoService {

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer partners = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partners.setExecutor(Executors.newFixedThreadPool(4));
    partners.createContext(
        "/catalog/items/", exchange -> respond(exchange, 200, "{\"id\":7,\"sku\":\"A-7\"}"));
    partners.createContext(
        "/payments",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          boolean declined = exchange.getRequestURI().getPath().endsWith("/3");
          respond(
              exchange,
              declined ? 402 : 201,
              declined ? "{\"error\":\"declined\"}" : "{\"ok\":true}");
        });
    partners.createContext(
        "/shipping/quote",
        exchange -> {
          sleep(400);
          respond(exchange, 200, "{\"price\":4.9}");
        });
    partners.start();
    String base = "http://127.0.0.1:" + partners.getAddress().getPort();
    String inventory = "http://127.0.0.1:" + closedPort();

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int ok = 0;
    int failed = 0;
    for (int order = 1; order <= 5; order++) {
      String itemUrl = base + "/catalog/items/" + (1000 + order) + "?api_key=s3cr3t-demo-key";
      ok += status(client, HttpRequest.newBuilder(URI.create(itemUrl)).build()) < 400 ? 1 : 0;
      int payment =
          status(
              client,
              HttpRequest.newBuilder(URI.create(base + "/payments/" + order))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":" + order * 10 + "}"))
                  .build());
      if (payment >= 400) {
        failed++;
      }
    }
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(inventory + "/stock/1")).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      System.out.println("inventory unavailable: " + e.getClass().getSimpleName());
    }
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(base + "/shipping/quote?zip=10115"))
              .timeout(Duration.ofMillis(150))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.out.println("shipping quote timed out: " + e.getClass().getSimpleName());
    }
    List<CompletableFuture<HttpResponse<String>>> lookups = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      lookups.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/catalog/items/" + (2000 + i))).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0])).join();
    OrdersDatabase.run();
    System.out.println(
        "checkout demo done: "
            + ok
            + " catalog lookups, "
            + failed
            + " declined payment(s), 3 async lookups");
    partners.stop(0);
    System.exit(0);
  }

  private static int status(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
