package dev.seamwatch.testapps.httpclients.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client contract, as an application: {@code ContractApp <client> scenario=url ...} makes
 * each call with the named client library and prints one line per call, the same with and without
 * the agent. Every client runs the same scenarios; only how each makes a call differs ({@link
 * Client}).
 *
 * <ul>
 *   <li>{@code get=url}: a GET, body read; {@code post=url}: a POST of 1,500 bytes.
 *   <li>{@code async=url}: a GET through the client's asynchronous API, awaited.
 *   <li>{@code cancel=url}: an asynchronous GET cancelled after 300 ms.
 *   <li>{@code concurrent=url}: 8 threads making 4 GETs each, to {@code url?n=<i>}.
 *   <li>{@code own-headers=url}: a GET with a header of the application's, then the headers its
 *       request object shows.
 *   <li>{@code no-timeouts=url}: a GET through a client with no timeouts.
 * </ul>
 *
 * Every client is configured with a 3 s connect timeout and a 2 s read (response) timeout
 * (generous: a loaded 2-core machine answers slowly), follows redirects, and trusts what the JVM's
 * default trust store trusts.
 */
public final class ContractApp {

  static final int POST_BYTES = 1500;
  static final int THREADS = 8;
  static final int CALLS_PER_THREAD = 4;

  /** One client library, driven the same way as every other. */
  interface Client extends AutoCloseable {
    /** Status and body length of a call, or throws what the client threw. */
    String call(String method, String url, byte[] body) throws Exception;

    /** The same through the client's asynchronous API; null when it has none. */
    default Future<String> callAsync(String url) throws Exception {
      return null;
    }

    /**
     * A GET with the application's own header {@code x-app}; then how many headers the
     * application's request object shows: the agent must not have added any to it.
     */
    String ownHeaders(String url) throws Exception;

    /**
     * A GET through a client built with the library's defaults and no timeouts (0 where the library
     * has a default), for the readiness findings; null when the scenario does not apply.
     */
    default String callWithoutTimeouts(String url) throws Exception {
      return null;
    }

    @Override
    default void close() throws Exception {}
  }

  public static void main(String[] args) throws Exception {
    try (Client client = client(args[0])) {
      for (int i = 1; i < args.length; i++) {
        int eq = args[i].indexOf('=');
        String scenario = args[i].substring(0, eq);
        String url = args[i].substring(eq + 1);
        System.out.println(scenario + " " + run(client, scenario, url));
      }
    }
  }

  private static Client client(String name) throws Exception {
    switch (name) {
      case "java-http-client":
        return new JdkClient();
      case "http-url-connection":
        return new UrlConnectionClient();
      case "apache-httpclient-5":
        return new Apache5Client();
      case "apache-httpclient-5-async":
        return new Apache5AsyncClient();
      case "apache-httpclient-4":
        return new Apache4Client();
      case "apache-httpclient-4-legacy":
        return new Apache4LegacyClient();
      case "okhttp":
        return new OkHttpContractClient();
      default:
        throw new IllegalArgumentException("unknown client " + name);
    }
  }

  private static String run(Client client, String scenario, String url) {
    try {
      switch (scenario) {
        case "get":
          return client.call("GET", url, null);
        case "post":
          return client.call("POST", url, new byte[POST_BYTES]);
        case "async":
          {
            Future<String> future = client.callAsync(url);
            return future == null ? "no async API" : future.get(10, TimeUnit.SECONDS);
          }
        case "cancel":
          {
            Future<String> future = client.callAsync(url);
            if (future == null) {
              return "no async API";
            }
            Thread.sleep(300);
            future.cancel(true);
            try {
              return "not cancelled " + future.get(10, TimeUnit.SECONDS);
            } catch (CancellationException expected) {
              return "cancelled";
            }
          }
        case "own-headers":
          return client.ownHeaders(url);
        case "no-timeouts":
          {
            String outcome = client.callWithoutTimeouts(url);
            return outcome == null ? "not applicable" : outcome;
          }
        case "concurrent":
          return concurrent(client, url);
        default:
          return "unknown scenario";
      }
    } catch (ExecutionException e) {
      return "failed " + e.getCause().getClass().getName();
    } catch (Exception e) {
      return "failed " + e.getClass().getName();
    }
  }

  private static String concurrent(Client client, String url) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  StringBuilder outcomes = new StringBuilder();
                  for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    String target = url + "?n=" + (thread * CALLS_PER_THREAD + i);
                    try {
                      outcomes.append(client.call("GET", target, null)).append('\n');
                    } catch (Exception e) {
                      outcomes.append("failed ").append(e.getClass().getName()).append('\n');
                    }
                  }
                  return outcomes.toString();
                },
                pool));
      }
      Map<String, Integer> counts = new TreeMap<>();
      for (CompletableFuture<String> call : calls) {
        for (String outcome : call.get(30, TimeUnit.SECONDS).split("\n")) {
          counts.merge(outcome, 1, Integer::sum);
        }
      }
      return counts.toString();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A future of {@code source}'s outcome whose {@code cancel} cancels {@code source} itself (a
   * dependent stage's does not).
   */
  static <T> Future<String> outcomeOf(
      CompletableFuture<T> source, java.util.function.Function<T, String> outcome) {
    CompletableFuture<String> result =
        new CompletableFuture<String>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            source.cancel(mayInterruptIfRunning);
            return cancelled;
          }
        };
    source.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(outcome.apply(value));
          }
        });
    return result;
  }

  static String outcome(int status, long bodyBytes) {
    return "status=" + status + " body=" + bodyBytes;
  }
}
