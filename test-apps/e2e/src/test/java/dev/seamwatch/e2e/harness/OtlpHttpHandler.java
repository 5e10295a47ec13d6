package dev.seamwatch.e2e.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.seamwatch.e2e.harness.OtlpReceiver.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The OTLP/HTTP side of {@link OtlpReceiver}: binary protobuf, optionally gzip-compressed. */
final class OtlpHttpHandler implements HttpHandler {
  private static final String PROTOBUF = "application/x-protobuf";

  private final OtlpReceiver receiver;

  OtlpHttpHandler(OtlpReceiver receiver) {
    this.receiver = receiver;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Signal signal = signalOf(exchange.getRequestURI().getPath());
      if (signal == null || !"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(signal == null ? 404 : 405, -1);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      int verdict = receiver.admit(signal, OtlpReceiver.HTTP);
      if (verdict == OtlpReceiver.HANG) {
        receiver.awaitClose();
        return;
      }
      if (verdict != 0) {
        exchange.sendResponseHeaders(verdict, -1);
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.startsWith(PROTOBUF)) {
        receiver.protocolError(signal + ": unsupported Content-Type " + type);
        exchange.sendResponseHeaders(415, -1);
        return;
      }
      byte[] response;
      try {
        response = accept(signal, inflate(exchange, body));
      } catch (IOException e) {
        // Everything is in memory by now, so an IOException here is bad gzip or bad protobuf.
        receiver.protocolError(signal + ": " + e);
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      // An empty Export*ServiceResponse encodes to zero bytes; -1 is how HttpServer sends no body.
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.getResponseBody().write(response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Signal signalOf(String path) {
    return switch (path) {
      case "/v1/traces" -> Signal.TRACES;
      case "/v1/metrics" -> Signal.METRICS;
      case "/v1/logs" -> Signal.LOGS;
      default -> null;
    };
  }

  private static InputStream inflate(HttpExchange exchange, byte[] body) throws IOException {
    InputStream in = new ByteArrayInputStream(body);
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(in) : in;
  }

  private byte[] accept(Signal signal, InputStream in) throws IOException {
    switch (signal) {
      case TRACES -> {
        receiver.accept(ExportTraceServiceRequest.parseFrom(in));
        return ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      }
      case METRICS -> {
        receiver.accept(ExportMetricsServiceRequest.parseFrom(in));
        return ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      }
      default -> {
        receiver.accept(ExportLogsServiceRequest.parseFrom(in));
        return ExportLogsServiceResponse.getDefaultInstance().toByteArray();
      }
    }
  }
}
