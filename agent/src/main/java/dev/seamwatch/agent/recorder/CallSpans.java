package dev.seamwatch.agent.recorder;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.internal.ImmutableSpanContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Starts the spans of recorded calls ({@link CallSpan}) and hands them, ended, to the SDK's span
 * processors: the same sampler, limits, resource and processors (batch queue, exporter) the SDK's
 * tracer uses, taken from the pipeline.
 *
 * <p>Why not the SDK's span builder: a profile of the JDBC benchmark loop put about a third of
 * Seamwatch's calling-thread time in it. It copies every attribute into a fresh per-span map (about
 * 1% of a JDBC call each), renders the new ids through a thread-local buffer, and copies the map
 * again when the exporter asks for the span's data. A recorded call's start attributes are the same
 * for every call of its statement, URL or destination, so they are built once ({@link Attributes},
 * immutable) and shared by every span of it; only what a call adds (status, rows, findings) is kept
 * per span.
 */
public final class CallSpans {

  /** Trace flags by sampled (1) and random trace id (2). */
  private static final TraceFlags[] FLAGS = {
    TraceFlags.builder().build(),
    TraceFlags.builder().setSampled(true).build(),
    TraceFlags.builder().setRandomTraceId(true).build(),
    TraceFlags.builder().setSampled(true).setRandomTraceId(true).build()
  };

  private static final Span RANDOM_TRACE_ID =
      Span.wrap(
          ImmutableSpanContext.create(
              "00000000000000000000000000000000",
              "0000000000000000",
              FLAGS[2],
              TraceState.getDefault(),
              false,
              false));

  private static final Context ROOT_WITH_RANDOM_TRACE_ID = Context.root().with(RANDOM_TRACE_ID);

  private final SpanProcessor processor;
  private final boolean startRequired;
  private final boolean endRequired;
  private final Sampler sampler;
  final SpanLimits limits;
  final Resource resource;
  final InstrumentationScopeInfo scope;
  final Clock clock;

  /**
   * How long one reading of the wall clock serves as the anchor of span times. A span's start is
   * the anchor's wall-clock time plus the monotonic time since the anchor, as the SDK times a
   * trace's spans from its root's reading: the wall clock costs a third more than the monotonic one
   * here and allocates, and a call already reads the monotonic clock for its duration. Read again
   * each second, so a step of the system clock shows in span times within a second; in between, the
   * two clocks drift apart by what NTP slews the wall clock (at most 500 parts per million: half a
   * millisecond; typically microseconds).
   */
  private static final long ANCHOR_NANOS = 1_000_000_000L;

  private volatile Anchor anchor;

  /**
   * How much a key's span budget saves up while idle: ten seconds' worth of its rate, so a burst
   * after a quiet spell is kept whole (at the default rate, 10,000 spans of one operation).
   */
  static final long BUDGET_BURST_NANOS = 10_000_000_000L;

  /** One span's share of a key's budget, in nanoseconds; 0: no budget, every span is kept. */
  private volatile long budgetIntervalNanos;

  private final LongAdder overBudget = new LongAdder();

  private static final class Anchor {
    final long epochNanos;
    final long nanoTime;

    Anchor(long epochNanos, long nanoTime) {
      this.epochNanos = epochNanos;
      this.nanoTime = nanoTime;
    }
  }

  /**
   * The wall-clock time, in epoch nanoseconds, of the monotonic time {@code nanoTime}: a reading of
   * the clock's {@code nanoTime()}, which is {@link System#nanoTime()} outside the tests.
   */
  long epochNanos(long nanoTime) {
    Anchor current = anchor;
    long since = nanoTime - current.nanoTime;
    if (since >= ANCHOR_NANOS) {
      // Two threads may both read the clock here; either anchor is right.
      current = new Anchor(clock.now(), clock.nanoTime());
      anchor = current;
      since = nanoTime - current.nanoTime;
    }
    return current.epochNanos + since;
  }

  /** {@link #create} with a clock of the tests'. */
  CallSpans(
      List<SpanProcessor> processors,
      Sampler sampler,
      SpanLimits limits,
      Resource resource,
      String version,
      Clock clock) {
    this.clock = clock;
    this.anchor = new Anchor(clock.now(), clock.nanoTime());
    this.processor = SpanProcessor.composite(processors);
    this.startRequired = processor.isStartRequired();
    this.endRequired = processor.isEndRequired();
    this.sampler = sampler;
    this.limits = limits;
    this.resource = resource;
    this.scope = InstrumentationScopeInfo.builder("dev.seamwatch").setVersion(version).build();
  }

