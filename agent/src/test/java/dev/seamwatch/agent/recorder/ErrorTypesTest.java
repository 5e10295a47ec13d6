package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ErrorTypesTest {

  @Test
  void aRefusedConnectionFromARealSocket() throws IOException {
    int port;
    try (ServerSocket server = new ServerSocket(0)) {
      port = server.getLocalPort();
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (IOException refused) {
      assertThat(ErrorTypes.ofHttp(refused)).isEqualTo("connection_refused");
    }
  }

  @Test
  void aReadTimeoutFromARealSocket() throws IOException {
    try (ServerSocket server = new ServerSocket(0);
        Socket socket = new Socket("127.0.0.1", server.getLocalPort())) {
      socket.setSoTimeout(50);
      socket.getInputStream().read();
    } catch (SocketTimeoutException timeout) {
      assertThat(ErrorTypes.ofHttp(timeout)).isEqualTo("read_timeout");
    }
  }

  @Test
  void wrappedFailuresAreClassifiedByTheirCause() {
    // java.net.http reports an unknown host as a ConnectException caused by this.
    ConnectException jdkUnknownHost = new ConnectException();
    jdkUnknownHost.initCause(new UnresolvedAddressException());
    assertThat(ErrorTypes.ofHttp(jdkUnknownHost)).isEqualTo("unknown_host");
    assertThat(ErrorTypes.ofHttp(new UnknownHostException("x"))).isEqualTo("unknown_host");
    ConnectException jdkRefused = new ConnectException();
    jdkRefused.initCause(new ConnectException("Connection refused"));
    assertThat(ErrorTypes.ofHttp(new CompletionException(jdkRefused)))
        .isEqualTo("connection_refused");
    assertThat(ErrorTypes.ofHttp(new ExecutionException(new SSLHandshakeException("x"))))
        .isEqualTo("tls_handshake_failed");
  }

  @Test
  void timeoutsAreToldApart() {
    assertThat(ErrorTypes.ofHttp(new HttpConnectTimeoutException("x")))
        .isEqualTo("connect_timeout");
    assertThat(ErrorTypes.ofHttp(new SocketTimeoutException("Connect timed out")))
        .isEqualTo("connect_timeout");
    assertThat(ErrorTypes.ofHttp(new ConnectTimeoutException())).isEqualTo("connect_timeout");
    assertThat(ErrorTypes.ofHttp(new HttpTimeoutException("request timed out")))
        .isEqualTo("read_timeout");
    assertThat(ErrorTypes.ofHttp(new SocketTimeoutException("Read timed out")))
        .isEqualTo("read_timeout");
  }

  @Test
  void cancellationAndOtherFailures() {
    assertThat(ErrorTypes.ofHttp(new CancellationException())).isEqualTo("cancelled");
    assertThat(ErrorTypes.ofHttp(new IOException("stream reset"))).isEqualTo("java.io.IOException");
    assertThat(ErrorTypes.ofHttp(new CompletionException(new IllegalStateException())))
        .isEqualTo("java.lang.IllegalStateException");
  }

  /** Named as Apache HttpClient names its own (which the agent cannot see). */
  private static final class ConnectTimeoutException extends InterruptedIOException {}
}
