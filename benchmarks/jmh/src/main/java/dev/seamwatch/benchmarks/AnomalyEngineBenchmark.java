package dev.seamwatch.benchmarks;

import dev.seamwatch.agent.anomaly.AnomalyEngine;
import dev.seamwatch.agent.anomaly.AnomalySettings;
import dev.seamwatch.agent.anomaly.AnomalyType;
import dev.seamwatch.agent.anomaly.Baseline;
import dev.seamwatch.agent.anomaly.Finding;
import dev.seamwatch.agent.anomaly.SizeKind;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The anomaly engine's cost per observation on a warmed baseline, with normal values (no finding):
 * each method alone, and {@code call}, what the recorder does for one call (repeated, latency,
 * request and response size, rows, emptiness, shape, error marker). {@code callSharedKey} makes
 * those calls from two threads on one key, where the per-measure locks meet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnomalyEngineBenchmark {

  static AnomalyEngine engine() {
    return new AnomalyEngine(
        AnomalySettings.builder().warmup(20, Duration.ZERO).build(), System::nanoTime);
  }

  /** Normal values of one key, cycled, and one call's observations of them. */
  @State(Scope.Thread)
  public static class Values {
    private static final int SIZE = 1024;
    final Object operation = new Object();
    final long[] latencies = new long[SIZE];
    final long[] sizes = new long[SIZE];
    final long[] rows = new long[SIZE];
    final boolean[] empties = new boolean[SIZE];
    final String[] traces = new String[64];
    int i;

    @Setup
    public void setUp() {
      Random random = new Random(42);
      for (int v = 0; v < SIZE; v++) {
        latencies[v] = (long) (20e6 * Math.exp(0.25 * random.nextGaussian()));
        sizes[v] = (long) (8000 * Math.exp(0.2 * random.nextGaussian()));
        rows[v] = 1 + random.nextInt(20);
        empties[v] = random.nextDouble() < 0.2;
      }
      for (int t = 0; t < traces.length; t++) {
        traces[t] = String.format("%032x", t + 1);
      }
    }

    int next() {
      i = (i + 1) & (SIZE - 1);
      return i;
    }

    /** A trace id that changes every four calls, as a service making a few calls a request. */
    String trace(int v) {
      return traces[(v >> 2) & 63];
    }

    /** One call's observations, as the recorder makes them; returns the findings. */
    int call(AnomalyEngine engine, Baseline b) {
      int v = next();
      int found = 0;
      found += count(engine.repeated(operation, trace(v)));
      found += count(engine.latency(b, latencies[v]));
      found += count(engine.size(b, SizeKind.REQUEST, sizes[v] >> 2));
      found += count(engine.size(b, SizeKind.RESPONSE, sizes[v]));
      found += count(engine.rows(b, rows[v]));
      found += count(engine.empty(b, empties[v]));
      found += count(engine.shape(b, 0x5eedL));
      found += count(engine.errorInSuccess(null));
      return found;
    }

    private static int count(Finding finding) {
      return finding == null ? 0 : 1;
    }
  }

  /** A key of the thread's own, warmed up. */
  @State(Scope.Thread)
  public static class Key {
    final AnomalyEngine engine = engine();
    final Baseline baseline = new Baseline();

    @Setup
    public void setUp(Values values) {
      for (int n = 0; n < 10_000; n++) {
        values.call(engine, baseline);
      }
    }
  }

  /** One key every thread calls, warmed up. */
  @State(Scope.Benchmark)
  public static class SharedKey {
    final AnomalyEngine engine = engine();
    final Baseline baseline = new Baseline();

    @Setup
    public void setUp() {
      Values values = new Values();
      values.setUp();
      for (int n = 0; n < 10_000; n++) {
        values.call(engine, baseline);
      }
    }
  }

  @Benchmark
  public Finding latency(Key k, Values v) {
    return k.engine.latency(k.baseline, v.latencies[v.next()]);
  }

  @Benchmark
  public Finding size(Key k, Values v) {
    return k.engine.size(k.baseline, SizeKind.RESPONSE, v.sizes[v.next()]);
  }

  @Benchmark
  public Finding rows(Key k, Values v) {
    return k.engine.rows(k.baseline, v.rows[v.next()]);
  }

  @Benchmark
  public Finding empty(Key k, Values v) {
    return k.engine.empty(k.baseline, v.empties[v.next()]);
  }

  @Benchmark
  public Finding shape(Key k) {
    return k.engine.shape(k.baseline, 0x5eedL);
  }

  @Benchmark
  public Finding repeated(Key k, Values v) {
    return k.engine.repeated(v.operation, v.trace(v.next()));
  }

  @Benchmark
  public Finding repeatedOutsideATrace(Key k, Values v) {
    return k.engine.repeated(v.operation, null);
  }

  @Benchmark
  public Finding nearLimit(Key k, Values v) {
    return k.engine.nearLimit(v.sizes[v.next()], 1_048_576, false);
  }

  @Benchmark
  public boolean allowEvent(Key k) {
    return k.engine.allowEvent(k.baseline, AnomalyType.LATENCY_OUTLIER);
  }

  @Benchmark
  public int call(Key k, Values v) {
    return v.call(k.engine, k.baseline);
  }

  @Benchmark
  @Threads(2)
  public int callSharedKey(SharedKey k, Values v) {
    return v.call(k.engine, k.baseline);
  }
}
