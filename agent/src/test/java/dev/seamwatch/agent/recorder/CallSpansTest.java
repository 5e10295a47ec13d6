package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallSpansTest {

  private static final AttributeKey<String> NAME = AttributeKey.stringKey("seamwatch.name");
  private static final AttributeKey<Long> ROWS = AttributeKey.longKey("rows");
  private static final Attributes SHARED =
      Attributes.of(NAME, "orders", AttributeKey.stringKey("db.query.text"), "SELECT 1");

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();

  private CallSpans spans(Sampler sampler, SpanLimits limits, SpanProcessor... more) {
    List<SpanProcessor> processors = new ArrayList<>(List.of(more));
    processors.add(SimpleSpanProcessor.create(exported));
    return CallSpans.create(
        processors,
        sampler,
        limits,
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")),
        "1.2.3");
  }

  private CallSpans spans() {
    return spans(Sampler.parentBased(Sampler.alwaysOn()), SpanLimits.getDefault());
  }

  @Test
  void aSpanWithoutAParentStartsATraceAndIsExportedWithTheResourceAndScope() {
    Span span = spans().start("SELECT orders", SpanKind.CLIENT, Context.root(), SHARED);
    span.end();

    SpanData data = exported.getFinishedSpanItems().get(0);
    assertThat(data.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(data.getSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
    assertThat(data.getSpanContext().isSampled()).isTrue();
    assertThat(data.getParentSpanContext().isValid()).isFalse();
    assertThat(data.getName()).isEqualTo("SELECT orders");
    assertThat(data.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(data.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("checkout");
    assertThat(data.getInstrumentationScopeInfo().getName()).isEqualTo("dev.seamwatch");
    assertThat(data.getInstrumentationScopeInfo().getVersion()).isEqualTo("1.2.3");
    assertThat(data.hasEnded()).isTrue();
    assertThat(data.getEndEpochNanos()).isGreaterThanOrEqualTo(data.getStartEpochNanos());
    // Nothing added: the shared start attributes themselves, not a copy.
    assertThat(data.getAttributes()).isSameAs(SHARED);
  }

  @Test
  void spanTimesAreTheWallClockAnchoredToTheCallsMonotonicReadings() {
    CallSpans spans = spans();
    long wallBefore = Clock.getDefault().now();
    long start = System.nanoTime();
    CallSpan span =
        (CallSpan) spans.start("a", SpanKind.CLIENT, Context.root(), SHARED, start, null, false);
    long wallAfter = Clock.getDefault().now();
    span.end(span.at(start + 1_234_567), TimeUnit.NANOSECONDS);

    SpanData data = exported.getFinishedSpanItems().get(0);
    // The start is the wall clock's time of the given reading (to the clocks' agreement), and the
    // end is exactly the monotonic time later.
    assertThat(data.getStartEpochNanos()).isBetween(wallBefore - 1_000_000, wallAfter + 1_000_000);
    assertThat(data.getEndEpochNanos() - data.getStartEpochNanos()).isEqualTo(1_234_567);
  }

  @Test
  void aKeysSpanBudgetSavesUpABurstAndThenKeepsItsRate() {
    OperationStats key = new OperationStats("db", "orders", "SELECT orders");
    long t = -5_000_000_000L; // monotonic readings may be negative
    long interval = 1_000_000L; // 1,000 a second
    long burst = 10_000_000L; // ten intervals' worth
    int kept = 0;
    for (int i = 0; i < 100; i++) {
      kept += key.takeSpan(t, interval, burst) ? 1 : 0;
    }
    assertThat(kept).isEqualTo(11); // the burst saved up at the first call, and the present one
    assertThat(key.takeSpan(t + interval / 2, interval, burst)).isFalse();
    assertThat(key.takeSpan(t + interval, interval, burst)).isTrue();
    assertThat(key.takeSpan(t + interval, interval, burst)).isFalse();
    // A long pause saves up one burst, not more.
    long later = t + 3_600_000_000_000L;
    kept = 0;
    for (int i = 0; i < 100; i++) {
      kept += key.takeSpan(later, interval, burst) ? 1 : 0;
    }
    assertThat(kept).isEqualTo(11);
  }

  @Test
  void overItsKeysBudgetAHealthyStatementsSpanIsLeftOutAtItsEndAndAFailedOneIsKept() {
    CallSpans spans = spans();
    spans.spansPerOperation(1); // a burst of 10, then one a second
    OperationStats key = new OperationStats("db", "orders", "SELECT orders");
    long now = System.nanoTime();
    for (int i = 0; i < 25; i++) {
      spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, now, key, true).end();
    }
    assertThat(exported.getFinishedSpanItems()).hasSize(11);
    assertThat(spans.spansOverBudget()).isEqualTo(14);

    Span failed = spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, now, key, true);
    assertThat(failed.isRecording()).isTrue();
    failed.setStatus(StatusCode.ERROR, "boom");
    failed.end();
    Span finding = spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, now, key, true);
    finding.addEvent("seamwatch.anomaly");
    finding.end();
    Span healthy = spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, now, key, true);
    healthy.end();
    assertThat(exported.getFinishedSpanItems()).hasSize(13);
    assertThat(exported.getFinishedSpanItems().get(11).getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
    assertThat(exported.getFinishedSpanItems().get(12).getEvents()).hasSize(1);
    assertThat(spans.spansOverBudget()).isEqualTo(15);
  }

  @Test
  void aStatementsBudgetIsDecidedByItsEndSoASlowCallIsNotTheOneLeftOut() {
    CallSpans spans = spans();
    spans.spansPerOperation(1);
    OperationStats key = new OperationStats("db", "orders", "SELECT orders");
    long t = System.nanoTime();
    Span slow = spans.start("slow", SpanKind.CLIENT, Context.root(), SHARED, t, key, true);
    for (int i = 0; i < 11; i++) { // the saved-up burst, taken by fast calls while it runs
      spans.start("fast", SpanKind.CLIENT, Context.root(), SHARED, t, key, true).end();
    }
    slow.end(((CallSpan) slow).at(t + 2_000_000_000L), TimeUnit.NANOSECONDS);
    assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).contains("slow");
  }

  @Test
  void aQuerysSpanEndedOnlyOnceItsRowsAreReadIsDecidedThenNotAtItsExecutionsEnd() {
    CallSpans spans = spans();
    spans.spansPerOperation(1);
    OperationStats key = new OperationStats("db", "orders", "SELECT orders");
    long executed = System.nanoTime() - 3_000_000_000L; // its execution ended three seconds ago
    Span query = spans.start("query", SpanKind.CLIENT, Context.root(), SHARED, executed, key, true);
    for (int i = 0; i < 11; i++) { // a second later, other calls took the budget saved up by then
      assertThat(key.takeSpan(executed + 1_000_000_000L, 1_000_000_000L, 10_000_000_000L)).isTrue();
    }
    // Its rows are read now; its span ends at its execution's end.
    query.end(((CallSpan) query).at(executed), TimeUnit.NANOSECONDS);
    assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).contains("query");
  }

  @Test
  void aStatementSpanWithAFindingRecordedAsAnAttributeOnlyIsKeptOverBudget() {
    CallSpans spans = spans();
    spans.spansPerOperation(1);
    OperationStats key = new OperationStats("db", "orders", "SELECT orders");
    long t = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, t, key, true).end();
    }
    CallSpan found =
        (CallSpan) spans.start("found", SpanKind.CLIENT, Context.root(), SHARED, t, key, true);
    found.setAttribute(
        AttributeKey.stringArrayKey("seamwatch.anomaly.types"), List.of("latency_outlier"));
    found.keep(); // what the anomaly reporter does, whether the engine lets an event out or not
    found.end();
    spans.start("q", SpanKind.CLIENT, Context.root(), SHARED, t, key, true).end();
    assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).contains("found");
    assertThat(exported.getFinishedSpanItems()).hasSize(12);
  }

  @Test
  void aChildOfAStatementDecidesTheStatementsBudgetWhenItStartsAndFollowsIt() {
    CallSpans spans = spans();
    spans.spansPerOperation(1);
    OperationStats db = new OperationStats("db", "warehouse", "SELECT sales");
    OperationStats http = new OperationStats("http", "warehouse-api", "POST /query");
    long t = System.nanoTime();
    // Within the budget: the statement is kept from its child's start, the child recorded.
    Span kept = spans.start("SELECT sales", SpanKind.CLIENT, Context.root(), SHARED, t, db, true);
    Span child =
        spans.start("POST", SpanKind.CLIENT, Context.root().with(kept), SHARED, t, http, false);
    assertThat(child.isRecording()).isTrue();
    child.end();
    for (int i = 0; i < 11; i++) { // the rest of the statement's budget, and more
      spans.start("SELECT sales", SpanKind.CLIENT, Context.root(), SHARED, t, db, true).end();
    }
    kept.end(); // over budget by now, but decided already: kept
    assertThat(exported.getFinishedSpanItems())
        .filteredOn(d -> d.getSpanId().equals(kept.getSpanContext().getSpanId()))
        .hasSize(1);

    // Over the budget: the statement is left out, and so is its child, not sampled downstream.
    int before = exported.getFinishedSpanItems().size();
    Span over = spans.start("SELECT sales", SpanKind.CLIENT, Context.root(), SHARED, t, db, true);
    Span orphan =
        spans.start("POST", SpanKind.CLIENT, Context.root().with(over), SHARED, t, http, false);
    assertThat(orphan.isRecording()).isFalse();
    assertThat(orphan.getSpanContext().isSampled()).isFalse();
    orphan.end();
    over.end();
    assertThat(exported.getFinishedSpanItems()).hasSize(before);
    // Left out at its end, it leaves out a child started later too.
    assertThat(
            spans
                .start("POST", SpanKind.CLIENT, Context.root().with(over), SHARED, t, http, false)
                .isRecording())
        .isFalse();
  }

  @Test
  void overItsKeysBudgetACallThatSendsItsContextOnIsNotSampledFromItsStart() {
    CallSpans spans = spans();
    spans.spansPerOperation(1);
    OperationStats key = new OperationStats("http", "inventory", "GET /items");
    long now = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      spans.start("GET", SpanKind.CLIENT, Context.root(), SHARED, now, key, false).end();
    }
    Span over = spans.start("GET", SpanKind.CLIENT, Context.root(), SHARED, now, key, false);
    assertThat(over.isRecording()).isFalse();
    // Still a context to send on, saying "not sampled", so the next service does not sample it.
    assertThat(over.getSpanContext().isValid()).isTrue();
    assertThat(over.getSpanContext().isSampled()).isFalse();
    assertThat(over.getSpanContext().getTraceFlags().isTraceIdRandom()).isTrue();
    over.end();
    assertThat(exported.getFinishedSpanItems()).hasSize(11);
    assertThat(spans.spansOverBudget()).isEqualTo(1);

    // Inside a trace another span started, the trace's sampler has decided: no budget.
    SpanContext parent =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span child =
        spans.start(
            "GET",
            SpanKind.CLIENT,
            Context.root().with(Span.wrap(parent)),
            SHARED,
            now,
            key,
            false);
    assertThat(child.isRecording()).isTrue();
    child.end();
    assertThat(exported.getFinishedSpanItems()).hasSize(12);

    // Without a budget, every span is kept.
    spans.spansPerOperation(0);
    spans.start("GET", SpanKind.CLIENT, Context.root(), SHARED, now, key, false).end();
    assertThat(exported.getFinishedSpanItems()).hasSize(13);
  }

  @Test
  void aStepOfTheWallClockShowsInSpanTimesWithinASecond() {
    AtomicLong wall = new AtomicLong(1_000_000_000_000_000_000L);
    AtomicLong monotonic = new AtomicLong(5_000_000_000L);
    Clock clock =
        new Clock() {
          @Override
          public long now() {
            return wall.get();
          }

          @Override
          public long nanoTime() {
            return monotonic.get();
          }
        };
    CallSpans spans =
        new CallSpans(
            List.of(SimpleSpanProcessor.create(exported)),
            Sampler.alwaysOn(),
            SpanLimits.getDefault(),
            Resource.empty(),
            "1",
            clock);
    long first = wall.get();
    assertThat(spans.epochNanos(5_000_000_000L + 500_000_000L)).isEqualTo(first + 500_000_000L);

    wall.addAndGet(3_600_000_000_000L); // the system clock is set an hour ahead
    // Within the second, times follow the anchor; past it, the wall clock is read again.
    assertThat(spans.epochNanos(5_000_000_000L + 900_000_000L)).isEqualTo(first + 900_000_000L);
    monotonic.set(7_000_000_000L);
    assertThat(spans.epochNanos(7_000_000_000L)).isEqualTo(first + 3_600_000_000_000L);
    assertThat(spans.epochNanos(7_250_000_000L)).isEqualTo(first + 3_600_250_000_000L);
  }

  @Test
  void idsDifferFromSpanToSpan() {
    CallSpans spans = spans();
    Span first = spans.start("a", SpanKind.CLIENT, Context.root(), SHARED);
    Span second = spans.start("a", SpanKind.CLIENT, Context.root(), SHARED);
    assertThat(first.getSpanContext().getTraceId())
        .isNotEqualTo(second.getSpanContext().getTraceId());
    assertThat(first.getSpanContext().getSpanId())
        .isNotEqualTo(second.getSpanContext().getSpanId());
  }

  @Test
  void aChildJoinsItsParentsTraceAndKeepsItsTraceState() {
    SpanContext parent =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "x").build());
    Span span =
        spans()
            .start("GET /orders", SpanKind.CLIENT, Context.root().with(Span.wrap(parent)), SHARED);
    span.end();

    SpanData data = exported.getFinishedSpanItems().get(0);
    assertThat(data.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(data.getParentSpanContext()).isEqualTo(parent);
    assertThat(data.getSpanId()).isNotEqualTo("b7ad6b7169203331");
    assertThat(data.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
  }

  @Test
  void whatACallAddsIsMergedWithTheStartAttributesAndWins() {
    Span span = spans().start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.setAttribute(ROWS, 42L);
    span.setAttribute(NAME, "renamed");
    span.setAttribute(ROWS, 43L);
    span.setAttribute(AttributeKey.stringKey("ignored"), null);
    assertThat(((ReadableSpan) span).getAttribute(ROWS)).isEqualTo(43L);
    assertThat(((ReadableSpan) span).getAttribute(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("SELECT 1");
    span.end();
    span.setAttribute(ROWS, 44L);

    Attributes attributes = exported.getFinishedSpanItems().get(0).getAttributes();
    assertThat(attributes.size()).isEqualTo(3);
    assertThat(attributes.get(ROWS)).isEqualTo(43L);
    assertThat(attributes.get(NAME)).isEqualTo("renamed");
    assertThat(attributes.get(AttributeKey.stringKey("db.query.text"))).isEqualTo("SELECT 1");
    assertThat(SHARED.get(NAME)).isEqualTo("orders");
  }

  @Test
  void attributesOnlyTheCallAddsJoinTheStartAttributesAsOneSet() {
    AttributeKey<String> status = AttributeKey.stringKey("db.response.status_code");
    Span span = spans().start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.setAttribute(ROWS, 42L);
    span.setAttribute(status, "42P01");
    span.end();

    Attributes attributes = exported.getFinishedSpanItems().get(0).getAttributes();
    Attributes expected = SHARED.toBuilder().put(ROWS, 42L).put(status, "42P01").build();
    assertThat(attributes.size()).isEqualTo(4);
    assertThat(attributes.get(ROWS)).isEqualTo(42L);
    assertThat(attributes.get(NAME)).isEqualTo("orders");
    assertThat(attributes.asMap()).isEqualTo(expected.asMap());
    assertThat(attributes).isEqualTo(expected);
    assertThat(attributes.hashCode()).isEqualTo(expected.asMap().hashCode());
    List<String> visited = new ArrayList<>();
    attributes.forEach((key, value) -> visited.add(key.getKey()));
    assertThat(visited)
        .containsExactlyInAnyOrder("seamwatch.name", "db.query.text", "rows", status.getKey());
    assertThat(attributes.toBuilder().build()).isEqualTo(expected);
  }

  @Test
  void aSpanEndsOnceAndIsReadOnlyAfterwards() {
    List<ReadableSpan> ended = new ArrayList<>();
    SpanProcessor counting = new Recording(ended, null);
    Span span =
        spans(Sampler.alwaysOn(), SpanLimits.getDefault(), counting)
            .start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.setStatus(StatusCode.ERROR, "SQLException 42P01");
    assertThat(span.isRecording()).isTrue();
    span.end(1_000_000_000L, TimeUnit.NANOSECONDS);
    span.end();
    span.setStatus(StatusCode.OK);
    span.updateName("other");
    span.addEvent("late");

    assertThat(ended).hasSize(1);
    assertThat(span.isRecording()).isFalse();
    SpanData data = exported.getFinishedSpanItems().get(0);
    assertThat(data.getEndEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(data.getStatus())
        .isEqualTo(StatusData.create(StatusCode.ERROR, "SQLException 42P01"));
    assertThat(data.getName()).isEqualTo("q");
    assertThat(data.getEvents()).isEmpty();
  }

  @Test
  void eventsAndExceptionsAreTimedWithinTheSpan() {
    Span span = spans().start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.addEvent("seamwatch.anomaly", Attributes.of(NAME, "row_explosion"));
    span.recordException(new IllegalStateException("boom"));
    span.end();

    SpanData data = exported.getFinishedSpanItems().get(0);
    assertThat(data.getEvents()).hasSize(2);
    assertThat(data.getTotalRecordedEvents()).isEqualTo(2);
    assertThat(data.getEvents().get(0).getName()).isEqualTo("seamwatch.anomaly");
    assertThat(data.getEvents().get(0).getAttributes().get(NAME)).isEqualTo("row_explosion");
    assertThat(data.getEvents().get(0).getEpochNanos())
        .isBetween(data.getStartEpochNanos(), data.getEndEpochNanos());
    assertThat(data.getEvents().get(1).getName()).isEqualTo("exception");
    assertThat(
            data.getEvents().get(1).getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(
            data.getEvents()
                .get(1)
                .getAttributes()
                .get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("boom");
  }

  @Test
  void aDroppedSpanRecordsNothingButKeepsAContextForPropagation() {
    Span span =
        spans(Sampler.alwaysOff(), SpanLimits.getDefault())
            .start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.setAttribute(ROWS, 1L);
    span.end();

    assertThat(span.isRecording()).isFalse();
    assertThat(span.getSpanContext().isValid()).isTrue();
    assertThat(span.getSpanContext().isSampled()).isFalse();
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aRecordOnlySpanReachesProcessorsButIsNotExported() {
    List<ReadableSpan> ended = new ArrayList<>();
    Sampler recordOnly =
        sampler(
            parent ->
                SamplingResult.create(
                    SamplingDecision.RECORD_ONLY,
                    Attributes.of(AttributeKey.stringKey("by"), "s")));
    Span span =
        spans(recordOnly, SpanLimits.getDefault(), new Recording(ended, null))
            .start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.end();

    assertThat(span.getSpanContext().isSampled()).isFalse();
    assertThat(ended).hasSize(1);
    assertThat(ended.get(0).getAttribute(AttributeKey.stringKey("by"))).isEqualTo("s");
    // SimpleSpanProcessor exports sampled spans only, as for the SDK's own spans.
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void processorsThatAskForTheStartGetIt() {
    List<ReadWriteSpan> started = new ArrayList<>();
    Context parent = Context.root();
    Span span =
        spans(
                Sampler.alwaysOn(),
                SpanLimits.getDefault(),
                new Recording(new ArrayList<>(), started))
            .start("q", SpanKind.PRODUCER, parent, SHARED);
    assertThat(started).containsExactly((ReadWriteSpan) span);
    span.end();
  }

  @Test
  void theSpanLimitsApplyAsToTheSdksSpans() {
    SpanLimits limits =
        SpanLimits.builder().setMaxAttributeValueLength(4).setMaxNumberOfAttributes(2).build();
    Span span =
        spans(Sampler.alwaysOn(), limits).start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.setAttribute(ROWS, 7L);
    span.end();

    Attributes attributes = exported.getFinishedSpanItems().get(0).getAttributes();
    assertThat(attributes.size()).isEqualTo(2);
    attributes.forEach(
        (key, value) -> {
          if (value instanceof String) {
            assertThat((String) value).hasSizeLessThanOrEqualTo(4);
          }
        });
    assertThat(attributes.get(AttributeKey.stringKey("db.query.text"))).isEqualTo("SELE");
  }

  @Test
  void aNewTraceIsMarkedRandomAndAChildKeepsItsParentsMark() {
    CallSpans spans = spans();
    List<Boolean> seenBySampler = new ArrayList<>();
    Sampler watching =
        sampler(
            parent -> {
              seenBySampler.add(
                  Span.fromContext(parent).getSpanContext().getTraceFlags().isTraceIdRandom());
              return SamplingResult.recordAndSample();
            });
    Span root = spans.start("a", SpanKind.CLIENT, Context.root(), SHARED);
    assertThat(root.getSpanContext().getTraceFlags().isTraceIdRandom()).isTrue();
    assertThat(root.getSpanContext().getTraceFlags().asHex()).isEqualTo("03");
    SpanContext notRandom =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span child =
        spans.start("b", SpanKind.CLIENT, Context.root().with(Span.wrap(notRandom)), SHARED);
    assertThat(child.getSpanContext().getTraceFlags().asHex()).isEqualTo("01");
    Span grandchild = spans.start("c", SpanKind.CLIENT, Context.root().with(root), SHARED);
    assertThat(grandchild.getSpanContext().getTraceFlags().isTraceIdRandom()).isTrue();

    CallSpans watched = spans(watching, SpanLimits.getDefault());
    watched.start("d", SpanKind.CLIENT, Context.root(), SHARED);
    watched.start("e", SpanKind.CLIENT, Context.root().with(NAME_KEY, "x"), SHARED);
    assertThat(seenBySampler).containsExactly(true, true);
  }

  private static final io.opentelemetry.context.ContextKey<String> NAME_KEY =
      io.opentelemetry.context.ContextKey.named("test");

  @Test
  void eventAttributesAreLimitedToo() {
    SpanLimits limits =
        SpanLimits.builder()
            .setMaxAttributeValueLength(3)
            .setMaxNumberOfAttributesPerEvent(1)
            .build();
    Span span =
        spans(Sampler.alwaysOn(), limits).start("q", SpanKind.CLIENT, Context.root(), SHARED);
    span.addEvent(
        "seamwatch.anomaly",
        Attributes.of(NAME, "row_explosion", AttributeKey.stringKey("other"), "xyzzy"));
    span.end();

    io.opentelemetry.sdk.trace.data.EventData event =
        exported.getFinishedSpanItems().get(0).getEvents().get(0);
    assertThat(event.getAttributes().size()).isEqualTo(1);
    event.getAttributes().forEach((key, value) -> assertThat((String) value).hasSize(3));
    assertThat(event.getTotalAttributeCount()).isEqualTo(2);
  }

  @Test
  void attributesPastTheCountLimitAreCountedNotKept() {
    SpanLimits limits = SpanLimits.builder().setMaxNumberOfAttributes(3).build();
    Span span =
        spans(Sampler.alwaysOn(), limits).start("q", SpanKind.CLIENT, Context.root(), SHARED);
    for (int i = 0; i < 10; i++) {
      span.setAttribute(AttributeKey.longKey("n" + i), (long) i);
    }
    assertThat(((ReadableSpan) span).getAttribute(AttributeKey.longKey("n5"))).isNull();
    span.end();

    SpanData data = exported.getFinishedSpanItems().get(0);
    assertThat(data.getAttributes().size()).isEqualTo(3);
    assertThat(data.getAttributes().get(AttributeKey.longKey("n0"))).isEqualTo(0L);
    assertThat(data.getTotalAttributeCount()).isEqualTo(12);
  }

  @Test
  void hexIdsArePaddedLowerCase() {
    assertThat(CallSpans.hex(0xabL)).isEqualTo("00000000000000ab");
    assertThat(CallSpans.hex(-1L)).isEqualTo("ffffffffffffffff");
    assertThat(CallSpans.hex(1L, 0x10L)).isEqualTo("00000000000000010000000000000010");
  }

  /** A sampler deciding by the parent context alone. */
  private static Sampler sampler(java.util.function.Function<Context, SamplingResult> decide) {
    return new Sampler() {
      @Override
      public SamplingResult shouldSample(
          Context parentContext,
          String traceId,
          String name,
          SpanKind spanKind,
          Attributes attributes,
          List<io.opentelemetry.sdk.trace.data.LinkData> parentLinks) {
        return decide.apply(parentContext);
      }

      @Override
      public String getDescription() {
        return "test";
      }
    };
  }

  /** A processor that keeps what it is given. */
  private static final class Recording implements SpanProcessor {
    private final List<ReadableSpan> ended;
    private final List<ReadWriteSpan> started;

    Recording(List<ReadableSpan> ended, List<ReadWriteSpan> started) {
      this.ended = ended;
      this.started = started;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      started.add(span);
    }

    @Override
    public boolean isStartRequired() {
      return started != null;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
