package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's normal path allocates nothing: no boxing, no lambdas, no strings, no arrays. */
class AnomalyAllocationTest {

  private static final int CALLS = 100_000;
  private static final int KEYS = 8;
  private static final int VALUES = 1024;

  @Test
  void steadyStateObservationsAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    long thread = Thread.currentThread().getId();

    ManualClock clock = new ManualClock();
    AnomalyEngine engine =
        new AnomalyEngine(
            AnomalySettings.builder().warmup(20, Duration.ofSeconds(1)).build(), clock);
    Baseline[] baselines = new Baseline[KEYS];
    Object[] operations = new Object[KEYS];
    for (int k = 0; k < KEYS; k++) {
      baselines[k] = new Baseline();
      operations[k] = new Object();
    }
    Random random = new Random(29);
    long[] latencies = new long[VALUES];
    long[] sizes = new long[VALUES];
    long[] rows = new long[VALUES];
    boolean[] empties = new boolean[VALUES];
    for (int i = 0; i < VALUES; i++) {
      latencies[i] = (long) (20e6 * Math.exp(0.2 * random.nextGaussian()));
      sizes[i] = (long) (8000 * Math.exp(0.2 * random.nextGaussian()));
      rows[i] = 1 + random.nextInt(20);
      empties[i] = random.nextDouble() < 0.2;
    }
    String[] traces = new String[16];
    for (int t = 0; t < traces.length; t++) {
      traces[t] = String.format("%032x", t + 1);
    }

    // Warm-up: every measure of every key past its warm-up, and the code compiled.
    int found = run(engine, clock, baselines, operations, latencies, sizes, rows, empties, traces);
    assertThat(found).isZero();
    threads.getThreadAllocatedBytes(thread);

    long before = threads.getThreadAllocatedBytes(thread);
    found = run(engine, clock, baselines, operations, latencies, sizes, rows, empties, traces);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(found).isZero();
    assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(1024);
  }

  /** One call's worth of every method per iteration; returns how many findings there were. */
  private static int run(
      AnomalyEngine engine,
      ManualClock clock,
      Baseline[] baselines,
      Object[] operations,
      long[] latencies,
      long[] sizes,
      long[] rows,
      boolean[] empties,
      String[] traces) {
    int found = 0;
    for (int i = 0; i < CALLS; i++) {
      clock.now += 1_000_000; // 1 ms between calls
      int k = i % KEYS;
      int v = i % VALUES;
      Baseline b = baselines[k];
      // A trace every four calls; every 16th call outside any trace.
      String trace = i % 16 == 15 ? null : traces[(i / 4) % traces.length];
      found += count(engine.repeated(operations[k], trace));
      found += count(engine.latency(b, latencies[v]));
      found += count(engine.size(b, SizeKind.REQUEST, sizes[v] / 4));
      found += count(engine.size(b, SizeKind.RESPONSE, sizes[v]));
      found += count(engine.size(b, SizeKind.MESSAGE, sizes[(v + 7) % VALUES]));
      found += count(engine.rows(b, rows[v]));
      found += count(engine.empty(b, empties[v]));
      found += count(engine.shape(b, 0x5eedL + k));
      found += count(engine.errorInSuccess(null));
      found += count(engine.nearLimit(sizes[v], 1_048_576, false));
      if (engine.allowEvent(b, AnomalyType.LATENCY_OUTLIER)) {
        found += 0; // allowed at most once a minute per key: not a finding
      }
    }
    return found;
  }

  private static int count(Finding finding) {
    return finding == null ? 0 : 1;
  }
}
