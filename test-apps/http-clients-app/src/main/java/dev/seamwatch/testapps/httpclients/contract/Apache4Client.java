package dev.seamwatch.testapps.httpclients.contract;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4 classic: {@code execute} with a response handler. */
final class Apache4Client implements ContractApp.Client {

  private final CloseableHttpClient client =
      HttpClients.custom()
          .setDefaultRequestConfig(
              RequestConfig.custom().setConnectTimeout(3000).setSocketTimeout(2000).build())
          .build();

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    RequestBuilder request = RequestBuilder.create(method).setUri(url);
    if (body != null) {
      request.setEntity(new ByteArrayEntity(body));
    }
    return client.execute(
        request.build(),
        response ->
            ContractApp.outcome(
                response.getStatusLine().getStatusCode(),
                response.getEntity() == null
                    ? 0
                    : EntityUtils.toByteArray(response.getEntity()).length));
  }

  @Override
  public String ownHeaders(String url) throws Exception {
    org.apache.http.client.methods.HttpGet request =
        new org.apache.http.client.methods.HttpGet(url);
    request.setHeader("x-app", "1");
    int status = client.execute(request, response -> response.getStatusLine().getStatusCode());
    java.util.List<String> names = new java.util.ArrayList<>();
    for (org.apache.http.Header header : request.getAllHeaders()) {
      names.add(header.getName());
    }
    return "status=" + status + " visible=" + names;
  }

  @Override
  public void close() throws Exception {
    client.close();
  }

  @Override
  public String callWithoutTimeouts(String url) throws Exception {
    try (CloseableHttpClient bare = org.apache.http.impl.client.HttpClients.createDefault()) {
      return bare.execute(
          new org.apache.http.client.methods.HttpGet(url),
          response ->
              ContractApp.outcome(
                  response.getStatusLine().getStatusCode(),
                  EntityUtils.toByteArray(response.getEntity()).length));
    }
  }
}
