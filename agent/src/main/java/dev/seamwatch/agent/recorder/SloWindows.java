package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.anomaly.Finding;
import dev.seamwatch.agent.catalog.Integration;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The catalog's service-level objectives. A call over its integration's latency SLO is an {@code
 * slo_breach} finding of that call. The error-rate SLO is judged over windows ({@code
 * seamwatch.slo.error-rate.window}, one minute by default) of at least 20 calls: a window over it
 * is one {@code slo_breach} finding, a log record in the context of the call that closed the
 * window.
 */
final class SloWindows {

  static final int MIN_CALLS = 20;

  private volatile long windowNanos = TimeUnit.MINUTES.toNanos(1);

  private final Anomalies anomalies;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  SloWindows(Anomalies anomalies) {
    this.anomalies = anomalies;
  }

  void window(java.time.Duration window) {
    windowNanos = window.toNanos();
  }

  /** One integration's current window. */
  private static final class Window {
    long start;
    long calls;
    long errors;
  }

  void observe(
      Integration entry,
      Span span,
      Anomalies.Marks marks,
      OperationStats stats,
      long durationNanos,
      boolean failed) {
    if (entry == null || !anomalies.enabled(AnomalyType.SLO_BREACH)) {
      return;
    }
    double latencySlo = entry.latencySloMillis();
    double millis = durationNanos / 1e6;
    if (!failed && !Double.isNaN(latencySlo) && millis > latencySlo) {
      anomalies.report(
          span,
          marks,
          stats,
          new Finding(
              AnomalyType.SLO_BREACH, "latency_ms", millis, latencySlo, millis / latencySlo, null));
    }
    double errorSlo = entry.errorRateSlo();
    if (Double.isNaN(errorSlo)) {
      return;
    }
    Window window = windows.computeIfAbsent(entry.name(), name -> new Window());
    long now = System.nanoTime();
    double rate = -1;
    long calls = 0;
    synchronized (window) {
      if (window.calls == 0) {
        window.start = now;
      } else if (now - window.start >= windowNanos) {
        calls = window.calls;
        rate = calls >= MIN_CALLS ? (double) window.errors / calls : -1;
        window.start = now;
        window.calls = 0;
        window.errors = 0;
      }
      window.calls++;
      if (failed) {
        window.errors++;
      }
    }
    if (rate > errorSlo) {
      anomalies.reportDetached(
          span.getSpanContext(),
          stats,
          new Finding(AnomalyType.SLO_BREACH, "error_rate", rate, errorSlo, rate / errorSlo, null));
    }
  }
}
