package dev.seamwatch.agent.recorder;

/**
 * Reads one HTTP client's request and response objects for the recorder. The JDK's clients are read
 * directly; OkHttp, whose classes the application loads (and whose names the agent's own relocated
 * copy would shadow), reflectively. Other clients loaded by the application hand plain facts over
 * in their advice instead.
 */
public interface HttpClientAdapter {

  HttpClientAdapter NONE = new HttpClientAdapter() {};

  /**
   * The request a client's call object stands for (OkHttp's {@code RealCall} holds its {@code
   * Request}), read once per call; the object itself for clients whose handle is the request.
   */
  default Object request(Object handle) {
    return handle;
  }

  /** The request's method, for clients whose request object the recorder reads. */
  default String method(Object request) {
    return null;
  }

  /** The request's absolute URL, for clients whose request object the recorder reads. */
  default String url(Object request) {
    return null;
  }

  /**
   * The request to send in place of {@code request}, carrying {@code headers} (alternating names
   * and values), without changing the application's own object; or, for a mutable request not yet
   * sent, {@code request} itself with the headers set on it.
   */
  default Object carrier(Object request, String[] headers) {
    return request;
  }

  /** Bytes the request body will send, or -1 when not known up front. */
  default long requestBodySize(Object request) {
    return -1;
  }

  /** The response status code, or 0 when unknown. */
  default int statusCode(Object response) {
    return 0;
  }

  /** {@code network.protocol.version}, such as {@code 1.1} or {@code 2}; null when unknown. */
  default String protocolVersion(Object response) {
    return null;
  }

  /** Bytes of the response body, or -1 when not known. */
  default long responseBodySize(Object response) {
    return -1;
  }

  /**
   * {@code error.type} for a failure only this client can recognise (OkHttp's cancelled call is a
   * plain {@code IOException}), or null to let {@link ErrorTypes#ofHttp} decide.
   */
  default String errorType(Throwable error) {
    return null;
  }

  /**
   * A body handler that gives the application's handler exactly what it would have had and feeds
   * {@code body} on the way; {@code handler} itself when the client has no such thing.
   */
  default Object responseHandler(Object handler, ResponseBody body) {
    return handler;
  }

  /**
   * The connect and response timeouts, in milliseconds, of the client that runs the call object
   * {@code handle} (0: none, -1: not known); null when the adapter cannot tell.
   */
  default long[] timeouts(Object handle) {
    return null;
  }

  /** The bytes in a client's body buffer (OkHttp's), or -1. */
  default long bufferSize(Object buffer) {
    return -1;
  }

  /** Hands {@code body} the {@code n} bytes at {@code offset} of a client's body buffer. */
  default void copyBody(Object buffer, long offset, long n, ResponseBody body) {}
}
