package dev.seamwatch.bootstrap;

import java.util.concurrent.CompletableFuture;

/**
 * One outgoing HTTP request in flight. It ends exactly once, whichever of the {@code end} methods
 * is called first; later calls are ignored.
 */
public interface HttpClientCall {

  /**
   * The trace-context headers to put on the outgoing request, as alternating names and values. For
   * clients whose requests are mutable or built by the instrumentation.
   */
  String[] propagationHeaders();

  /**
   * The request to send in place of {@code request}: for clients whose request objects are
   * immutable (java.net.http), a request carrying the propagation headers that leaves the
   * application's own object untouched. Returns {@code request} itself when it cannot do better.
   */
  Object carrier(Object request);

  /**
   * The bytes of the request body, for clients whose advice reads it: its declared length, or the
   * bytes counted as written; -1 when not known.
   */
  void requestBodySize(long bytes);

  /**
   * Ends the call with the client's response object, read by the instrumentation's adapter, or with
   * the exception the call threw. Also closes the call's scope on the calling thread.
   */
  void end(Object response, Throwable error);

  /**
   * Ends the call with facts the advice read itself, for clients whose types the agent cannot see
   * (they live in the application's class loader).
   *
   * @param statusCode the response status, or 0 when there is no response
   * @param protocolVersion {@code network.protocol.version} such as {@code 1.1}, or null
   * @param responseBodySize bytes of the response body, or -1 when not known
   * @param error what the call threw, or null
   */
  void end(int statusCode, String protocolVersion, long responseBodySize, Throwable error);

  /**
   * For asynchronous clients: closes the call's scope on the calling thread now, and ends the call
   * when {@code future} completes, fails or is cancelled. The application's future is not replaced.
   */
  void endOn(CompletableFuture<?> future);

  /**
   * Leaves the client method with the call still open ({@code HttpURLConnection.connect} or {@code
   * getOutputStream} returned; the response comes later).
   */
  void leave();

  /**
   * The body handler to use in place of the application's ({@code java.net.http}): it hands the
   * application's subscriber exactly what it would have had, and lets the recorder see the bytes as
   * they pass (size, emptiness, JSON shape). Returns {@code handler} itself when it cannot do
   * better.
   */
  Object responseHandler(Object handler);

  /**
   * The stream the application reads the response body from (a client's own stream class whose
   * reads are hooked, {@link CallRecorder#bodyRead}): the recorder watches what the application
   * reads from it, and never reads from it itself.
   */
  void responseStream(Object stream);

  /**
   * The timeouts the call runs with, in milliseconds, for the readiness findings: 0 means none
   * (wait forever), -1 not known. {@code response} is the read, response or request timeout,
   * whichever the client has.
   */
  void timeouts(long connectMillis, long responseMillis);
}
