package dev.seamwatch.testapps.httpclients;

import java.io.IOException;
import java.net.URI;
import org.apache.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * A real application making Apache HttpClient 4 calls, one per argument {@code scenario=url},
 * printing one line per call on stdout, the same with and without the agent.
 */
public final class ApacheHttpClient4App {

  public static void main(String[] args) throws Exception {
    RequestConfig config =
        RequestConfig.custom().setConnectTimeout(5000).setSocketTimeout(5000).build();
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
      throws IOException {
    switch (scenario) {
      case "get":
        try (CloseableHttpResponse response = client.execute(new HttpGet(url))) {
          return "status="
              + response.getStatusLine().getStatusCode()
              + " body="
              + EntityUtils.toByteArray(response.getEntity()).length;
        }
      case "post":
        {
          HttpPost post = new HttpPost(url);
          post.setEntity(new StringEntity("y".repeat(700)));
          return client.execute(
              post,
              response ->
                  "status="
                      + response.getStatusLine().getStatusCode()
                      + " body="
                      + EntityUtils.toString(response.getEntity()));
        }
      case "target":
        {
          URI uri = URI.create(url);
          try (CloseableHttpResponse response =
              client.execute(
                  new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme()),
                  new HttpGet(uri.getRawPath()))) {
            EntityUtils.consume(response.getEntity());
            return "status=" + response.getStatusLine().getStatusCode();
          }
        }
      default:
        return "unknown scenario";
    }
  }
}