  /**
   * The spans of recorded calls, going to {@code processors} (those the SDK's tracer provider was
   * built with), sampled by {@code sampler} and limited by {@code limits}, as the SDK's own spans.
   */
  public static CallSpans create(
      List<SpanProcessor> processors,
      Sampler sampler,
      SpanLimits limits,
      Resource resource,
      String version) {
    return new CallSpans(processors, sampler, limits, resource, version, Clock.getDefault());
  }

  /**
   * Keeps at most {@code perSecond} spans a second of each operation key among the calls that start
   * a trace and end without an error or a finding; 0 or less keeps every span. The calls are all
   * still measured (metrics, report, anomaly engine): only their spans are thinned.
   *
   * <p>Why: a service calling one statement or URL thousands of times a second would otherwise
   * export a span for each, which costs its CPU and network (export is most of an agent's cost on a
   * busy loop) and a backend's storage, and overflows the export queue, which then drops spans
   * blindly, the failed calls' with the rest. The budget drops the repeats of healthy calls first
   * and keeps every span that says something went wrong. A call inside a trace someone else started
   * (a valid parent span) is not budgeted: that trace's sampler has decided.
   *
   * <p>When it is decided: for a call that sends its context on (HTTP, messaging), at the start,
   * since the {@code traceparent} it sends says whether its trace is sampled; a span over budget is
   * then not recorded and says "not sampled" downstream, so the downstream service's spans
   * (parent-based samplers) are not left without their parent. Such a call's failure is in the
   * metrics and the report, not in a span, and its findings go out as log records, as for any span
   * not recorded. For a call that sends nothing on (JDBC), at the end, so its span is kept if it
   * failed or had a finding, whatever the budget.
   */
  public void spansPerOperation(int perSecond) {
    budgetIntervalNanos = perSecond <= 0 ? 0 : Math.max(1, 1_000_000_000L / perSecond);
  }

  /** Spans not kept for their operation's budget so far (see {@link #spansPerOperation}). */
  public long spansOverBudget() {
    return overBudget.sum();
  }

  /**
   * Starts a span as the SDK would with the same parent, name, kind and start attributes: a child
   * of the parent's span in its trace (a new trace when there is none), sampled by the sampler. A
   * span the sampler drops is a non-recording span that still carries its context, so the call's
   * {@code traceparent} is still sent. No span budget.
   */
  Span start(String name, SpanKind kind, Context parent, Attributes attributes) {
    return start(name, kind, parent, attributes, clock.nanoTime(), null, false);
  }

