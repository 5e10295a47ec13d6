package dev.seamwatch.agent.instrumentation.http.okhttp;

import dev.seamwatch.agent.instrumentation.Reflective;
import dev.seamwatch.agent.recorder.ErrorTypes;
import dev.seamwatch.agent.recorder.HttpClientAdapter;
import dev.seamwatch.agent.recorder.ResponseBody;

/**
 * Reads OkHttp's call, request and response objects through their public methods, reflectively (see
 * {@link OkHttpInstrumentation} for why), with {@link Reflective}.
 */
final class OkHttpAdapter implements HttpClientAdapter {

  // One site per role, since a site remembers one class: a request's body and a response's are
  // of different classes.
  private static final Reflective.Site REQUEST = Reflective.site("request", 0);
  private static final Reflective.Site METHOD = Reflective.site("method", 0);
  private static final Reflective.Site URL = Reflective.site("url", 0);
  private static final Reflective.Site NEW_BUILDER = Reflective.site("newBuilder", 0);
  private static final Reflective.Site HEADER = Reflective.site("header", 2);
  private static final Reflective.Site BUILD = Reflective.site("build", 0);
  private static final Reflective.Site REQUEST_BODY = Reflective.site("body", 0);
  private static final Reflective.Site REQUEST_BODY_LENGTH = Reflective.site("contentLength", 0);
  private static final Reflective.Site CODE = Reflective.site("code", 0);
  private static final Reflective.Site PROTOCOL = Reflective.site("protocol", 0);
  private static final Reflective.Site RESPONSE_BODY = Reflective.site("body", 0);
  private static final Reflective.Site RESPONSE_BODY_LENGTH = Reflective.site("contentLength", 0);
  private static final Reflective.Site GET_CLIENT = Reflective.site("getClient", 0);
  private static final Reflective.Site CALL_TIMEOUT = Reflective.site("callTimeoutMillis", 0);
  private static final Reflective.Site CONNECT_TIMEOUT = Reflective.site("connectTimeoutMillis", 0);
  private static final Reflective.Site READ_TIMEOUT = Reflective.site("readTimeoutMillis", 0);
  private static final Reflective.Site SIZE = Reflective.site("size", 0);

  /** The application's {@code Request} of a {@code RealCall}. */
  @Override
  public Object request(Object call) {
    try {
      return REQUEST.invoke(call);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public String method(Object request) {
    try {
      return (String) METHOD.invoke(request);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public String url(Object request) {
    try {
      Object url = URL.invoke(request);
      return url == null ? null : url.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A copy of {@code request} with the headers set, built by the request's own {@code newBuilder};
   * the application's object is left as it was.
   */
  @Override
  public Object carrier(Object request, String[] headers) {
    if (headers.length == 0) {
      return request;
    }
    try {
      Object builder = NEW_BUILDER.invoke(request);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        builder = HEADER.invoke(builder, headers[i], headers[i + 1]);
      }
      return BUILD.invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return request;
    }
  }

  /** The body's declared length: 0 without a body, -1 when streamed with no known length. */
  @Override
  public long requestBodySize(Object request) {
    try {
      Object body = REQUEST_BODY.invoke(request);
      return body == null ? 0 : (Long) REQUEST_BODY_LENGTH.invoke(body);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public int statusCode(Object response) {
    try {
      return response == null ? 0 : (Integer) CODE.invoke(response);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  /** OkHttp's protocol names: {@code http/1.1}, {@code h2}, {@code h2_prior_knowledge}. */
  @Override
  public String protocolVersion(Object response) {
    try {
      Object protocol = response == null ? null : PROTOCOL.invoke(response);
      if (protocol == null) {
        return null;
      }
      String name = protocol.toString();
      if (name.startsWith("http/")) {
        return name.substring(5);
      }
      return name.startsWith("h2") ? "2" : name.equals("h3") ? "3" : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The response's {@code Content-Length}, as OkHttp's body reports it; -1 when chunked. */
  @Override
  public long responseBodySize(Object response) {
    try {
      Object body = response == null ? null : RESPONSE_BODY.invoke(response);
      return body == null ? -1 : (Long) RESPONSE_BODY_LENGTH.invoke(body);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * OkHttp reports a cancelled call as a plain {@code IOException} with the fixed text "Canceled"
   * (since OkHttp 3); the text is matched, never copied.
   */
  @Override
  public String errorType(Throwable error) {
    if (error.getClass() == java.io.IOException.class && "Canceled".equals(error.getMessage())) {
      return ErrorTypes.CANCELLED;
    }
    return null;
  }

  /**
   * The call's client's timeouts (OkHttp defaults to 10 s each); a call timeout bounds both, so a 0
   * read or connect timeout counts as none only without one.
   */
  @Override
  public long[] timeouts(Object handle) {
    try {
      Object client = GET_CLIENT.invoke(handle);
      if (client == null) {
        return null;
      }
      ClientTimeouts known = lastClient;
      if (known != null && known.client.get() == client) {
        return known.timeouts;
      }
      long call = ((Number) CALL_TIMEOUT.invoke(client)).longValue();
      long connect = ((Number) CONNECT_TIMEOUT.invoke(client)).longValue();
      long read = ((Number) READ_TIMEOUT.invoke(client)).longValue();
      long[] timeouts = {
        call > 0 && connect == 0 ? call : connect, call > 0 && read == 0 ? call : read
      };
      lastClient = new ClientTimeouts(client, timeouts);
      return timeouts;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The timeouts of the client that made the last call: an {@code OkHttpClient} never changes (a
   * changed copy is another client), and a service has one or a few, so most calls skip the three
   * reads. Held weakly; the recorder only reads the array.
   */
  private volatile ClientTimeouts lastClient;

  private static final class ClientTimeouts {
    final java.lang.ref.WeakReference<Object> client;
    final long[] timeouts;

    ClientTimeouts(Object client, long[] timeouts) {
      this.client = new java.lang.ref.WeakReference<>(client);
      this.timeouts = timeouts;
    }
  }

  /** okio's {@code Buffer.size()}. */
  @Override
  public long bufferSize(Object buffer) {
    try {
      Object size = buffer == null ? null : SIZE.invoke(buffer);
      return size instanceof Long ? (Long) size : -1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * okio's {@code Buffer.copyTo(OutputStream, long, long)}: copies without consuming, so the
   * application's source reads exactly what it would have read. Looked up by its parameter types,
   * since {@code copyTo(Buffer, long, long)} has the same name and arity.
   */
  private static final ClassValue<java.lang.reflect.Method> COPY_TO =
      new ClassValue<java.lang.reflect.Method>() {
        @Override
        protected java.lang.reflect.Method computeValue(Class<?> type) {
          try {
            return type.getMethod("copyTo", java.io.OutputStream.class, long.class, long.class);
          } catch (NoSuchMethodException | RuntimeException e) {
            return null;
          }
        }
      };

  @Override
  public void copyBody(Object buffer, long offset, long n, ResponseBody body) {
    java.lang.reflect.Method copyTo = buffer == null ? null : COPY_TO.get(buffer.getClass());
    if (copyTo == null || n <= 0) {
      return;
    }
    try {
      copyTo.invoke(
          buffer,
          new java.io.OutputStream() {
            @Override
            public void write(int b) {
              body.feed(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              body.feed(b, off, len);
            }
          },
          offset,
          n);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // The body goes unwatched from here; the application's read is unaffected.
    }
  }
}
