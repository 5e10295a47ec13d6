package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import dev.seamwatch.bootstrap.HttpClientCall;
import dev.seamwatch.bootstrap.SeamwatchLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecorderTest {

  // Wire names from the design, spelled out so that a constant changing underneath shows up here.
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
  private static final AttributeKey<String> INTEGRATION =
      AttributeKey.stringKey("seamwatch.integration.name");
  private static final AttributeKey<String> PROTOCOL =
      AttributeKey.stringKey("network.protocol.version");
  private static final AttributeKey<Long> REQUEST_SIZE =
      AttributeKey.longKey("http.request.body.size");
  private static final AttributeKey<Long> RESPONSE_SIZE =
      AttributeKey.longKey("http.response.body.size");

  private static final String URL = "https://alice:s3cret@API.Example.com/users/42?token=abc123";
  private static final String INTEGRATION_KEY = "https://api.example.com:443";

  private InMemorySpanExporter spans;
  private InMemoryMetricReader metrics;
  private OpenTelemetrySdk sdk;
  private KeyRegistry keys;
  private final Map<String, HttpClientAdapter> adapters = new HashMap<>();
  private Recorder recorder;
  private CallSpans callSpans;

  /** The recorded calls' spans, to the tracer provider's processor, as the pipeline makes them. */
  static CallSpans callSpans(SpanProcessor processor) {
    return CallSpans.create(
        List.of(processor),
        Sampler.parentBased(Sampler.alwaysOn()),
        SpanLimits.getDefault(),
        Resource.getDefault(),
        "test-version");
  }

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    metrics = InMemoryMetricReader.create();
    SpanProcessor processor = SimpleSpanProcessor.create(spans);
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(processor).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    callSpans = callSpans(processor);
    keys = new KeyRegistry(100);
    recorder = new Recorder(sdk, callSpans, "test-version", keys, adapters, 100);
  }

  @AfterEach
  void tearDown() {
    sdk.close();
    // Every call must have closed the scope it opened on this thread.
    assertThat(Context.current()).isSameAs(Context.root());
  }

  private List<SpanData> finished() {
    return spans.getFinishedSpanItems();
  }

  private List<HistogramPointData> durationPoints() {
    Collection<MetricData> all = metrics.collectAllMetrics();
    return all.stream()
        .filter(m -> m.getName().equals("http.client.request.duration"))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .collect(Collectors.toList());
  }

  private static HttpClientAdapter adapter(
      int status, String protocol, long requestBytes, long responseBytes) {
    return new HttpClientAdapter() {
      @Override
      public long requestBodySize(Object request) {
        return requestBytes;
      }

      @Override
      public int statusCode(Object response) {
        return status;
      }

      @Override
      public String protocolVersion(Object response) {
        return protocol;
      }

      @Override
      public long responseBodySize(Object response) {
        return responseBytes;
      }
    };
  }

  // --- one call, one span ---

  @Test
  void successfulCallMakesOneClientSpanWithRedactedAttributes() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", URL);
    assertThat(call).isNotNull();
    call.end(null, null);

    assertThat(finished()).hasSize(1);
    SpanData span = finished().get(0);
    assertThat(span.getName()).isEqualTo("GET /users/{id}");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.seamwatch");
    assertThat(span.getInstrumentationScopeInfo().getVersion()).isEqualTo("test-version");
    Attributes a = span.getAttributes();
    assertThat(a.get(METHOD)).isEqualTo("GET");
    assertThat(a.get(URL_FULL))
        .isEqualTo("https://REDACTED:REDACTED@API.Example.com/users/42?token=REDACTED")
        .doesNotContain("s3cret")
        .doesNotContain("abc123");
    assertThat(a.get(URL_SCHEME)).isEqualTo("https");
    assertThat(a.get(SERVER_ADDRESS)).isEqualTo("api.example.com");
    assertThat(a.get(SERVER_PORT)).isEqualTo(443L);
    assertThat(a.get(AttributeKey.stringKey("url.template"))).isEqualTo("/users/{id}");
    assertThat(a.get(PEER_SERVICE)).isEqualTo(INTEGRATION_KEY);
    assertThat(a.get(INTEGRATION)).isEqualTo(INTEGRATION_KEY);
    assertThat(a.get(AttributeKey.stringKey("seamwatch.operation.name")))
        .isEqualTo("GET /users/{id}");
    assertThat(a.get(ERROR_TYPE)).isNull();
    assertThat(a.get(STATUS)).isNull();
  }

  @Test
  void callSpanIsChildOfTheCurrentApplicationSpan() {
    Span parent = sdk.getTracer("app").spanBuilder("handler").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      HttpClientCall call = recorder.startHttpClient("test-client", "POST", "http://h/x");
      call.end(null, null);
    } finally {
      parent.end();
    }

    SpanData client =
        finished().stream().filter(s -> s.getName().equals("POST /x")).findFirst().orElseThrow();
    assertThat(client.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(client.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
  }

  @Test
  void callSpanIsCurrentUntilTheCallEnds() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    String currentSpanId = Span.current().getSpanContext().getSpanId();
    call.end(null, null);

    assertThat(currentSpanId).isEqualTo(finished().get(0).getSpanId());
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void propagationHeadersCarryTheCallSpansIds() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    String[] headers = call.propagationHeaders();
    call.end(null, null);

    SpanData span = finished().get(0);
    assertThat(headers).hasSize(2);
    assertThat(headers[0]).isEqualTo("traceparent");
    String[] parts = headers[1].split("-");
    assertThat(parts).hasSize(4);
    assertThat(parts[0]).isEqualTo("00");
    assertThat(parts[1]).isEqualTo(span.getTraceId());
    assertThat(parts[2]).isEqualTo(span.getSpanId());
    assertThat(Integer.parseInt(parts[3], 16) & 1).as("sampled flag").isEqualTo(1);
  }

  @Test
  void propagationHeadersAreComputedOnce() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    String[] first = call.propagationHeaders();
    String[] second = call.propagationHeaders();
    call.end(null, null);

    assertThat(second).isSameAs(first);
  }

  @Test
  void carrierHandsTheAdapterThePropagationHeadersAndReturnsItsRequest() {
    AtomicReference<String[]> seen = new AtomicReference<>();
    adapters.put(
        "test-client",
        new HttpClientAdapter() {
          @Override
          public Object carrier(Object request, String[] headers) {
            seen.set(headers);
            return "wrapped:" + request;
          }
        });
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    Object carrier = call.carrier("request");
    call.end(null, null);

    assertThat(carrier).isEqualTo("wrapped:request");
    assertThat(seen.get()).containsExactly(call.propagationHeaders());
    assertThat(seen.get()[0]).isEqualTo("traceparent");
  }

  @Test
  void unknownInstrumentationUsesTheDefaultAdapter() {
    HttpClientCall call = recorder.startHttpClient("no-such-client", "GET", "http://h/x");
    Object request = new Object();

    assertThat(call.carrier(request)).isSameAs(request);
    call.end("a response", null);
    assertThat(finished().get(0).getAttributes().get(STATUS)).isNull();
  }

  @Test
  void adapterFactsLandOnSpanAndMetric() {
    adapters.put("test-client", adapter(200, "1.1", 12, 345));
    HttpClientCall call = recorder.startHttpClient("test-client", "PUT", "http://h:8080/items/7");
    call.carrier("request");
    call.end("response", null);

    Attributes a = finished().get(0).getAttributes();
    assertThat(a.get(STATUS)).isEqualTo(200L);
    assertThat(a.get(PROTOCOL)).isEqualTo("1.1");
    assertThat(a.get(REQUEST_SIZE)).isEqualTo(12L);
    assertThat(a.get(RESPONSE_SIZE)).isEqualTo(345L);
    assertThat(a.get(ERROR_TYPE)).isNull();
    assertThat(finished().get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    Attributes m = durationPoints().get(0).getAttributes();
    assertThat(m.get(STATUS)).isEqualTo(200L);
    assertThat(m.get(PROTOCOL)).isEqualTo("1.1");
    assertThat(m.get(ERROR_TYPE)).isNull();
  }

  @Test
  void successfulCallsOfOneKeyEachGetTheirOwnStatusAndProtocolInTheMetric() {
    adapters.put("http1", adapter(200, "1.1", -1, -1));
    adapters.put("http2", adapter(200, "2", -1, -1));
    adapters.put("created", adapter(201, "2", -1, -1));
    for (String client : List.of("http1", "http2", "http1", "created", "http2", "http1")) {
      recorder.startHttpClient(client, "POST", "http://h:8080/items").end("response", null);
    }

    Map<String, Long> counts =
        durationPoints().stream()
            .collect(
                Collectors.toMap(
                    p -> p.getAttributes().get(STATUS) + " " + p.getAttributes().get(PROTOCOL),
                    HistogramPointData::getCount));
    assertThat(counts)
        .containsOnly(Map.entry("200 1.1", 3L), Map.entry("200 2", 2L), Map.entry("201 2", 1L));
  }

  @Test
  void callsWhoseMethodTheClientCouldNotTellAreEachInTheMetric() {
    for (int i = 0; i < 3; i++) {
      recorder.startHttpClient("test-client", null, "http://h/x").end(null, null);
    }

    assertThat(durationPoints())
        .singleElement()
        .satisfies(p -> assertThat(p.getCount()).isEqualTo(3));
  }

  @Test
  void callsOfTheOverflowKeyKeepTheirOwnMethodAndServerInTheMetric() {
    Recorder capped =
        new Recorder(sdk, callSpans, "test-version", new KeyRegistry(1), adapters, 100);
    capped.startHttpClient("test-client", "GET", "http://a/x").end(null, null);
    for (String call : List.of("POST http://b:81/y", "GET https://c/z", "POST http://b:81/y")) {
      String[] methodAndUrl = call.split(" ");
      capped.startHttpClient("test-client", methodAndUrl[0], methodAndUrl[1]).end(null, null);
    }

    Map<String, Long> counts =
        durationPoints().stream()
            .collect(
                Collectors.toMap(
                    p ->
                        p.getAttributes().get(METHOD)
                            + " "
                            + p.getAttributes().get(URL_SCHEME)
                            + "://"
                            + p.getAttributes().get(SERVER_ADDRESS)
                            + ":"
                            + p.getAttributes().get(SERVER_PORT),
                    HistogramPointData::getCount));
    assertThat(counts)
        .containsOnly(
            Map.entry("GET http://a:80", 1L),
            Map.entry("POST http://b:81", 2L),
            Map.entry("GET https://c:443", 1L));
  }

  @Test
  void unknownSizesAreLeftOut() {
    adapters.put("test-client", adapter(204, null, -1, -1));
    HttpClientCall call = recorder.startHttpClient("test-client", "DELETE", "http://h/items/7");
    call.carrier("request");
    call.end("response", null);

    Attributes a = finished().get(0).getAttributes();
    assertThat(a.get(STATUS)).isEqualTo(204L);
    assertThat(a.get(REQUEST_SIZE)).isNull();
    assertThat(a.get(RESPONSE_SIZE)).isNull();
    assertThat(a.get(PROTOCOL)).isNull();
  }

  @Test
  void serverErrorStatusIsTheErrorType() {
    adapters.put("test-client", adapter(503, "2", -1, -1));
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    call.end("response", null);

    SpanData span = finished().get(0);
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("503");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(durationPoints().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("503");
    assertThat(keys.get("http", "http://h:80", "GET /x").lastErrorType()).isEqualTo("503");
  }

  @Test
  void clientErrorStatusIsTheErrorTypeButRedirectIsNot() {
    adapters.put("c404", adapter(404, null, -1, -1));
    adapters.put("c302", adapter(302, null, -1, -1));
    recorder.startHttpClient("c404", "GET", "http://h/a").end("r", null);
    recorder.startHttpClient("c302", "GET", "http://h/b").end("r", null);

    assertThat(finished()).hasSize(2);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("404");
    assertThat(finished().get(1).getAttributes().get(ERROR_TYPE)).isNull();
    assertThat(finished().get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  // --- errors ---

  private String errorTypeOf(Throwable error) {
    spans.reset();
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    call.end(null, error);
    assertThat(finished()).hasSize(1);
    SpanData span = finished().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    return span.getAttributes().get(ERROR_TYPE);
  }

  @Test
  void errorTypeIsTheExceptionClassName() {
    assertThat(errorTypeOf(new ConnectException("refused"))).isEqualTo("connection_refused");
    assertThat(errorTypeOf(new IllegalStateException()))
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void errorTypeUnwrapsFutureWrappers() {
    assertThat(errorTypeOf(new CompletionException(new ConnectException("x"))))
        .isEqualTo("connection_refused");
    assertThat(errorTypeOf(new ExecutionException(new IOException("x"))))
        .isEqualTo("java.io.IOException");
    assertThat(
            errorTypeOf(
                new CompletionException(
                    new ExecutionException(new CompletionException(new TimeoutException())))))
        .isEqualTo("java.util.concurrent.TimeoutException");
  }

  @Test
  void errorTypeKeepsWrapperWithoutCauseAndDoesNotUnwrapOtherExceptions() {
    assertThat(errorTypeOf(new CompletionException("no cause", null)))
        .isEqualTo("java.util.concurrent.CompletionException");
    assertThat(errorTypeOf(new RuntimeException(new IOException())))
        .isEqualTo("java.lang.RuntimeException");
  }

  @Test
  void errorStatusDescriptionCarriesNoExceptionMessage() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    call.end(null, new IOException("https://user:hunter2@h/x?token=abc failed"));

    SpanData span = finished().get(0);
    assertThat(span.getStatus().getDescription()).isEqualTo("java.io.IOException");
    // The exception event names the class, and nothing else: no message, no stack trace.
    assertThat(span.getEvents()).hasSize(1);
    assertThat(span.getEvents().get(0).getName()).isEqualTo("exception");
    assertThat(span.getEvents().get(0).getAttributes().asMap())
        .containsOnly(Map.entry(AttributeKey.stringKey("exception.type"), "java.io.IOException"));
    assertThat(List.copyOf(span.getAttributes().asMap().values()).toString())
        .doesNotContain("hunter2")
        .doesNotContain("abc");
  }

  @Test
  void errorIsCountedInTheKeyStats() {
    recorder.startHttpClient("test-client", "GET", URL).end(null, new ConnectException());
    recorder.startHttpClient("test-client", "GET", URL).end(null, null);

    OperationStats stats = keys.get("http", INTEGRATION_KEY, "GET /users/{id}");
    assertThat(stats.calls()).isEqualTo(2);
    assertThat(stats.errors()).isEqualTo(1);
    assertThat(stats.lastErrorType()).isEqualTo("connection_refused");
    assertThat(keys.size()).isEqualTo(1);
  }

  @Test
  void overItsOperationsSpanBudgetACallIsMeasuredButItsSpanIsNotSampled() {
    callSpans.spansPerOperation(1); // a burst of 10, then one a second
    for (int i = 0; i < 14; i++) {
      recorder.startHttpClient("test-client", "GET", URL).end(null, null);
    }
    HttpClientCall over = recorder.startHttpClient("test-client", "GET", URL);
    String[] headers = over.propagationHeaders();
    over.end(null, new ConnectException());

    assertThat(finished()).hasSize(11);
    // The next service is told the trace is not sampled.
    assertThat(headers[0]).isEqualTo("traceparent");
    assertThat(Integer.parseInt(headers[1].split("-")[3], 16) & 1).as("sampled flag").isZero();
    // Every call is still in the metric and the key's stats, the failed one too.
    assertThat(durationPoints().stream().mapToLong(HistogramPointData::getCount).sum())
        .isEqualTo(15);
    OperationStats stats = keys.get("http", INTEGRATION_KEY, "GET /users/{id}");
    assertThat(stats.calls()).isEqualTo(15);
    assertThat(stats.errors()).isEqualTo(1);
    // And what was left out is counted.
    assertThat(
            metrics.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("seamwatch.spans.over_budget"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .mapToLong(LongPointData::getValue)
                .sum())
        .isEqualTo(4);
  }

  // --- nesting and ending once ---

  @Test
  void nestedStartWhileACallIsOpenReturnsNull() {
    HttpClientCall outer = recorder.startHttpClient("outer-client", "GET", "http://h/outer");
    HttpClientCall inner = recorder.startHttpClient("inner-client", "GET", "http://h/inner");
    outer.end(null, null);

    assertThat(outer).isNotNull();
    assertThat(inner).isNull();
    assertThat(finished()).extracting(SpanData::getName).containsExactly("GET /outer");
  }

  @Test
  void newCallAfterEndIsRecorded() {
    recorder.startHttpClient("test-client", "GET", "http://h/one").end(null, null);
    HttpClientCall second = recorder.startHttpClient("test-client", "GET", "http://h/two");
    assertThat(second).isNotNull();
    second.end(null, null);

    assertThat(finished()).extracting(SpanData::getName).containsExactly("GET /one", "GET /two");
    assertThat(finished().get(1).getParentSpanId())
        .isEqualTo(io.opentelemetry.api.trace.SpanId.getInvalid());
  }

  @Test
  void spanLastsExactlyWhatTheDurationMetricRecords() throws Exception {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    Thread.sleep(2);
    call.end(null, null);

    SpanData span = finished().get(0);
    long spanNanos = span.getEndEpochNanos() - span.getStartEpochNanos();
    double metricSeconds = durationPoints().get(0).getSum();
    // One reading of the clock at each end serves both: equal to the nanosecond (the metric is in
    // seconds, a double).
    assertThat(spanNanos).isGreaterThanOrEqualTo(2_000_000L);
    assertThat((double) spanNanos).isCloseTo(metricSeconds * 1e9, within(0.5));
  }

  @Test
  void endingTwiceEndsOnce() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    call.end(null, null);
    call.end(null, new IOException());
    call.endOn(CompletableFuture.completedFuture(null));

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isNull();
    assertThat(durationPoints()).hasSize(1);
    assertThat(durationPoints().get(0).getCount()).isEqualTo(1);
    assertThat(keys.get("http", "http://h:80", "GET /x").calls()).isEqualTo(1);
  }

  // --- asynchronous calls ---

  @Test
  void endOnClosesTheScopeAtOnceAndEndsWhenTheFutureCompletesOnAnotherThread() throws Exception {
    CompletableFuture<String> future = new CompletableFuture<>();
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/async");
    call.endOn(future);

    assertThat(Context.current()).isSameAs(Context.root());
    assertThat(finished()).isEmpty();
    // The calling thread is free to make another call while the first is in flight.
    HttpClientCall other = recorder.startHttpClient("test-client", "GET", "http://h/other");
    assertThat(other).isNotNull();
    other.end(null, null);

    Thread completer = new Thread(() -> future.complete("response"));
    completer.start();
    completer.join(5_000);

    assertThat(finished())
        .extracting(SpanData::getName)
        .containsExactly("GET /other", "GET /async");
    assertThat(finished().get(1).getAttributes().get(ERROR_TYPE)).isNull();
    assertThat(finished().get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void endOnEndsWhenTheFutureFails() {
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.startHttpClient("test-client", "GET", "http://h/x").endOn(future);
    future.completeExceptionally(new ConnectException("refused"));

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("connection_refused");
  }

  @Test
  void endOnADependentFutureUnwrapsTheCompletionException() {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> dependent = source.thenApply(s -> s);
    recorder.startHttpClient("test-client", "GET", "http://h/x").endOn(dependent);
    source.completeExceptionally(new IOException("boom"));

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("java.io.IOException");
  }

  @Test
  void endOnEndsWhenTheFutureIsCancelled() {
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.startHttpClient("test-client", "GET", "http://h/x").endOn(future);
    future.cancel(true);

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("cancelled");
    assertThat(finished().get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void endOnEndsWhenTheFutureTimesOut() {
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.startHttpClient("test-client", "GET", "http://h/x").endOn(future);
    future.completeExceptionally(new TimeoutException());
    future.cancel(true); // too late: already complete

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE))
        .isEqualTo("java.util.concurrent.TimeoutException");
  }

  @Test
  void endOnAnAlreadyCompletedFutureEndsAtOnce() {
    recorder
        .startHttpClient("test-client", "GET", "http://h/x")
        .endOn(CompletableFuture.completedFuture("done"));

    assertThat(finished()).hasSize(1);
  }

  @Test
  void endOnNullFutureEndsAtOnce() {
    recorder.startHttpClient("test-client", "GET", "http://h/x").endOn(null);

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isNull();
  }

  @Test
  void endOnPassesTheResponseToTheAdapter() {
    adapters.put("test-client", adapter(201, "2", -1, 9));
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.startHttpClient("test-client", "POST", "http://h/x").endOn(future);
    future.complete("response");

    assertThat(finished().get(0).getAttributes().get(STATUS)).isEqualTo(201L);
    assertThat(finished().get(0).getAttributes().get(RESPONSE_SIZE)).isEqualTo(9L);
  }

  @Test
  void endAfterEndOnDoesNotEndTwice() {
    CompletableFuture<String> future = new CompletableFuture<>();
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    call.endOn(future);
    call.end(null, new IOException());
    future.complete("late");

    assertThat(finished()).hasSize(1);
    assertThat(finished().get(0).getAttributes().get(ERROR_TYPE)).isEqualTo("java.io.IOException");
    assertThat(durationPoints().get(0).getCount()).isEqualTo(1);
  }

  // --- the agent's own threads ---

  @Test
  void callsFromAnAgentThreadAreNotRecorded() throws Exception {
    AtomicReference<Object> result = new AtomicReference<>("not run");
    Thread thread =
        new AgentThread(
            () ->
                result.set(
                    recorder.startHttpClient("test-client", "POST", "http://collector/v1/traces")),
            "test");
    thread.start();
    thread.join(5_000);

    assertThat(thread.getName()).startsWith("seamwatch-test-");
    assertThat(thread.isDaemon()).isTrue();
    assertThat(result.get()).isNull();
    assertThat(finished()).isEmpty();
    assertThat(keys.size()).isZero();
  }

  @Test
  void callsFromAnOrdinaryThreadAreRecorded() throws Exception {
    AtomicReference<HttpClientCall> result = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
              result.set(call);
              call.end(null, null);
            });
    thread.start();
    thread.join(5_000);

    assertThat(result.get()).isNotNull();
    assertThat(finished()).hasSize(1);
  }

  // --- metric ---

  @Test
  void durationHistogramGetsOnePointPerCallWithTheRightAttributes() {
    recorder.startHttpClient("test-client", "GET", URL).end(null, null);
    recorder.startHttpClient("test-client", "GET", URL).end(null, null);
    recorder.startHttpClient("test-client", "GET", URL).end(null, new ConnectException());
    recorder.startHttpClient("test-client", "POST", "http://other:9000/x").end(null, null);

    Collection<MetricData> all = metrics.collectAllMetrics();
    MetricData metric =
        all.stream()
            .filter(m -> m.getName().equals("http.client.request.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(metric.getUnit()).isEqualTo("s");
    List<HistogramPointData> points = new ArrayList<>(metric.getHistogramData().getPoints());
    assertThat(points).hasSize(3);
    assertThat(points.stream().mapToLong(HistogramPointData::getCount).sum()).isEqualTo(4);

    HistogramPointData ok =
        points.stream()
            .filter(
                p ->
                    "GET".equals(p.getAttributes().get(METHOD))
                        && p.getAttributes().get(ERROR_TYPE) == null)
            .findFirst()
            .orElseThrow();
    assertThat(ok.getCount()).isEqualTo(2);
    assertThat(ok.getAttributes())
        .isEqualTo(
            Attributes.builder()
                .put(METHOD, "GET")
                .put(URL_SCHEME, "https")
                .put(SERVER_ADDRESS, "api.example.com")
                .put(SERVER_PORT, 443L)
                .put(INTEGRATION, INTEGRATION_KEY)
                .build());
    assertThat(ok.getBoundaries()).isEqualTo(SemanticAttributes.DURATION_BUCKETS);
    // Seconds, not nanoseconds or milliseconds.
    assertThat(ok.getSum()).isBetween(0.0, 1.0);

    HistogramPointData failed =
        points.stream()
            .filter(p -> p.getAttributes().get(ERROR_TYPE) != null)
            .findFirst()
            .orElseThrow();
    assertThat(failed.getCount()).isEqualTo(1);
    assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo("connection_refused");

    HistogramPointData post =
        points.stream()
            .filter(p -> "POST".equals(p.getAttributes().get(METHOD)))
            .findFirst()
            .orElseThrow();
    assertThat(post.getAttributes().get(SERVER_ADDRESS)).isEqualTo("other");
    assertThat(post.getAttributes().get(SERVER_PORT)).isEqualTo(9000L);
    assertThat(post.getAttributes().get(INTEGRATION)).isEqualTo("http://other:9000");
  }

  @Test
  void metricAttributesCarryNoUrlOrPath() {
    recorder.startHttpClient("test-client", "GET", URL).end(null, null);

    Attributes m = durationPoints().get(0).getAttributes();
    assertThat(m.get(URL_FULL)).isNull();
    // A list's text, not the values view's (whose identity hash may contain "42").
    assertThat(List.copyOf(m.asMap().values()).toString())
        .doesNotContain("42")
        .doesNotContain("abc123");
  }

  @Test
  void unfinishedCallRecordsNoMetric() {
    HttpClientCall call = recorder.startHttpClient("test-client", "GET", "http://h/x");
    assertThat(durationPoints()).isEmpty();
    call.end(null, null);
    assertThat(durationPoints()).hasSize(1);
  }

  // --- robustness ---

  @Test
  void throwingAdapterNeverMakesTheRecorderThrowAndIsLoggedOnce() {
    SeamwatchLog.setLevel("info");
    HttpClientAdapter throwing =
        new HttpClientAdapter() {
          @Override
          public Object carrier(Object request, String[] headers) {
            throw new IllegalStateException("carrier");
          }

          @Override
          public long requestBodySize(Object request) {
            throw new IllegalStateException("requestBodySize");
          }

          @Override
          public int statusCode(Object response) {
            throw new IllegalStateException("statusCode");
          }

          @Override
          public String protocolVersion(Object response) {
            throw new IllegalStateException("protocolVersion");
          }

          @Override
          public long responseBodySize(Object response) {
            throw new IllegalStateException("responseBodySize");
          }
        };
    adapters.put("bad-client", throwing);
    adapters.put(
        "throwing-carrier-only",
        new HttpClientAdapter() {
          @Override
          public Object carrier(Object request, String[] headers) {
            throw new LinkageError("carrier");
          }
        });

    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThatCode(
              () -> {
                for (int i = 0; i < 3; i++) {
                  HttpClientCall call = recorder.startHttpClient("bad-client", "GET", "http://h/x");
                  assertThat(call).isNotNull();
                  Object request = new Object();
                  assertThat(call.carrier(request)).isSameAs(request);
                  call.end("response", null);
                  call.end("response", new IOException());

                  HttpClientCall async =
                      recorder.startHttpClient("bad-client", "GET", "http://h/y");
                  CompletableFuture<Object> future = new CompletableFuture<>();
                  async.endOn(future);
                  future.complete("response");

                  HttpClientCall other =
                      recorder.startHttpClient("throwing-carrier-only", "GET", "http://h/z");
                  assertThat(other.carrier(request)).isSameAs(request);
                  other.end(null, null);
                }
              })
          .doesNotThrowAnyException();
    } finally {
      System.setErr(originalErr);
    }

    List<String> lines =
        Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\\R"))
            .filter(l -> l.startsWith("[seamwatch]"))
            .collect(Collectors.toList());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("IllegalStateException");

    // A response the adapter cannot read costs its facts, never the span: all nine calls ended.
    assertThat(finished())
        .extracting(SpanData::getName)
        .filteredOn(n -> n.equals("GET /x"))
        .hasSize(3);
    assertThat(finished())
        .extracting(SpanData::getName)
        .filteredOn(n -> n.equals("GET /y"))
        .hasSize(3);

    // A well-behaved client is still recorded after all that.
    recorder.startHttpClient("test-client", "GET", "http://h/fine").end(null, null);
    assertThat(finished()).extracting(SpanData::getName).contains("GET /fine", "GET /z");
  }

  @Test
  void pastTheKeyCapSpansAreNamedByMethodAloneAndStatsOverflow() {
    for (int i = 0; i < 150; i++) {
      recorder
          .startHttpClient(
              "test-client", "GET", "http://h/search/word" + (char) ('a' + i % 26) + i / 26 + "x")
          .end(null, null);
    }

    assertThat(keys.size()).isEqualTo(100);
    assertThat(finished()).hasSize(150);
    assertThat(finished().subList(0, 100))
        .allSatisfy(s -> assertThat(s.getName()).startsWith("GET /search/word"));
    assertThat(finished().subList(100, 150))
        .allSatisfy(
            s -> {
              assertThat(s.getName()).isEqualTo("GET");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("url.template"))).isNull();
            });
    assertThat(keys.snapshot())
        .filteredOn(st -> st.operation.equals(KeyRegistry.OVERFLOW))
        .singleElement()
        .satisfies(st -> assertThat(st.calls()).isEqualTo(50));
  }

  @Test
  void garbageArgumentsNeverThrow() {
    assertThatCode(
            () -> {
              for (String url : new String[] {null, "", "not a url", "http://", "http://[::1"}) {
                HttpClientCall call = recorder.startHttpClient("test-client", "GET", url);
                if (call != null) {
                  call.propagationHeaders();
                  call.carrier(null);
                  call.end(null, null);
                }
              }
            })
        .doesNotThrowAnyException();
    assertThat(finished()).hasSize(5);
  }

  @Test
  void errorsWithNullResponseDoNotReachTheAdapter() {
    List<String> calls = new ArrayList<>();
    adapters.put(
        "test-client",
        new HttpClientAdapter() {
          @Override
          public int statusCode(Object response) {
            calls.add("statusCode");
            return 0;
          }
        });
    recorder.startHttpClient("test-client", "GET", "http://h/x").end(null, new IOException());

    assertThat(calls).isEmpty();
    assertThat(finished()).hasSize(1);
  }
}