  /**
   * {@link #start(String, SpanKind, Context, Attributes)} at {@code startNanoTime}, the monotonic
   * time the call read for its own duration: one clock reading for both. {@code budget} is the
   * call's operation key, whose span budget applies (see {@link #spansPerOperation}), decided when
   * the span ends if {@code decideAtEnd}, else now; null for none.
   */
  Span start(
      String name,
      SpanKind kind,
      Context parent,
      Attributes attributes,
      long startNanoTime,
      OperationStats budget,
      boolean decideAtEnd) {
    SpanContext parentContext = Span.fromContext(parent).getSpanContext();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceId;
    boolean randomTraceId;
    Context samplerParent = parent;
    if (parentContext.isValid()) {
      traceId = parentContext.getTraceId();
      randomTraceId = parentContext.getTraceFlags().isTraceIdRandom();
    } else {
      // A new trace's id is random, which W3C trace context level 2 marks with a flag; as the
      // SDK's builder does, the sampler sees that flag on an invalid parent of the same context.
      randomTraceId = true;
      samplerParent =
          parent == Context.root() ? ROOT_WITH_RANDOM_TRACE_ID : parent.with(RANDOM_TRACE_ID);
      long high;
      long low;
      do {
        high = random.nextLong();
        low = random.nextLong();
      } while (high == 0 && low == 0);
      traceId = hex(high, low);
    }
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    String spanId = hex(id);
    SamplingResult result =
        sampler.shouldSample(
            samplerParent, traceId, name, kind, attributes, Collections.emptyList());
    SamplingDecision decision = result.getDecision();
    TraceState state = result.getUpdatedTraceState(parentContext.getTraceState());
    // The ids are valid by construction (or the parent's, valid): the public factory would check
    // both strings character by character again (about 5% of a JDBC call's time in a profile).
    // The SDK's span builder skips that check the same way, through the same internal factory.
    SpanContext context =
        ImmutableSpanContext.create(
            traceId,
            spanId,
            FLAGS[
                (decision == SamplingDecision.RECORD_AND_SAMPLE ? 1 : 0) + (randomTraceId ? 2 : 0)],
            state,
            false,
            true);
    if (decision == SamplingDecision.DROP) {
      return Span.wrap(context);
    }
    if (parentContext.isValid()) {
      // Inside a trace: its sampler has decided, but a parent of ours whose budget was to be
      // decided at its end (a statement whose driver calls out over HTTP) decides it now.
      budget = null;
      Span parentSpan = Span.fromContext(parent);
      if (parentSpan instanceof CallSpan && !((CallSpan) parentSpan).keptForChild(startNanoTime)) {
        overBudget.increment();
        return notSampled(traceId, spanId, randomTraceId, state);
      }
    } else if (budget == null || budgetIntervalNanos == 0) {
      budget = null;
    } else if (!decideAtEnd) {
      if (!takeSpan(budget, startNanoTime)) {
        overBudget.increment();
        return notSampled(traceId, spanId, randomTraceId, state);
      }
      budget = null;
    }
    CallSpan span =
        new CallSpan(
            this,
            name,
            kind,
            context,
            parentContext,
            attributes,
            epochNanos(startNanoTime),
            startNanoTime,
            budget);
    Attributes added = result.getAttributes();
    if (!added.isEmpty()) {
      span.setAllAttributes(added);
    }
    if (startRequired) {
      processor.onStart(parent, span);
    }
    return span;
  }

  /**
   * Start attributes built for one operation's calls (its {@link OperationStats}; for HTTP also the
   * method, which the overflow operation does not tell), kept on what they were built from: a URL's
   * parsed target, a destination, a statement's query. Immutable, so a thread that reads a stale
   * one only builds them once more. What else goes into them is fixed for what they are kept on: a
   * target's or destination's catalog entry (the catalog does not change while the recorder lives),
   * a statement's database (set at its first execution, never changed).
   */
  static final class Shared {
    final OperationStats stats;
    final String method;
    final Attributes attributes;

    Shared(OperationStats stats, String method, Attributes attributes) {
      this.stats = stats;
      this.method = method;
      this.attributes = attributes;
    }

    /** These attributes when built for {@code stats} and {@code method}, else null. */
    static Attributes of(Shared shared, OperationStats stats, String method) {
      return shared != null
              && shared.stats == stats
              && (shared.method == method || (method != null && method.equals(shared.method)))
          ? shared.attributes
          : null;
    }
  }

  /** {@code span} has ended, and is kept: to the processors. */
  void ended(CallSpan span) {
    if (endRequired) {
      processor.onEnd(span);
    }
  }

  /** A span has ended that its key's budget left out. */
  void leftOut() {
    overBudget.increment();
  }

  /** Whether {@code key}'s budget keeps a span at {@code nanoTime} (always, with no budget). */
  boolean takeSpan(OperationStats key, long nanoTime) {
    long interval = budgetIntervalNanos;
    return interval == 0 || key.takeSpan(nanoTime, interval, BUDGET_BURST_NANOS);
  }

  /** A span not recorded, whose context (sent on) says its trace is not sampled. */
  private static Span notSampled(
      String traceId, String spanId, boolean randomTraceId, TraceState state) {
    return Span.wrap(
        ImmutableSpanContext.create(
            traceId, spanId, FLAGS[randomTraceId ? 2 : 0], state, false, true));
  }

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  /** Lower-case hex of a 64-bit id, 16 characters, as W3C trace context writes it. */
  static String hex(long id) {
    char[] chars = new char[16];
    put(chars, 0, id);
    return new String(chars);
  }

  /** Lower-case hex of a 128-bit trace id, 32 characters. */
  static String hex(long high, long low) {
    char[] chars = new char[32];
    put(chars, 0, high);
    put(chars, 16, low);
    return new String(chars);
  }

  private static void put(char[] chars, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      chars[offset + i] = DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}
