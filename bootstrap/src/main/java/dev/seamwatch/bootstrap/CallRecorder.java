package dev.seamwatch.bootstrap;

/**
 * What advice tells the agent about one external call: plain facts in, a handle out.
 *
 * <p>Every method returns quickly and never throws; a {@code null} handle means "not recorded" (the
 * call is nested in another Seamwatch call of the same kind, was made by the agent itself, came
 * before the agent started, or its instrumentation is off) and advice then does nothing more.
 */
public interface CallRecorder {

  /**
   * Starts one outgoing HTTP request and makes it current on the calling thread.
   *
   * @param instrumentation the instrumentation's name, for example {@code java-http-client}
   * @param method the request method, for example {@code GET}
   * @param url the absolute request URL, as the client will send it (redacted by the recorder)
   */
  HttpClientCall startHttpClient(String instrumentation, String method, String url);
}
