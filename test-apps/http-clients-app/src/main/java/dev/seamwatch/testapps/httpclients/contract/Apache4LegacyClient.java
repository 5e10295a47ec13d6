package dev.seamwatch.testapps.httpclients.contract;

import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpClient 4.0 to 4.2's {@code DefaultHttpClient}, which later 4.x versions keep
 * (deprecated): GETs only, for running on versions the agent does not support.
 */
@SuppressWarnings("deprecation")
final class Apache4LegacyClient implements ContractApp.Client {

  /**
   * Called through the interface: against 4.3 and later, {@code DefaultHttpClient.execute} would
   * compile to the covariant {@code CloseableHttpResponse} method, which 4.2 does not have.
   */
  private final HttpClient client = new DefaultHttpClient();

  @Override
  public String call(String method, String url, byte[] body) throws Exception {
    HttpResponse response = client.execute(new HttpGet(url));
    byte[] bytes =
        response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
    return ContractApp.outcome(response.getStatusLine().getStatusCode(), bytes.length);
  }

  @Override
  public String ownHeaders(String url) {
    return "not supported";
  }

  @Override
  public void close() {
    client.getConnectionManager().shutdown();
  }
}
