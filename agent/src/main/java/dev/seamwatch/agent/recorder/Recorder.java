package dev.seamwatch.agent.recorder;

import static dev.seamwatch.agent.recorder.SemanticAttributes.*;

import dev.seamwatch.agent.anomaly.AnomalyEngine;
import dev.seamwatch.agent.anomaly.AnomalySettings;
import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.anomaly.BodySniffer;
import dev.seamwatch.agent.anomaly.SizeKind;
import dev.seamwatch.agent.catalog.Catalog;
import dev.seamwatch.agent.catalog.Integration;
import dev.seamwatch.agent.recorder.db.JdbcUrl;
import dev.seamwatch.agent.recorder.db.SqlStatementInfo;
import dev.seamwatch.bootstrap.CallRecorder;
import dev.seamwatch.bootstrap.DbCall;
import dev.seamwatch.bootstrap.HttpClientCall;
import dev.seamwatch.bootstrap.MessageSend;
import dev.seamwatch.bootstrap.SeamwatchLog;
import dev.seamwatch.bootstrap.SeamwatchThread;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ExceptionAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records every external call, whatever the library: the one place that turns the facts advice
 * hands over into spans, metrics and report statistics. Instrumentations stay thin; what they all
 * share (span kind and attributes, nesting, propagation, redaction, error classification,
 * durations, keys) is done here once.
 *
 * <p>Nothing thrown in here reaches the application: each entry point catches everything, logs the
 * first failure and records nothing for that call.
 */
public final class Recorder implements CallRecorder {

  /** Which kind of Seamwatch call is current, so that nested client layers make one span. */
  static final ContextKey<String> CALL_KIND = ContextKey.named("seamwatch-call-kind");

  /** The HTTP call current on this thread, for clients that report each attempt. */
  static final ContextKey<HttpCall> HTTP_CALL = ContextKey.named("seamwatch-http-call");

  /** The message send current on this thread, for the client's steps inside its send method. */
  static final ContextKey<MessageCall> MESSAGE = ContextKey.named("seamwatch-message");

  static final String HTTP = "http";
  static final String MESSAGING = "messaging";
  static final String DB = "db";

  /**
   * {@code parent} with a call's span and kind: built once from a constant when the parent is the
   * root context, instead of two contexts in turn (each a copy of its entries).
   */
  private static Context callContext(Context parent, Span span, String kind, Context rootWithKind) {
    return parent == Context.root()
        ? rootWithKind.with(span)
        : parent.with(span).with(CALL_KIND, kind);
  }

  /**
   * The root context with a call kind: a call made outside any (the usual case) adds its span.
   * Built by the constructor, not a static initializer: reading the root context sets the API's
   * context storage, which the agent replaces first thing in premain (see SlotContextStorage).
   */
  private final Context rootHttp = Context.root().with(CALL_KIND, HTTP);

  private final Context rootDb = Context.root().with(CALL_KIND, DB);

  private final Tracer tracer;
  private final CallSpans spans;
  private final TextMapPropagator propagator;
  private final DoubleHistogram httpDuration;
  private final DoubleHistogram dbDuration;
  private final DoubleHistogram poolWaitTime;
  private final long poolWaitSpanNanos;
  private final DoubleHistogram connectTime;
  private final DoubleHistogram messagingDuration;
  private final LongCounter messagesSent;
  private final ThreadLocal<int[]> poolDepth = ThreadLocal.withInitial(() -> new int[1]);
  private final ThreadLocal<int[]> connectDepth = ThreadLocal.withInitial(() -> new int[1]);
  private final JdbcState jdbc = new JdbcState();

  /**
   * Calls of request objects that live across several methods, by object. A request whose response
   * is never read ends, without a status, when the object is collected.
   */
  private final WeakIdentityMap<Object, HttpCall> requestCalls =
      new WeakIdentityMap<>(call -> call.end(null, null));

  private final Clock clock = Clock.getDefault();
  private final KeyRegistry keys;

  /** Parsed request URLs, so that a URL called again is not parsed again (bounded). */
  private final HttpTarget.Cache targets = new HttpTarget.Cache(256);

  /** Messaging destinations worked out last (the catalog is fixed, so set in the constructor). */
  private final MessageTarget.Cache messageTargets;

  private final Map<String, HttpClientAdapter> adapters;
  private final Map<String, MessagingAdapter> messagingAdapters;
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private final Anomalies anomalies;
  final Readiness readiness;
  private final Catalog catalog;
  private final SloWindows slo;

  /** Client objects whose configuration advice has checked already. */
  private final WeakIdentityMap<Object, Boolean> seen = new WeakIdentityMap<>(value -> {});

  public Recorder(
      OpenTelemetry openTelemetry,
      CallSpans spans,
      String version,
      KeyRegistry keys,
      Map<String, HttpClientAdapter> adapters,
      long poolWaitSpanMillis) {
    this(openTelemetry, spans, version, keys, adapters, Map.of(), poolWaitSpanMillis);
  }

  public Recorder(
      OpenTelemetry openTelemetry,
      CallSpans spans,
      String version,
      KeyRegistry keys,
      Map<String, HttpClientAdapter> adapters,
      Map<String, MessagingAdapter> messagingAdapters,
      long poolWaitSpanMillis) {
    this(
        openTelemetry,
        spans,
        version,
        keys,
        adapters,
        messagingAdapters,
        poolWaitSpanMillis,
        new Anomalies(openTelemetry, AnomalySettings.defaults()),
        Catalog.empty());
  }

