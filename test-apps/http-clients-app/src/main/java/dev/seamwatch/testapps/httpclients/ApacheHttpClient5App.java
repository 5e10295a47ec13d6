package dev.seamwatch.testapps.httpclients;

import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * A real application making Apache HttpClient 5 classic calls, one per argument {@code
 * scenario=url}, printing one line per call on stdout, the same with and without the agent.
 */
public final class ApacheHttpClient5App {

  public static void main(String[] args) throws Exception {
    RequestConfig config =
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.ofSeconds(5))
            .setResponseTimeout(Timeout.ofSeconds(5))
            .build();
    try (CloseableHttpClient client =
        HttpClients.custom().setDefaultRequestConfig(config).build()) {
      for (String arg : args) {
        int eq = arg.indexOf('=');
        String scenario = arg.substring(0, eq);
        String url = arg.substring(eq + 1);
        String outcome;
        try {
          outcome = run(client, scenario, url);
        } catch (IOException e) {
          outcome = "failed " + e.getClass().getName();
        }
        System.out.println(scenario + " " + outcome);
      }
    }
  }

  private static String run(CloseableHttpClient client, String scenario, String url)
      throws Exception {
    switch (scenario) {
      case "get":
        return client.execute(
            new HttpGet(url),
            response ->
                "status="
                    + response.getCode()
                    + " body="
                    + EntityUtils.toByteArray(response.getEntity()).length);
      case "post":
        {
          HttpPost post = new HttpPost(url);
          post.setEntity(new StringEntity("x".repeat(1500)));
          return client.execute(
              post,
              response ->
                  "status="
                      + response.getCode()
                      + " body="
                      + EntityUtils.toString(response.getEntity()));
        }
      case "target":
        {
          // The execute(HttpHost, request) form: the request carries only the path.
          java.net.URI uri = java.net.URI.create(url);
          ClassicHttpRequest request = new HttpGet(uri.getRawPath());
          return client.execute(
              new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()),
              request,
              response -> "status=" + response.getCode());
        }
      case "own-request":
        {
          HttpGet request = new HttpGet(url);
          request.setHeader("x-app", "1");
          int status = client.execute(request, response -> response.getCode());
          return "status=" + status + " headers=" + request.getHeaders().length;
        }
      default:
        return "unknown scenario";
    }
  }
}
