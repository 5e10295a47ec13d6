package dev.seamwatch.testapps.httpclients.contract;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/** Apache HttpClient 5 classic: {@code execute} with a response handler. */
final class Apache5Client implements ContractApp.Client {

  @SuppressWarnings("deprecation") // setConnectTimeout: still there, and in every 5.x version
  private final CloseableHttpClient client =
      HttpClients.custom()
          .setDefaultRequestConfig(
              RequestConfig.custom()
                  .setConnectTimeout(Timeout.ofSeconds(3))
                  .setResponseTimeout(Timeout.ofSeconds(2))
                  .build())
          .build();

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    HttpUriRequestBase request = new HttpUriRequestBase(method, java.net.URI.create(url));
    if (body != null) {
      request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
    }
    return client.execute(
        request,
        response ->
            ContractApp.outcome(
                response.getCode(),
                response.getEntity() == null
                    ? 0
                    : EntityUtils.toByteArray(response.getEntity()).length));
  }

  @Override
  public String ownHeaders(String url) throws Exception {
    HttpUriRequestBase request = new HttpUriRequestBase("GET", java.net.URI.create(url));
    request.setHeader("x-app", "1");
    int status = client.execute(request, response -> response.getCode());
    return "status=" + status + " visible=" + names(request.getHeaders());
  }

  static java.util.List<String> names(org.apache.hc.core5.http.Header[] headers) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (org.apache.hc.core5.http.Header header : headers) {
      names.add(header.getName());
    }
    return names;
  }

  @Override
  public void close() throws Exception {
    client.close();
  }

  @Override
  public String callWithoutTimeouts(String url) throws Exception {
    try (CloseableHttpClient bare = HttpClients.createDefault()) {
      return bare.execute(
          new HttpUriRequestBase("GET", java.net.URI.create(url)),
          response ->
              ContractApp.outcome(
                  response.getCode(), EntityUtils.toByteArray(response.getEntity()).length));
    }
  }
}
