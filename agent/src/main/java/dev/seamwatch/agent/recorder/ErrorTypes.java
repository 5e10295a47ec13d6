package dev.seamwatch.agent.recorder;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * {@code error.type} for a failed call.
 *
 * <p>HTTP clients throw different exceptions for the same failure: a refused connection is a {@code
 * java.net.ConnectException} from the JDK and OkHttp and an {@code HttpHostConnectException} from
 * Apache; an unknown host is an {@code UnknownHostException} from most, but a {@code
 * ConnectException} caused by an {@code UnresolvedAddressException} from {@code java.net.http}. A
 * dashboard cannot group those, so the failures every client has get one documented value each,
 * whatever the client (the README lists them):
 *
 * <ul>
 *   <li>{@code connection_refused}, {@code unknown_host}, {@code connect_timeout}, {@code
 *       read_timeout} (the response did not come in time: read, response or request timeout),
 *       {@code tls_handshake_failed} (certificate, protocol or host name), {@code cancelled}.
 * </ul>
 *
 * Anything else is the exception's fully-qualified class name, as the semantic conventions
 * recommend, after unwrapping the wrappers that futures add (so that {@code send} and {@code
 * sendAsync} report a failure the same way). A response of status 400 and above is its status code,
 * decided by the recorder. The exception's message is never used as a value.
 */
public final class ErrorTypes {

  public static final String CONNECTION_REFUSED = "connection_refused";
  public static final String UNKNOWN_HOST = "unknown_host";
  public static final String CONNECT_TIMEOUT = "connect_timeout";
  public static final String READ_TIMEOUT = "read_timeout";
  public static final String TLS_HANDSHAKE_FAILED = "tls_handshake_failed";
  public static final String CANCELLED = "cancelled";

  private ErrorTypes() {}

  public static Throwable unwrap(Throwable error) {
    Throwable current = error;
    for (int i = 0; i < 8 && current.getCause() != null; i++) {
      if (current instanceof CompletionException || current instanceof ExecutionException) {
        current = current.getCause();
      } else {
        break;
      }
    }
    return current;
  }

  /** The exception's class name, for calls that are not HTTP (JDBC reports its SQLState too). */
  public static String of(Throwable error) {
    return unwrap(error).getClass().getName();
  }

  /**
   * The class of failure of an HTTP call, one of the constants above, or the class name. The causes
   * are looked at too, since clients wrap the socket's exception in their own.
   */
  public static String ofHttp(Throwable error) {
    Throwable top = unwrap(error);
    // The most specific class anywhere in the chain wins: java.net.http reports an unknown host
    // as a ConnectException caused by an UnresolvedAddressException.
    int best = OTHER;
    Throwable current = top;
    for (int depth = 0; current != null && depth < 8; depth++) {
      best = Math.min(best, classify(current));
      current = current.getCause() == current ? null : current.getCause();
    }
    return best == OTHER ? top.getClass().getName() : BY_RANK[best];
  }

  private static final String[] BY_RANK = {
    CANCELLED, UNKNOWN_HOST, CONNECT_TIMEOUT, TLS_HANDSHAKE_FAILED, CONNECTION_REFUSED, READ_TIMEOUT
  };
  private static final int OTHER = BY_RANK.length;

  private static int classify(Throwable error) {
    String name = error.getClass().getName();
    if (error instanceof CancellationException) {
      return 0;
    }
    if (error instanceof UnknownHostException
        || name.equals("java.nio.channels.UnresolvedAddressException")) {
      return 1;
    }
    // java.net.http's HttpConnectTimeoutException, Apache's ConnectTimeoutException, and a
    // socket's SocketTimeoutException "Connect timed out".
    if (name.endsWith("ConnectTimeoutException") || isConnectTimeoutMessage(error)) {
      return 2;
    }
    if (error instanceof SSLException) {
      return 3;
    }
    if (error instanceof ConnectException) {
      return 4;
    }
    if (error instanceof SocketTimeoutException
        || name.equals("java.net.http.HttpTimeoutException")) {
      return 5;
    }
    return OTHER;
  }

  /**
   * The JDK's sockets say which timeout expired only in the message of a {@code
   * SocketTimeoutException}: "Connect timed out" (JDK 13 and later) or "connect timed out". Read
   * here as a fixed JDK text, never copied into telemetry.
   */
  private static boolean isConnectTimeoutMessage(Throwable error) {
    if (!(error instanceof SocketTimeoutException)) {
      return false;
    }
    String message = error.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).startsWith("connect timed out");
  }
}
