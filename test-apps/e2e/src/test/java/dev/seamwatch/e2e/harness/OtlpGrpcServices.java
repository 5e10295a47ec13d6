package dev.seamwatch.e2e.harness;

import dev.seamwatch.e2e.harness.OtlpReceiver.Signal;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.List;

/** The OTLP/gRPC side of {@link OtlpReceiver}: the three collector services. */
final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  static List<BindableService> of(OtlpReceiver receiver) {
    return List.of(new Traces(receiver), new Metrics(receiver), new Logs(receiver));
  }

  /**
   * Returns true when the request is to be accepted. Otherwise it has been failed, or is left
   * pending for the server's shutdown to cancel.
   */
  private static boolean admitted(OtlpReceiver receiver, Signal signal, StreamObserver<?> out) {
    int verdict = receiver.admit(signal, OtlpReceiver.GRPC);
    if (verdict == OtlpReceiver.HANG) {
      return false;
    }
    if (verdict != 0) {
      String why = "receiver told to answer HTTP " + verdict;
      out.onError(statusFor(verdict).withDescription(why).asRuntimeException());
      return false;
    }
    return true;
  }

  /** The gRPC code a collector would use where its HTTP side answers this status. */
  private static Status statusFor(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.INVALID_ARGUMENT;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.UNIMPLEMENTED;
      case 429 -> Status.RESOURCE_EXHAUSTED;
      case 502, 503, 504 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  private static final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
    private final OtlpReceiver receiver;

    Traces(OtlpReceiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
      if (admitted(receiver, Signal.TRACES, out)) {
        receiver.accept(request);
        out.onNext(ExportTraceServiceResponse.getDefaultInstance());
        out.onCompleted();
      }
    }
  }

  private static final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
    private final OtlpReceiver receiver;

    Metrics(OtlpReceiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void export(
        ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> out) {
      if (admitted(receiver, Signal.METRICS, out)) {
        receiver.accept(request);
        out.onNext(ExportMetricsServiceResponse.getDefaultInstance());
        out.onCompleted();
      }
    }
  }

  private static final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
    private final OtlpReceiver receiver;

    Logs(OtlpReceiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void export(
        ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> out) {
      if (admitted(receiver, Signal.LOGS, out)) {
        receiver.accept(request);
        out.onNext(ExportLogsServiceResponse.getDefaultInstance());
        out.onCompleted();
      }
    }
  }
}
