package dev.seamwatch.agent.recorder;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The span of one recorded call (see {@link CallSpans}): its start attributes are the immutable set
 * every call of the same statement, URL or destination shares; what the call adds is kept beside
 * them and merged when the exporter reads the span. After {@link #end} it no longer changes, so it
 * is its own {@link SpanData}.
 *
 * <p>A call's span is written by the threads the call runs on (the caller; a client's callback
 * thread; the thread reading a result set's rows), so writes and the end hold its lock; the
 * exporter reads it after the span processor's queue has handed it over.
 */
final class CallSpan implements ReadWriteSpan, SpanData {

  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private final CallSpans owner;
  private final SpanKind kind;
  private final SpanContext context;
  private final SpanContext parentContext;
  private final Attributes shared;
  private final long startEpochNanos;
  private final long startNanoTime;

  /**
   * The key whose span budget decides at the end whether this span is kept; null once it is (no
   * budget, a child span started, or {@link #keep}). Guarded by this.
   */
  private OperationStats budget;

  /** Kept whatever the budget: a finding was recorded on it (see {@link #keep}). */
  private boolean notable;

  /** Ended and left out by its key's budget. */
  private boolean leftOut;

  // Guarded by this.
  private String name;
  private Object[] added;
  private int addedPairs;
  private int totalAttributes;
  private List<EventData> events;
  private int totalEvents;
  private StatusData status = StatusData.unset();
  private long endEpochNanos;
  private boolean ended;
  private Attributes merged;

  CallSpan(
      CallSpans owner,
      String name,
      SpanKind kind,
      SpanContext context,
      SpanContext parentContext,
      Attributes shared,
      long startEpochNanos,
      long startNanoTime,
      OperationStats budget) {
    this.owner = owner;
    this.budget = budget;
    this.name = name;
    this.kind = kind;
    this.context = context;
    this.parentContext = parentContext;
    this.shared = shared;
    this.totalAttributes = shared.size();
    // As the SDK does: the wall clock once, at the start; later times from the monotonic clock.
    this.startEpochNanos = startEpochNanos;
    this.startNanoTime = startNanoTime;
  }

  /** Now, by this span's clock. */
  long now() {
    return at(System.nanoTime());
  }

  /** The monotonic time {@code nanoTime}, by this span's clock (epoch nanoseconds). */
  long at(long nanoTime) {
    return startEpochNanos + (nanoTime - startNanoTime);
  }

  @Override
  public synchronized <T> ReadWriteSpan setAttribute(AttributeKey<T> key, T value) {
    if (ended || key == null || key.getKey().isEmpty() || value == null) {
      return this;
    }
    totalAttributes++;
    for (int i = 0; i < addedPairs * 2; i += 2) {
      if (sameKey(added[i], key)) {
        added[i + 1] = value;
        return this;
      }
    }
    if (shared.size() + addedPairs >= owner.limits.getMaxNumberOfAttributes()) {
      return this; // as the SDK's spans: counted, not kept
    }
    if (added == null) {
      added = new Object[8];
    } else if (added.length == addedPairs * 2) {
      added = Arrays.copyOf(added, added.length * 2);
    }
    added[addedPairs * 2] = key;
    added[addedPairs * 2 + 1] = value;
    addedPairs++;
    return this;
  }

  @Override
  public ReadWriteSpan addEvent(String name, Attributes attributes) {
    return addEvent(name, attributes, now());
  }

  @Override
  public ReadWriteSpan addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    return addEvent(name, attributes, unit.toNanos(timestamp));
  }

  private synchronized ReadWriteSpan addEvent(String name, Attributes attributes, long epochNanos) {
    if (ended || name == null) {
      return this;
    }
    totalEvents++;
    if (events == null) {
      events = new ArrayList<>(2);
    }
    if (events.size() < owner.limits.getMaxNumberOfEvents()) {
      Attributes given = attributes == null ? Attributes.empty() : attributes;
      Attributes kept =
          limited(
              given,
              owner.limits.getMaxNumberOfAttributesPerEvent(),
              owner.limits.getMaxAttributeValueLength());
      events.add(EventData.create(epochNanos, name, kept, given.size()));
    }
    return this;
  }

  @Override
  public synchronized ReadWriteSpan setStatus(StatusCode code, String description) {
    if (ended
        || code == null
        || code == StatusCode.UNSET
        || status.getStatusCode() == StatusCode.OK) {
      return this;
    }
    status =
        StatusData.create(code, code == StatusCode.ERROR && description != null ? description : "");
    return this;
  }

  @Override
  public ReadWriteSpan recordException(Throwable exception, Attributes additional) {
    if (exception == null) {
      return this;
    }
    StringWriter trace = new StringWriter();
    exception.printStackTrace(new PrintWriter(trace));
    AttributesBuilder attributes =
        Attributes.builder()
            .put(EXCEPTION_TYPE, exception.getClass().getCanonicalName())
            .put(EXCEPTION_STACKTRACE, trace.toString());
    if (exception.getMessage() != null) {
      attributes.put(EXCEPTION_MESSAGE, exception.getMessage());
    }
    if (additional != null) {
      attributes.putAll(additional);
    }
    return addEvent("exception", attributes.build());
  }

  @Override
  public synchronized ReadWriteSpan updateName(String name) {
    if (!ended && name != null) {
      this.name = name;
    }
    return this;
  }

  @Override
  public void end() {
    end(now());
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    end(timestamp == 0 ? now() : unit.toNanos(timestamp));
  }

  private void end(long epochNanos) {
    boolean kept;
    synchronized (this) {
      if (ended) {
        return;
      }
      endEpochNanos = epochNanos;
      ended = true;
      // Decided by the span's end, or now if that is later (a query's span ends, at its
      // execution's end, only once its rows are read): by an older time, the calls that ended
      // meanwhile would have taken the budget, and slow calls would be the ones left out.
      long now = startNanoTime + (endEpochNanos - startEpochNanos);
      kept =
          budget == null || notable() || owner.takeSpan(budget, Math.max(now, System.nanoTime()));
      budget = null;
      leftOut = !kept;
    }
    if (kept) {
      owner.ended(this);
    } else {
      owner.leftOut();
    }
  }

  /**
   * Kept whatever the budget: it failed, or it carries a finding (an anomaly's event may be held
   * back by the engine's rate of events; its {@link #keep} is not), a readiness finding or an
   * exception.
   */
  private boolean notable() {
    return notable || events != null || status.getStatusCode() == StatusCode.ERROR;
  }

  /** Keeps this span whatever its key's budget: something worth seeing was recorded on it. */
  synchronized void keep() {
    notable = true;
  }

  /**
   * For a child span about to start: whether this span is exported, deciding its budget now if it
   * was to be decided at its end (at {@code nanoTime}), so that no exported child is left without
   * its parent. A span kept stays kept. Over budget, the child is not sampled, and this span is
   * decided again at its end (it may fail yet), which leaves no child orphaned either way. The
   * bucket takes no lock, so it is read under this span's.
   */
  synchronized boolean keptForChild(long nanoTime) {
    if (leftOut) {
      return false;
    }
    if (budget == null || notable()) {
      return true;
    }
    if (!owner.takeSpan(budget, nanoTime)) {
      return false;
    }
    budget = null;
    return true;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public synchronized boolean isRecording() {
    return !ended;
  }

  // --- ReadableSpan and SpanData ---------------------------------------------------------------

  @Override
  public SpanContext getParentSpanContext() {
    return parentContext;
  }

  @Override
  public synchronized String getName() {
    return name;
  }

  /** The span itself: once ended it does not change (a span not yet ended reads as it is now). */
  @Override
  public SpanData toSpanData() {
    return this;
  }

  @Override
  @SuppressWarnings("deprecation") // part of both interfaces still
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(owner.scope.getName(), owner.scope.getVersion());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return owner.scope;
  }

  @Override
  public synchronized boolean hasEnded() {
    return ended;
  }

  @Override
  public synchronized long getLatencyNanos() {
    return (ended ? endEpochNanos : now()) - startEpochNanos;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  /** Keys are mostly the same constants; the SDK's keys keep their hash, so misses are cheap. */
  private static boolean sameKey(Object one, AttributeKey<?> other) {
    return one == other || (one.hashCode() == other.hashCode() && one.equals(other));
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> T getAttribute(AttributeKey<T> key) {
    for (int i = 0; i < addedPairs * 2; i += 2) {
      if (sameKey(added[i], key)) {
        return (T) added[i + 1];
      }
    }
    return shared.get(key);
  }

  /** The start attributes with what the call added (its values win), within the span limits. */
  @Override
  public synchronized Attributes getAttributes() {
    if (merged != null) {
      return merged;
    }
    Attributes all = shared;
    if (addedPairs > 0) {
      boolean overrides = false;
      for (int i = 0; i < addedPairs * 2 && !overrides; i += 2) {
        overrides = shared.get((AttributeKey<?>) added[i]) != null;
      }
      if (overrides) {
        AttributesBuilder builder = shared.toBuilder();
        for (int i = 0; i < addedPairs * 2; i += 2) {
          put(builder, (AttributeKey<?>) added[i], added[i + 1]);
        }
        all = builder.build();
      } else {
        all = new Joined(shared, Arrays.copyOf(added, addedPairs * 2));
      }
    }
    all =
        limited(
            all,
            owner.limits.getMaxNumberOfAttributes(),
            owner.limits.getMaxAttributeValueLength());
    if (ended) {
      merged = all;
    }
    return all;
  }

  /**
   * The start attributes and, after them, those the call added, when no key is in both (the usual
   * case): the exporter only counts and iterates attributes, so they are not copied into one sorted
   * set (building that was a third of the batch processor thread's time on the Kafka benchmark).
   */
  private static final class Joined implements Attributes {
    private final Attributes first;
    private final Object[] pairs;

    Joined(Attributes first, Object[] pairs) {
      this.first = first;
      this.pairs = pairs;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(AttributeKey<T> key) {
      for (int i = 0; i < pairs.length; i += 2) {
        if (sameKey(pairs[i], key)) {
          return (T) pairs[i + 1];
        }
      }
      return first.get(key);
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
      first.forEach(consumer);
      for (int i = 0; i < pairs.length; i += 2) {
        consumer.accept((AttributeKey<?>) pairs[i], pairs[i + 1]);
      }
    }

    @Override
    public int size() {
      return first.size() + pairs.length / 2;
    }

    @Override
    public boolean isEmpty() {
      return size() == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
      Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
      forEach(map::put);
      return Collections.unmodifiableMap(map);
    }

    @Override
    public AttributesBuilder toBuilder() {
      return Attributes.builder().putAll(this);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Attributes && asMap().equals(((Attributes) other).asMap());
    }

    @Override
    public int hashCode() {
      return asMap().hashCode();
    }

    @Override
    public String toString() {
      return asMap().toString();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void put(AttributesBuilder builder, AttributeKey<T> key, Object value) {
    builder.put(key, (T) value);
  }

  /** The SDK's attribute limits (count, string length), applied as its spans apply them. */
  private static Attributes limited(Attributes attributes, int maxCount, int maxLength) {
    if (attributes.size() <= maxCount && maxLength == Integer.MAX_VALUE) {
      return attributes;
    }
    AttributesBuilder builder = Attributes.builder();
    int[] count = {0};
    attributes.forEach(
        (key, value) -> {
          if (count[0]++ < maxCount) {
            put(builder, key, truncated(key, value, maxLength));
          }
        });
    return builder.build();
  }

  private static Object truncated(AttributeKey<?> key, Object value, int maxLength) {
    if (key.getType() == AttributeType.STRING && ((String) value).length() > maxLength) {
      return ((String) value).substring(0, maxLength);
    }
    if (key.getType() == AttributeType.STRING_ARRAY) {
      List<?> values = (List<?>) value;
      List<String> copy = new ArrayList<>(values.size());
      for (Object one : values) {
        String text = (String) one;
        copy.add(text != null && text.length() > maxLength ? text.substring(0, maxLength) : text);
      }
      return copy;
    }
    return value;
  }

  @Override
  public synchronized StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public synchronized List<EventData> getEvents() {
    return events == null
        ? Collections.emptyList()
        : Collections.unmodifiableList(new ArrayList<>(events));
  }

  @Override
  public List<LinkData> getLinks() {
    return Collections.emptyList();
  }

  @Override
  public synchronized long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public synchronized int getTotalRecordedEvents() {
    return totalEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return 0;
  }

  @Override
  public synchronized int getTotalAttributeCount() {
    return totalAttributes;
  }

  @Override
  public Resource getResource() {
    return owner.resource;
  }

  @Override
  public String toString() {
    return "CallSpan{" + getName() + ", " + context + ", " + getAttributes() + "}";
  }
}