  /**
   * {@code spans} starts the recorded calls' spans; it must go to the span processors of {@code
   * openTelemetry}'s tracer provider, which makes the other spans (a pool's wait, a connect).
   */
  public Recorder(
      OpenTelemetry openTelemetry,
      CallSpans spans,
      String version,
      KeyRegistry keys,
      Map<String, HttpClientAdapter> adapters,
      Map<String, MessagingAdapter> messagingAdapters,
      long poolWaitSpanMillis,
      Anomalies anomalies,
      Catalog catalog) {
    this.spans = spans;
    this.anomalies = anomalies;
    this.catalog = catalog;
    this.messageTargets = new MessageTarget.Cache(256, catalog);
    this.slo = new SloWindows(anomalies);
    this.jdbc.catalog = catalog;
    this.readiness = new Readiness(openTelemetry);
    this.tracer = openTelemetry.getTracer("dev.seamwatch", version);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    Meter meter = openTelemetry.getMeter("dev.seamwatch");
    this.httpDuration =
        meter
            .histogramBuilder("http.client.request.duration")
            .setUnit("s")
            .setDescription("Duration of HTTP client requests.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    // Stable in the semantic conventions, with the same advised buckets as HTTP.
    this.dbDuration =
        meter
            .histogramBuilder("db.client.operation.duration")
            .setUnit("s")
            .setDescription("Duration of database client operations.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    // Experimental in the semantic conventions (db.client.connection.*).
    this.poolWaitTime =
        meter
            .histogramBuilder("db.client.connection.wait_time")
            .setUnit("s")
            .setDescription("Time it took to obtain an open connection from the pool.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.connectTime =
        meter
            .histogramBuilder("db.client.connection.create_time")
            .setUnit("s")
            .setDescription("Time it took to create a new connection.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    // Both in "development" status in the messaging semantic conventions (not stable yet): names
    // as of semantic conventions 1.37.
    this.messagingDuration =
        meter
            .histogramBuilder("messaging.client.operation.duration")
            .setUnit("s")
            .setDescription(
                "Duration of messaging operation initiated by a producer or consumer client.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.messagesSent =
        meter
            .counterBuilder("messaging.client.sent.messages")
            .setUnit("{message}")
            .setDescription("Number of messages producer attempted to send to the broker.")
            .build();
    // Read when the metrics are collected: nothing on the calling thread but the budget's adder.
    meter
        .counterBuilder("seamwatch.spans.over_budget")
        .setUnit("{span}")
        .setDescription(
            "Spans of healthy calls left out by their operation's span budget; the calls are"
                + " in the other metrics.")
        .buildWithCallback(counter -> counter.record(spans.spansOverBudget()));
    this.poolWaitSpanNanos = poolWaitSpanMillis * 1_000_000L;
    this.keys = keys;
    this.adapters = adapters;
    this.messagingAdapters = messagingAdapters;
  }

  public KeyRegistry keys() {
    return keys;
  }

  public Readiness readiness() {
    return readiness;
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The window over which error-rate SLOs are judged. */
  public void sloWindow(java.time.Duration window) {
    slo.window(window);
  }

  @Override
  public void httpTimeouts(long connectMillis, long responseMillis) {
    try {
      HttpCall call = Context.current().get(HTTP_CALL);
      if (call != null) {
        call.timeouts(connectMillis, responseMillis);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public boolean firstSeen(Object object) {
    try {
      if (object == null || seen.get(object) != null) {
        return false;
      }
      seen.put(object, Boolean.TRUE);
      return true;
    } catch (Throwable t) {
      internalFailure(t);
      return false;
    }
  }

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    try {
      if (SeamwatchThread.isCurrent()) {
        return null;
      }
      Context parent = Context.current();
      if (HTTP.equals(parent.get(CALL_KIND))) {
        return null;
      }
      return startHttp(instrumentation, method, url, parent, true);
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public HttpClientCall enterHttpClient(String instrumentation, Object request) {
    try {
      if (SeamwatchThread.isCurrent() || request == null) {
        return null;
      }
      HttpCall call = requestCalls.get(request);
      if (call == null) {
        Context parent = Context.current();
        if (HTTP.equals(parent.get(CALL_KIND))) {
          return null;
        }
        HttpClientAdapter adapter = adapters.getOrDefault(instrumentation, HttpClientAdapter.NONE);
        call =
            startHttp(
                instrumentation, adapter.method(request), adapter.url(request), parent, false);
        // The first method of the request: headers can still be set on it.
        adapter.carrier(request, call.propagationHeaders());
        requestCalls.put(request, call);
      } else if (call.ended() || call.entered.get() > 0) {
        // Ended, or re-entered from inside one of its own methods.
        return null;
      }
      return new HttpCallEntry(call);
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  /**
   * Calls started on one thread and run on another (OkHttp's {@code enqueue}), by the client's call
   * object, until the thread that runs them takes them. The value never refers to its key, or the
   * key could not be collected.
   */
  private final WeakIdentityMap<Object, HttpCall> queuedCalls =
      new WeakIdentityMap<>(call -> call.end(null, null));

  @Override
  public void queueHttpClient(String instrumentation, Object request) {
    try {
      HttpCall call = startFromHandle(instrumentation, request, false);
      if (call != null) {
        queuedCalls.put(request, call);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public HttpClientCall runHttpClient(String instrumentation, Object request) {
    try {
      if (request == null) {
        return null;
      }
      HttpCall queued = queuedCalls.remove(request);
      if (queued != null) {
        return queued.ended() ? null : new HttpCallEntry(queued);
      }
      return startFromHandle(instrumentation, request, true);
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  /**
   * Starts a call from the client's call object, read once by the instrumentation's adapter; null
   * when not recorded (the agent's own thread, nested in another HTTP call, or unreadable).
   */
  private HttpCall startFromHandle(String instrumentation, Object handle, boolean makeCurrent) {
    if (SeamwatchThread.isCurrent() || handle == null) {
      return null;
    }
    Context parent = Context.current();
    if (HTTP.equals(parent.get(CALL_KIND))) {
      return null;
    }
    HttpClientAdapter adapter = adapters.getOrDefault(instrumentation, HttpClientAdapter.NONE);
    Object request = adapter.request(handle);
    String method = request == null ? null : adapter.method(request);
    String url = request == null ? null : adapter.url(request);
    if (method == null || url == null) {
      return null;
    }
    HttpCall call = startHttp(instrumentation, method, url, parent, makeCurrent);
    call.requestBodySize = adapter.requestBodySize(request);
    long[] timeouts = adapter.timeouts(handle);
    if (timeouts != null) {
      call.timeouts(timeouts[0], timeouts[1]);
    }
    return call;
  }

  @Override
  public Object httpAttempt(Object request) {
    try {
      HttpCall call = Context.current().get(HTTP_CALL);
      String[] headers = call == null || request == null ? null : call.attempt();
      return headers == null ? request : call.adapter.carrier(request, headers);
    } catch (Throwable t) {
      internalFailure(t);
      return request;
    }
  }

  /**
   * Asynchronous calls by the client's object that their later steps see (Apache HttpClient 5's
   * future). An entry stays after its call ended, ignored, until the object is collected.
   */
  private final WeakIdentityMap<Object, HttpCall> keyedCalls =
      new WeakIdentityMap<>(call -> call.end(null, null));

  @Override
  public void startHttpClient(String instrumentation, String method, String url, Object key) {
    try {
      if (SeamwatchThread.isCurrent() || key == null || method == null || url == null) {
        return;
      }
      Context parent = Context.current();
      if (HTTP.equals(parent.get(CALL_KIND)) || keyedCalls.get(key) != null) {
        return;
      }
      keyedCalls.put(key, startHttp(instrumentation, method, url, parent, false));
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public HttpClientCall httpClientFor(Object key) {
    try {
      HttpCall call = keyedCalls.get(key);
      return call == null || call.ended() ? null : call;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public String[] httpAttemptHeaders(Object key) {
    try {
      HttpCall call = keyedCalls.get(key);
      return call == null ? null : call.attempt();
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public String[] httpAttemptHeaders() {
    try {
      HttpCall call = Context.current().get(HTTP_CALL);
      return call == null ? null : call.attempt();
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  private HttpCall startHttp(
      String instrumentation, String method, String url, Context parent, boolean makeCurrent) {
    HttpTarget target = targets.parse(url);
    Integration entry = catalog.matchHttp(target.scheme, target.host, target.port, target.path);
    String integration = entry != null ? entry.name() : target.integrationKey();
    String template = entry == null ? null : entry.template(target.path);
    if (template == null) {
      template = target.pathTemplate;
    }
    OperationStats stats = keys.get(HTTP, integration, method + " " + template);
    // Past the key cap, the path template is what explodes: the span is then named by the
    // method alone, as the semantic conventions do when no template is known.
    boolean overflow = KeyRegistry.OVERFLOW.equals(stats.operation);
    String operation = overflow ? method : stats.operation;
    Attributes attributes = CallSpans.Shared.of(target.spanAttributes, stats, method);
    if (attributes == null) {
      AttributesBuilder start =
          Attributes.builder()
              .put(HttpAttributes.HTTP_REQUEST_METHOD, method)
              .put(UrlAttributes.URL_FULL, target.redactedUrl)
              .put(UrlAttributes.URL_SCHEME, target.scheme)
              .put(ServerAttributes.SERVER_ADDRESS, target.host)
              .put(ServerAttributes.SERVER_PORT, (long) target.port)
              .put(PEER_SERVICE, integration)
              .put(INTEGRATION_NAME, integration)
              .put(OPERATION_NAME, operation);
      putIfNotNull(start, URL_TEMPLATE, overflow ? null : template);
      putOwner(start, entry);
      attributes = start.build();
      target.spanAttributes = new CallSpans.Shared(stats, method, attributes);
    }
    // One reading of the monotonic clock for the span's start and the call's duration, taken
    // after the agent's own start work (the key, the attributes), as close to the call as the
    // span allows.
    long startNanos = System.nanoTime();
    Span span =
        spans.start(operation, SpanKind.CLIENT, parent, attributes, startNanos, stats, false);
    Context context = callContext(parent, span, HTTP, rootHttp);
    HttpClientAdapter adapter = adapters.getOrDefault(instrumentation, HttpClientAdapter.NONE);
    HttpCall call =
        new HttpCall(this, adapter, span, context, method, target, stats, makeCurrent, startNanos);
    call.entry = entry;
    observeStart(span, call.marks, stats, parent);
    return call;
  }

  /** Sends whose outcome is reported on another object of the client's (Kafka's callback). */
  private final WeakIdentityMap<Object, MessageCall> boundMessages =
      new WeakIdentityMap<>(call -> call.end(null));

  @Override
  public MessageSend startMessageSend(
      String instrumentation,
      String system,
      String destination,
      String destinationKind,
      String server) {
    try {
      if (SeamwatchThread.isCurrent() || system == null) {
        return null;
      }
      Context parent = Context.current();
      if (MESSAGING.equals(parent.get(CALL_KIND))) {
        return null;
      }
      MessageTarget target = messageTargets.find(system, destination, destinationKind, server);
      String host = target.host;
      long port = target.port;
      Integration entry = target.entry;
      String integration = target.integration;
      OperationStats stats = keys.get(MESSAGING, integration, target.operation);
      boolean overflow = KeyRegistry.OVERFLOW.equals(stats.operation);
      Attributes attributes = CallSpans.Shared.of(target.spanAttributes, stats, null);
      if (attributes == null) {
        AttributesBuilder start =
            Attributes.builder()
                .put(MESSAGING_SYSTEM, system)
                .put(MESSAGING_OPERATION_NAME, "send")
                .put(MESSAGING_OPERATION_TYPE, "send")
                .put(MESSAGING_DESTINATION_NAME, destination)
                .put(PEER_SERVICE, integration)
                .put(INTEGRATION_NAME, integration)
                .put(OPERATION_NAME, stats.operation);
        putIfNotNull(start, SEAMWATCH_DESTINATION_KIND, destinationKind);
        putOwner(start, entry);
        if (host != null) {
          start.put(ServerAttributes.SERVER_ADDRESS, host);
          if (port > 0) {
            start.put(ServerAttributes.SERVER_PORT, port);
          }
        }
        attributes = start.build();
        target.spanAttributes = new CallSpans.Shared(stats, null, attributes);
      }
      long startNanos = System.nanoTime(); // the span's start and the call's duration
      Span span =
          spans.start(
              overflow ? "send" : target.operation,
              SpanKind.PRODUCER,
              parent,
              attributes,
              startNanos,
              stats,
              false);
      MessageCall call =
          new MessageCall(this, span, parent, system, destination, host, port, stats, startNanos);
      call.entry = entry;
      observeStart(call.span, call.marks, stats, parent);
      return call;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public MessageSend startMessageSend(String instrumentation, Object client, Object[] args) {
    try {
      MessagingAdapter adapter = messagingAdapters.get(instrumentation);
      if (adapter == null || SeamwatchThread.isCurrent()) {
        return null;
      }
      if (MESSAGING.equals(Context.current().get(CALL_KIND))) {
        // An inner send of the same client (an overload calling another): the outer one counts.
        return null;
      }
      MessagingAdapter.Target target = adapter.target(client, args);
      if (target == null) {
        return null;
      }
      MessageSend send =
          startMessageSend(
              instrumentation,
              target.system,
              target.destination,
              target.destinationKind,
              target.server);
      if (send != null && target.message != null) {
        adapter.inject(target.message, send.propagationHeaders());
        long size = adapter.bodySize(target.message);
        if (size >= 0) {
          send.bodySize(size);
        } else if (send instanceof MessageCall) {
          ((MessageCall) send).unsizedMessage = target.message;
          ((MessageCall) send).sizer = adapter;
        }
      }
      return send;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public MessageSend currentMessageSend() {
    try {
      MessageCall call = Context.current().get(MESSAGE);
      return call == null || call.ended() ? null : call;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public MessageSend takeMessageSend(Object key) {
    try {
      // Removed, not only read: a binding left in place would hold the call (its span and
      // attributes) until the collector cleared the key, and cost the collector a reference to
      // process for every record sent.
      MessageCall call = key == null ? null : boundMessages.remove(key);
      return call == null || call.ended() ? null : call;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  /** Sends bound to a key and not taken yet (tests: nothing is kept per send after its end). */
  int boundMessageCount() {
    return boundMessages.size();
  }

  void bindMessage(Object key, MessageCall call) {
    try {
      if (key != null) {
        boundMessages.put(key, call);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /**
   * Sends awaiting a broker's confirmation, by channel and sequence number. A channel closed with
   * confirmations outstanding ends them, without a status, when it is collected.
   */
  private final WeakIdentityMap<Object, ConcurrentSkipListMap<Long, MessageCall>> confirmations =
      new WeakIdentityMap<>(
          pending -> {
            for (MessageCall call : pending.values()) {
              call.end(null);
            }
          });

  void bindMessage(Object key, long sequence, MessageCall call) {
    try {
      if (key == null) {
        return;
      }
      ConcurrentSkipListMap<Long, MessageCall> pending = confirmations.get(key);
      if (pending == null) {
        synchronized (confirmations) {
          pending = confirmations.get(key);
          if (pending == null) {
            pending = new ConcurrentSkipListMap<>();
            confirmations.put(key, pending);
          }
        }
      }
      pending.put(sequence, call);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /** The error.type of a message the broker refused (a RabbitMQ nack). */
  static final String BROKER_NACK = "nack";

  @Override
  public void messagesConfirmed(Object key, long sequence, boolean multiple, boolean failed) {
    try {
      ConcurrentSkipListMap<Long, MessageCall> pending =
          key == null ? null : confirmations.get(key);
      if (pending == null) {
        return;
      }
      java.util.Map<Long, MessageCall> confirmed =
          multiple
              ? pending.headMap(sequence, true)
              : pending.subMap(sequence, true, sequence, true);
      for (java.util.Iterator<MessageCall> it = confirmed.values().iterator(); it.hasNext(); ) {
        MessageCall call = it.next();
        it.remove();
        if (failed) {
          call.fail(BROKER_NACK);
        } else {
          call.end(null);
        }
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void messagesUnconfirmed(Object key, Throwable cause) {
    try {
      ConcurrentSkipListMap<Long, MessageCall> pending =
          key == null ? null : confirmations.remove(key);
      if (pending == null) {
        return;
      }
      for (MessageCall call : pending.values()) {
        call.end(cause);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  void endMessage(MessageCall call, Throwable error, String brokerError) {
    try {
      long endNanos = System.nanoTime();
      long durationNanos = endNanos - call.startNanos;
      String errorType = error != null ? ErrorTypes.of(error) : brokerError;
      Span span = call.span;
      Object unsized = call.unsizedMessage;
      if (unsized != null && call.bodySize < 0) {
        call.unsizedMessage = null;
        call.bodySize(call.sizer.bodySize(unsized));
      }
      if (call.bodySize >= 0) {
        span.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, call.bodySize);
      }
      if (errorType != null) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, errorType);
      }
      observeMessage(call, durationNanos, errorType);
      endAt(span, endNanos);
      Attributes attributes;
      if (errorType == null) {
        Object last = call.stats.lastMetricAttributes;
        MessageMetricAttributes cached =
            last instanceof MessageMetricAttributes ? (MessageMetricAttributes) last : null;
        if (cached == null || !cached.matches(call)) {
          cached = new MessageMetricAttributes(call);
          call.stats.lastMetricAttributes = cached;
        }
        attributes = cached.attributes;
      } else {
        attributes = messageMetricAttributes(call, errorType);
      }
      messagingDuration.record(durationNanos / 1e9, attributes);
      messagesSent.add(1, attributes);
      call.stats.record(durationNanos, errorType);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public DbCall startDbStatement(
      String instrumentation, Object statement, String sql, boolean batch) {
    try {
      if (SeamwatchThread.isCurrent()) {
        return null;
      }
      JdbcState.StatementInfo info = jdbc.statement(statement, true);
      String text = sql;
      long batchSize = 0;
      if (batch) {
        // Taken and reset even when nested below a pool's proxy, which keeps its own batch.
        batchSize = info.batchSize;
        text = info.batchMixed ? null : info.batchSql != null ? info.batchSql : info.preparedSql;
        info.batchSize = 0;
        info.batchSql = null;
        info.batchMixed = false;
      } else if (text == null) {
        text = info.preparedSql;
      }
      SlotContextStorage.Slot slot = SlotContextStorage.slot();
      Context parent = slot != null ? slot.current() : Context.current();
      if (DB.equals(parent.get(CALL_KIND))) {
        return null;
      }
      JdbcState.Database known = jdbc.databaseOf(statement, info);
      JdbcUrl database = known.url;
      SqlStatementInfo query = text == null ? null : JdbcState.query(info, text, database);
      Integration entry = known.entry;
      String integration = entry != null ? entry.name() : database.integrationKey();
      String summary =
          query == null ? null : firstNonNull(query.querySummary(), query.operationName());
      OperationStats stats =
          keys.get(DB, integration, summary != null ? summary : batch ? "BATCH" : "query");
      boolean overflow = KeyRegistry.OVERFLOW.equals(stats.operation);
      String name =
          overflow || summary == null
              ? firstNonNull(query == null ? null : query.operationName(), database.dbSystemName())
              : summary;
      // The statement's current query, when it is the SQL executed now (not a batch of other SQL):
      // its spans' start attributes are the same every time.
      JdbcState.Query executed = query != null && info.query.info == query ? info.query : null;
      Attributes attributes =
          executed == null ? null : CallSpans.Shared.of(executed.spanAttributes, stats, null);
      if (attributes == null) {
        attributes = dbSpanAttributes(database, entry, integration, stats, query, overflow);
        if (executed != null) {
          executed.spanAttributes = new CallSpans.Shared(stats, null, attributes);
        }
      }
      // One reading of the monotonic clock for the span's start and the call's duration, taken
      // after the agent's own start work (the key, the attributes).
      long startNanos = System.nanoTime();
      // A statement sends no context on: its span's budget is decided at its end, so a failed
      // call's span or one with a finding is kept whatever the budget.
      Span started =
          spans.start(name, SpanKind.CLIENT, parent, attributes, startNanos, stats, true);
      if (batchSize >= 2) {
        started.setAttribute(DbAttributes.DB_OPERATION_BATCH_SIZE, batchSize);
      }
      JdbcCall call =
          new JdbcCall(
              this,
              started,
              parent,
              callContext(parent, started, DB, rootDb),
              database,
              query,
              stats,
              info,
              startNanos,
              slot);
      call.entry = entry;
      call.executed = executed;
      observeStart(started, call.marks, stats, parent);
      checkQueryTimeout(started, integration, statement, info);
      return call;
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  /**
   * Ends a call's span at {@code endNanos}, the reading of the monotonic clock its duration was
   * taken from: the span lasts what the metric says, and no clock is read again.
   */
  private void endAt(Span span, long endNanos) {
    span.end(epochNanosAt(span, endNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * The epoch time of the monotonic reading {@code nanoTime} by {@code span}'s own clock (its start
   * plus the monotonic time since), so that it lasts what the call's metric says; for a span not
   * recorded, which keeps no times, the wall clock.
   */
  private long epochNanosAt(Span span, long nanoTime) {
    return span instanceof CallSpan ? ((CallSpan) span).at(nanoTime) : clock.now();
  }

  /** The start attributes of a statement's spans (all but the batch size). */
  private static Attributes dbSpanAttributes(
      JdbcUrl database,
      Integration entry,
      String integration,
      OperationStats stats,
      SqlStatementInfo query,
      boolean overflow) {
    AttributesBuilder start =
        Attributes.builder()
            .put(DbAttributes.DB_SYSTEM_NAME, database.dbSystemName())
            .put(PEER_SERVICE, integration)
            .put(INTEGRATION_NAME, integration)
            .put(OPERATION_NAME, stats.operation);
    putIfNotNull(start, DbAttributes.DB_NAMESPACE, database.namespace());
    putOwner(start, entry);
    if (database.serverAddress() != null) {
      start.put(ServerAttributes.SERVER_ADDRESS, database.serverAddress());
      if (database.serverPort() > 0) {
        start.put(ServerAttributes.SERVER_PORT, (long) database.serverPort());
      }
    }
    if (query != null) {
      putIfNotNull(start, DbAttributes.DB_QUERY_TEXT, query.queryText());
      putIfNotNull(start, DbAttributes.DB_OPERATION_NAME, query.operationName());
      putIfNotNull(start, DbAttributes.DB_COLLECTION_NAME, query.collectionName());
      putIfNotNull(start, DbAttributes.DB_QUERY_SUMMARY, overflow ? null : query.querySummary());
    }
    return start.build();
  }

  void endDb(JdbcCall call, Object result, Throwable error) {
    try {
      long endNanos = System.nanoTime();
      long durationNanos = endNanos - call.startNanos;
      String errorType = error == null ? null : ErrorTypes.of(error);
      String statusCode = sqlState(error);
      Span span = call.span;
      if (errorType != null) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, errorType);
        span.setAttribute(DbAttributes.DB_RESPONSE_STATUS_CODE, statusCode);
        span.setStatus(
            StatusCode.ERROR, statusCode != null ? errorType + " " + statusCode : errorType);
      }
      boolean awaitRows = error == null && result instanceof ResultSet;
      if (errorType == null) {
        anomalies.report(
            span,
            call.marks,
            call.stats,
            anomalies.engine.latency(call.stats.baseline, durationNanos));
      }
      slo.observe(call.entry, span, call.marks, call.stats, durationNanos, errorType != null);
      if (awaitRows) {
        anomalies.report(
            span,
            call.marks,
            call.stats,
            anomalies.engine.shape(
                call.stats.baseline, columnSignature((ResultSet) result, call.statement)));
      }
      call.endSpan(epochNanosAt(span, endNanos), awaitRows);
      if (awaitRows) {
        jdbc.track(result, call, call.statement);
      }

      JdbcState.Query executed = call.executed;
      boolean reusable = errorType == null && executed != null;
      Attributes attributes = reusable ? executed.metricAttributes : null;
      if (attributes == null) {
        attributes = dbMetricAttributes(call, errorType, statusCode);
        if (reusable) {
          executed.metricAttributes = attributes;
        }
      }
      dbDuration.record(durationNanos / 1e9, attributes, call.parent);
      call.stats.record(durationNanos, errorType);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /** The duration metric's attributes of one statement execution. */
  private Attributes dbMetricAttributes(JdbcCall call, String errorType, String statusCode) {
    JdbcUrl database = call.database;
    AttributesBuilder metric =
        Attributes.builder()
            .put(DbAttributes.DB_SYSTEM_NAME, database.dbSystemName())
            .put(
                INTEGRATION_NAME,
                call.entry != null ? call.entry.name() : database.integrationKey());
    putOwner(metric, call.entry);
    putIfNotNull(metric, DbAttributes.DB_NAMESPACE, database.namespace());
    putIfNotNull(metric, ServerAttributes.SERVER_ADDRESS, database.serverAddress());
    if (database.serverAddress() != null && database.serverPort() > 0) {
      metric.put(ServerAttributes.SERVER_PORT, (long) database.serverPort());
    }
    if (call.query != null) {
      putIfNotNull(metric, DbAttributes.DB_OPERATION_NAME, call.query.operationName());
      putIfNotNull(metric, DbAttributes.DB_COLLECTION_NAME, call.query.collectionName());
    }
    putIfNotNull(metric, ErrorAttributes.ERROR_TYPE, errorType);
    putIfNotNull(metric, DbAttributes.DB_RESPONSE_STATUS_CODE, statusCode);
    return metric.build();
  }

  @Override
  public DbCall startDbConnectionWait(Object dataSource) {
    try {
      if (SeamwatchThread.isCurrent()) {
        return null;
      }
      int[] depth = poolDepth.get();
      return new ConnectionStep(this, dataSource, null, depth, depth[0]++ > 0);
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  @Override
  public DbCall startDbConnect(Object driver, String url) {
    try {
      if (SeamwatchThread.isCurrent()) {
        return null;
      }
      int[] depth = connectDepth.get();
      return new ConnectionStep(this, driver, url, depth, depth[0]++ > 0);
    } catch (Throwable t) {
      internalFailure(t);
      return null;
    }
  }

  /**
   * A wait for a pooled connection goes into {@code db.client.connection.wait_time}, a driver's
   * connect into {@code db.client.connection.create_time}, and both into the report. A span is made
   * only where it tells something: a step that failed (a pool timed out because it ran dry; a
   * database refused the connection), or a wait of at least {@code
   * seamwatch.jdbc.pool-wait.span-threshold-ms}, so that a slow request shows where its time went.
   */
  void endConnectionStep(ConnectionStep step, Object connection, Throwable error) {
    try {
      long durationNanos = System.nanoTime() - step.startNanos;
      boolean connect = step.url != null;
      JdbcUrl database =
          connect
              ? JdbcUrl.parse(step.url)
              : jdbc.databaseOf(connection instanceof Connection ? (Connection) connection : null);
      String errorType = error == null ? null : ErrorTypes.of(error);
      String statusCode = sqlState(error);
      Integration entry = connect ? catalog.matchJdbc(step.url) : jdbc.catalogEntry(database);
      String integration = entry != null ? entry.name() : database.integrationKey();
      String pool = connect ? null : step.poolName();
      AttributesBuilder metric =
          Attributes.builder()
              .put(DbAttributes.DB_SYSTEM_NAME, database.dbSystemName())
              .put(INTEGRATION_NAME, integration);
      putIfNotNull(metric, POOL_NAME, pool);
      putIfNotNull(metric, ErrorAttributes.ERROR_TYPE, errorType);
      (connect ? connectTime : poolWaitTime).record(durationNanos / 1e9, metric.build());
      keys.get(DB, integration, connect ? "connect" : "connection wait")
          .record(durationNanos, errorType);
      if (error == null && (connect || durationNanos < poolWaitSpanNanos)) {
        return;
      }
      long end = clock.now();
      SpanBuilder builder =
          tracer
              .spanBuilder(
                  connect ? "connect " + database.dbSystemName() : "connection wait " + pool)
              .setSpanKind(connect ? SpanKind.CLIENT : SpanKind.INTERNAL)
              .setStartTimestamp(end - durationNanos, TimeUnit.NANOSECONDS)
              .setAttribute(DbAttributes.DB_SYSTEM_NAME, database.dbSystemName())
              .setAttribute(DbAttributes.DB_NAMESPACE, database.namespace())
              .setAttribute(INTEGRATION_NAME, integration)
              .setAttribute(POOL_NAME, pool);
      if (database.serverAddress() != null) {
        builder.setAttribute(ServerAttributes.SERVER_ADDRESS, database.serverAddress());
        if (database.serverPort() > 0) {
          builder.setAttribute(ServerAttributes.SERVER_PORT, (long) database.serverPort());
        }
      }
      Span span = builder.startSpan();
      if (errorType != null) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, errorType);
        span.setAttribute(DbAttributes.DB_RESPONSE_STATUS_CODE, statusCode);
        span.setStatus(
            StatusCode.ERROR, statusCode != null ? errorType + " " + statusCode : errorType);
      }
      span.end(end, TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /**
   * A statement with no query timeout waits as long as the database takes: a readiness finding,
   * looked for until found once per integration (a getter, which drivers answer from a field), and
   * on each statement until that statement settles it (see {@link
   * JdbcState.StatementInfo#queryTimeoutSettled}).
   */
  private void checkQueryTimeout(
      Span span, String integration, Object statement, JdbcState.StatementInfo info) {
    if (info.queryTimeoutSettled || !(statement instanceof java.sql.Statement)) {
      return;
    }
    if (!readiness.pending(integration, Readiness.NO_QUERY_TIMEOUT)) {
      info.queryTimeoutSettled = true;
      return;
    }
    try {
      if (((java.sql.Statement) statement).getQueryTimeout() == 0) {
        readiness.report(span, integration, Readiness.NO_QUERY_TIMEOUT);
      } else {
        info.queryTimeoutSettled = true;
      }
    } catch (Throwable t) {
      // A closed statement or an odd driver: nothing to say.
    }
  }

  /** The SQLState of a failure, or the vendor code when the driver gives no state. */
  private static String sqlState(Throwable error) {
    Throwable cause = error == null ? null : ErrorTypes.unwrap(error);
    if (!(cause instanceof SQLException)) {
      return null;
    }
    SQLException sqlError = (SQLException) cause;
    if (sqlError.getSQLState() != null) {
      return sqlError.getSQLState();
    }
    return sqlError.getErrorCode() != 0 ? Integer.toString(sqlError.getErrorCode()) : null;
  }

  @Override
  public void dbStatementPrepared(Object statement, String sql) {
    try {
      if (statement != null && sql != null) {
        jdbc.prepared(statement, sql);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void dbBatchAdded(Object statement, String sql) {
    try {
      jdbc.batchAdded(statement, sql);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void dbRowRead(Object resultSet, boolean hasRow) {
    try {
      jdbc.rowRead(resultSet, hasRow);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void dbClosed(Object resultSetOrStatement) {
    try {
      jdbc.closed(resultSetOrStatement);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /** The catalog's owner and tier, on the metrics of the calls it names. */
  private static void putOwner(AttributesBuilder metric, Integration entry) {
    if (entry != null) {
      putIfNotNull(metric, INTEGRATION_OWNER, entry.owner());
      putIfNotNull(metric, INTEGRATION_TIER, entry.tier());
    }
  }

  private static <T> void putIfNotNull(AttributesBuilder builder, AttributeKey<T> key, T value) {
    if (value != null) {
      builder.put(key, value);
    }
  }

  String[] propagationHeaders(Context context) {
    HeaderCollector collector = new HeaderCollector();
    propagator.inject(context, collector, HeaderCollector.SETTER);
    return collector.toArray();
  }

  /** Ends with the response read by the client's adapter (clients of the JDK). */
  void endHttp(HttpCall call, Object response, Throwable error) {
    HttpClientAdapter adapter = call.adapter;
    int status = 0;
    String protocol = null;
    long responseBytes = -1;
    if (response != null) {
      // An adapter that cannot read this response costs the facts, never the span.
      try {
        status = adapter.statusCode(response);
        protocol = adapter.protocolVersion(response);
        responseBytes = adapter.responseBodySize(response);
      } catch (Throwable t) {
        internalFailure(t);
      }
    }
    endHttp(call, status, protocol, responseBytes, error);
  }

  void endHttp(HttpCall call, int status, String protocol, long responseBytes, Throwable error) {
    try {
      long endNanos = System.nanoTime();
      long durationNanos = endNanos - call.startNanos;
      // A status of 400 and above names the failure even when the client also threw for it
      // (HttpURLConnection throws FileNotFoundException for a 404).
      String errorType =
          status >= 400
              ? Integer.toString(status)
              : error != null ? httpErrorType(call.adapter, error) : null;

      Span span = call.span;
      if (status > 0) {
        span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
      }
      if (protocol != null) {
        span.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, protocol);
      }
      if (call.requestBodySize >= 0) {
        span.setAttribute(HTTP_REQUEST_BODY_SIZE, call.requestBodySize);
      }
      if (responseBytes >= 0) {
        span.setAttribute(HTTP_RESPONSE_BODY_SIZE, responseBytes);
      }
      observeHttp(call, status, responseBytes, durationNanos, errorType);
      int resends = call.attempts.get() - 1;
      if (resends > 0) {
        span.setAttribute(HttpAttributes.HTTP_REQUEST_RESEND_COUNT, (long) resends);
      }
      if (errorType != null) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, errorType);
        // The exception's message is left out on purpose: clients put URLs, hosts and sometimes
        // request data in it, and nothing captured may carry a secret. Its class is kept, since
        // error.type may be one of the documented classes of failure instead; not when the status
        // explains it (HttpURLConnection throws FileNotFoundException for a 404).
        if (error != null && status < 400) {
          span.addEvent(
              "exception",
              Attributes.of(
                  ExceptionAttributes.EXCEPTION_TYPE,
                  ErrorTypes.unwrap(error).getClass().getName()));
        }
        span.setStatus(StatusCode.ERROR, errorType);
      }
      endAt(span, endNanos);

      Attributes attributes;
      if (errorType == null) {
        // A successful call of a key almost always has the attributes of the key's last one.
        Object last = call.stats.lastMetricAttributes;
        HttpMetricAttributes cached =
            last instanceof HttpMetricAttributes ? (HttpMetricAttributes) last : null;
        if (cached == null || !cached.matches(call, status, protocol)) {
          cached = new HttpMetricAttributes(call, status, protocol);
          call.stats.lastMetricAttributes = cached;
        }
        attributes = cached.attributes;
      } else {
        attributes = httpMetricAttributes(call, status, protocol, errorType);
      }
      httpDuration.record(durationNanos / 1e9, attributes);
      call.stats.record(durationNanos, errorType);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /** The HTTP duration metric's attributes of one call. */
  private static Attributes httpMetricAttributes(
      HttpCall call, int status, String protocol, String errorType) {
    AttributesBuilder metric =
        Attributes.builder()
            .put(HttpAttributes.HTTP_REQUEST_METHOD, call.method)
            .put(UrlAttributes.URL_SCHEME, call.target.scheme)
            .put(ServerAttributes.SERVER_ADDRESS, call.target.host)
            .put(ServerAttributes.SERVER_PORT, (long) call.target.port)
            .put(
                INTEGRATION_NAME,
                call.entry != null ? call.entry.name() : call.target.integrationKey());
    putOwner(metric, call.entry);
    if (status > 0) {
      metric.put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
    }
    if (protocol != null) {
      metric.put(NetworkAttributes.NETWORK_PROTOCOL_VERSION, protocol);
    }
    if (errorType != null) {
      metric.put(ErrorAttributes.ERROR_TYPE, errorType);
    }
    return metric.build();
  }

  /**
   * A successful HTTP call's metric attributes, kept on its key ({@link
   * OperationStats#lastMetricAttributes}) with what they were built from: building and sorting them
   * cost more per call than the histogram's update. Everything they depend on is compared, since
   * one key can see other values: the overflow key holds every method and host, and a catalog entry
   * can span several hosts. Immutable, so a racing reader sees a whole one.
   */
  private static final class HttpMetricAttributes {
    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final Integration entry;
    private final int status;
    private final String protocol;
    final Attributes attributes;

    HttpMetricAttributes(HttpCall call, int status, String protocol) {
      this.method = call.method;
      this.scheme = call.target.scheme;
      this.host = call.target.host;
      this.port = call.target.port;
      this.entry = call.entry;
      this.status = status;
      this.protocol = protocol;
      this.attributes = httpMetricAttributes(call, status, protocol, null);
    }

    boolean matches(HttpCall call, int status, String protocol) {
      return this.status == status
          && port == call.target.port
          && entry == call.entry
          && Objects.equals(this.protocol, protocol)
          // A client's adapter may not tell the method (null): such calls are recorded too.
          && Objects.equals(method, call.method)
          && host.equals(call.target.host)
          && scheme.equals(call.target.scheme);
    }
  }

  /** The messaging metrics' attributes of one send. */
  private static Attributes messageMetricAttributes(MessageCall call, String errorType) {
    AttributesBuilder metric =
        Attributes.builder()
            .put(MESSAGING_SYSTEM, call.system)
            .put(MESSAGING_OPERATION_NAME, "send")
            .put(INTEGRATION_NAME, call.stats.integration);
    putOwner(metric, call.entry);
    putIfNotNull(metric, MESSAGING_DESTINATION_NAME, call.destination);
    putIfNotNull(metric, ServerAttributes.SERVER_ADDRESS, call.serverAddress);
    if (call.serverAddress != null && call.serverPort > 0) {
      metric.put(ServerAttributes.SERVER_PORT, call.serverPort);
    }
    putIfNotNull(metric, ErrorAttributes.ERROR_TYPE, errorType);
    return metric.build();
  }

  /** A successful send's metric attributes, kept on its key as {@link HttpMetricAttributes} are. */
  private static final class MessageMetricAttributes {
    private final String system;
    private final String destination;
    private final String serverAddress;
    private final long serverPort;
    private final Integration entry;
    final Attributes attributes;

    MessageMetricAttributes(MessageCall call) {
      this.system = call.system;
      this.destination = call.destination;
      this.serverAddress = call.serverAddress;
      this.serverPort = call.serverPort;
      this.entry = call.entry;
      this.attributes = messageMetricAttributes(call, null);
    }

    boolean matches(MessageCall call) {
      return serverPort == call.serverPort
          && entry == call.entry
          && system.equals(call.system)
          && Objects.equals(destination, call.destination)
          && Objects.equals(serverAddress, call.serverAddress);
    }
  }

  private static String httpErrorType(HttpClientAdapter adapter, Throwable error) {
    String own = adapter.errorType(error);
    return own != null ? own : ErrorTypes.ofHttp(error);
  }

  // ---- Anomalies: what each kind of call hands the engine, and where its findings go.

  /** At a call's start: the same operation again and again in one trace (N+1). */
  private void observeStart(
      Span span, Anomalies.Marks marks, OperationStats stats, Context parent) {
    SpanContext enclosing = Span.fromContext(parent).getSpanContext();
    anomalies.report(
        span,
        marks,
        stats,
        anomalies.engine.repeated(stats, enclosing.isValid() ? enclosing.getTraceId() : null));
  }

  /**
   * At an HTTP call's end. Latency is learnt from calls that succeeded only (a refused connection
   * is fast, a timeout slow: both are errors already). Response bodies are learnt from 2xx
   * responses only, so that an error page never counts as a change of shape; a body the application
   * reads is judged when it has been read ({@link #bodyFinished}), else by its declared length.
   */
  private void observeHttp(
      HttpCall call, int status, long responseBytes, long durationNanos, String errorType) {
    AnomalyEngine engine = anomalies.engine;
    OperationStats stats = call.stats;
    if (errorType == null) {
      anomalies.report(call.span, call.marks, stats, engine.latency(stats.baseline, durationNanos));
    }
    slo.observe(call.entry, call.span, call.marks, stats, durationNanos, errorType != null);
    if (call.requestBodySize > 0) {
      anomalies.report(
          call.span,
          call.marks,
          stats,
          engine.size(stats.baseline, SizeKind.REQUEST, call.requestBodySize));
    }
    ResponseBody body = call.body;
    if (body != null) {
      body.declaredLength = responseBytes;
      body.status(status);
    } else if (status >= 200 && status < 300 && responseBytes >= 0) {
      anomalies.report(
          call.span,
          call.marks,
          stats,
          engine.size(stats.baseline, SizeKind.RESPONSE, responseBytes));
    }
  }

  /** A body to watch for {@code call}; null when no body rule is on. */
  ResponseBody newBody(HttpCall call) {
    AnomalySettings settings = anomalies.settings;
    if (!settings.enabled(AnomalyType.SIZE_OUTLIER)
        && !settings.enabled(AnomalyType.SHAPE_DRIFT)
        && !settings.enabled(AnomalyType.ERROR_IN_SUCCESS)
        && !settings.enabled(AnomalyType.EMPTY_RESULT)) {
      return null;
    }
    return new ResponseBody(call, new BodySniffer(anomalies.bodyScanLimit, anomalies.salt));
  }

  /**
   * Response body streams being read, by stream. A stream dropped unread or half read is finished,
   * incomplete, when it is collected.
   */
  private final WeakIdentityMap<Object, ResponseBody> bodies =
      new WeakIdentityMap<>(body -> body.finish(false));

  void watchBody(HttpCall call, Object stream) {
    try {
      if (stream != null && call.body == null) {
        watch(call, stream, 0);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /** Watches {@code stream} as the call's body from now on, replacing any earlier one. */
  private void watch(HttpCall call, Object stream, int status) {
    ResponseBody body = newBody(call);
    if (body != null) {
      if (status != 0) {
        body.status(status);
      }
      call.body = body;
      bodies.put(stream, body);
    }
  }

  /** A body read to its end needs no more watching. */
  private void forgetIfFinished(Object stream, ResponseBody body) {
    if (body.finished()) {
      bodies.remove(stream);
    }
  }

  @Override
  public void httpResponseBody(Object stream, int status) {
    try {
      HttpCall call = Context.current().get(HTTP_CALL);
      if (call == null || stream == null || call.ended()) {
        return;
      }
      // Each attempt's body replaces the previous one's: a redirect's body is the client's to
      // drain, the last one is the application's.
      watch(call, stream, status);
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void bodyRead(Object stream, byte[] b, int off, int n) {
    try {
      ResponseBody body = bodies.get(stream);
      if (body != null) {
        body.read(b, off, n);
        forgetIfFinished(stream, body);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void bodyReadByte(Object stream, int value) {
    try {
      ResponseBody body = bodies.get(stream);
      if (body != null) {
        body.readByte(value);
        forgetIfFinished(stream, body);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public long bodyBufferMark(Object stream, Object buffer) {
    try {
      ResponseBody body = bodies.get(stream);
      return body == null ? -1 : body.call.adapter.bufferSize(buffer);
    } catch (Throwable t) {
      internalFailure(t);
      return -1;
    }
  }

  @Override
  public void bodyReadInto(Object stream, Object buffer, long offset, long n) {
    try {
      ResponseBody body = bodies.get(stream);
      if (body != null) {
        body.readInto(buffer, offset, n);
        forgetIfFinished(stream, body);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  @Override
  public void bodyClosed(Object stream) {
    try {
      ResponseBody body = bodies.remove(stream);
      if (body != null) {
        body.finish(false);
      }
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /**
   * A watched body ended. Its size and emptiness count only when it was read to its end (or to its
   * declared length: JSON parsers stop at the closing brace and close); its shape and error marker
   * count whenever its top-level value was read whole. Reported on the span if it is still open (a
   * body read inside the call, as {@code BodyHandlers.ofString}), else as log records.
   */
  void bodyFinished(ResponseBody body, BodySniffer sniffer, boolean readToEnd) {
    HttpCall call = body.call;
    int status = body.status;
    // Status 0: not known yet, which is a body the client itself consumed inside the call (a
    // redirect's, with OkHttp).
    if (call.body != body || status < 200 || status >= 300) {
      return;
    }
    boolean complete =
        readToEnd || (body.declaredLength >= 0 && sniffer.bytes() == body.declaredLength);
    AnomalyEngine engine = anomalies.engine;
    OperationStats stats = call.stats;
    Anomalies.Marks marks = call.ended() ? null : call.marks;
    if (complete) {
      if (marks != null) {
        call.span.setAttribute(HTTP_RESPONSE_BODY_SIZE, sniffer.bytes());
      }
      anomalies.report(
          call.span, marks, stats, engine.size(stats.baseline, SizeKind.RESPONSE, sniffer.bytes()));
    }
    long fingerprint = sniffer.fingerprint();
    // Emptiness is known from a body read to its end, or from a top-level value that closed ("{}",
    // "[]", or one with content); a body closed before any byte was read tells nothing.
    if (complete || fingerprint != 0 || (sniffer.empty() && sniffer.bytes() > 0)) {
      anomalies.report(call.span, marks, stats, engine.empty(stats.baseline, sniffer.empty()));
    }
    if (fingerprint != 0) {
      anomalies.report(call.span, marks, stats, engine.shape(stats.baseline, fingerprint));
    }
    anomalies.report(call.span, marks, stats, engine.errorInSuccess(sniffer.errorMarker()));
  }

  /** Rows are known once the application read them all; a result set closed early tells less. */
  void rowsKnown(JdbcCall call, boolean exhausted, boolean spanOpen) {
    try {
      if (!exhausted) {
        return;
      }
      AnomalyEngine engine = anomalies.engine;
      Anomalies.Marks marks = spanOpen ? call.marks : null;
      anomalies.report(call.span, marks, call.stats, engine.rows(call.stats.baseline, call.rows));
      anomalies.report(
          call.span, marks, call.stats, engine.empty(call.stats.baseline, call.rows == 0));
    } catch (Throwable t) {
      internalFailure(t);
    }
  }

  /**
   * A salted hash of a result's column labels, in order; 0 when unknown. Labels only: drivers know
   * them locally, while a column's type can cost PostgreSQL's driver a query of its own.
   */
  private long columnSignature(ResultSet result, JdbcState.StatementInfo info) {
    if (!anomalies.settings.enabled(AnomalyType.SHAPE_DRIFT)) {
      return 0;
    }
    try {
      java.sql.ResultSetMetaData metadata = result.getMetaData();
      int columns = metadata.getColumnCount();
      JdbcState.Columns known = info == null ? null : info.columns;
      String[] last = known == null ? null : known.labels;
      String[] labels = last != null && last.length == columns ? null : new String[columns];
      for (int i = 0; i < columns; i++) {
        String label = metadata.getColumnLabel(i + 1);
        if (labels == null && !Objects.equals(label, last[i])) {
          labels = new String[columns];
          System.arraycopy(last, 0, labels, 0, i);
        }
        if (labels != null) {
          labels[i] = label;
        }
      }
      if (labels == null) {
        return known.signature;
      }
      long hash = anomalies.salt ^ 0xcbf29ce484222325L;
      for (String label : labels) {
        for (int c = 0; label != null && c < label.length(); c++) {
          hash = (hash ^ Character.toLowerCase(label.charAt(c))) * 0x100000001b3L;
        }
        hash = (hash ^ 0x1f) * 0x100000001b3L;
      }
      hash = hash == 0 ? 1 : hash;
      if (info != null) {
        info.columns = new JdbcState.Columns(labels, hash);
      }
      return hash;
    } catch (Throwable t) {
      // A driver that cannot tell: no shape for this result.
      return 0;
    }
  }

  private static final String RECORD_TOO_LARGE = "RecordTooLargeException";

  private void observeMessage(MessageCall call, long durationNanos, String errorType) {
    AnomalyEngine engine = anomalies.engine;
    OperationStats stats = call.stats;
    if (errorType == null) {
      anomalies.report(call.span, call.marks, stats, engine.latency(stats.baseline, durationNanos));
    }
    slo.observe(call.entry, call.span, call.marks, stats, durationNanos, errorType != null);
    if (call.bodySize >= 0) {
      anomalies.report(
          call.span,
          call.marks,
          stats,
          engine.size(stats.baseline, SizeKind.MESSAGE, call.bodySize));
    }
    boolean rejected = errorType != null && errorType.endsWith(RECORD_TOO_LARGE);
    if (rejected || call.recordLimit > 0) {
      anomalies.report(
          call.span,
          call.marks,
          stats,
          engine.nearLimit(call.recordSize, call.recordLimit, rejected));
    }
  }

  void internalFailure(Throwable t) {
    if (failureLogged.compareAndSet(false, true)) {
      SeamwatchLog.warn(
          "internal error while recording a call, the call itself is unaffected (further errors"
              + " are not logged): "
              + t);
    }
  }
}
