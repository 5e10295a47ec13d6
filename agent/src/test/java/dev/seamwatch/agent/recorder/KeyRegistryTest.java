package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.config.AgentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {

  @Test
  void sameKeyReturnsSameStats() {
    KeyRegistry registry = new KeyRegistry(10);
    OperationStats first = registry.get("http", "http://h:80", "GET /a");

    assertThat(registry.get("http", "http://h:80", "GET /a")).isSameAs(first);
    assertThat(first.kind).isEqualTo("http");
    assertThat(first.integration).isEqualTo("http://h:80");
    assertThat(first.operation).isEqualTo("GET /a");
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void keysDifferingInAnyPartAreDistinct() {
    KeyRegistry registry = new KeyRegistry(10);
    OperationStats a = registry.get("http", "i", "op");

    assertThat(registry.get("jdbc", "i", "op")).isNotSameAs(a);
    assertThat(registry.get("http", "j", "op")).isNotSameAs(a);
    assertThat(registry.get("http", "i", "op2")).isNotSameAs(a);
    assertThat(registry.size()).isEqualTo(4);
  }

  @Test
  void partsAreNotConfusedByConcatenation() {
    KeyRegistry registry = new KeyRegistry(10);

    assertThat(registry.get("http", "ab", "c")).isNotSameAs(registry.get("http", "a", "bc"));
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void pastTheCapNewKeysShareTheOverflowStatsOfTheirKind() {
    KeyRegistry registry = new KeyRegistry(3);
    registry.get("http", "i", "1");
    registry.get("http", "i", "2");
    registry.get("http", "i", "3");

    OperationStats overflow = registry.get("http", "i", "4");
    assertThat(overflow.integration).isEqualTo(KeyRegistry.OVERFLOW).isEqualTo("_overflow");
    assertThat(overflow.operation).isEqualTo("_overflow");
    assertThat(overflow.kind).isEqualTo("http");
    assertThat(registry.get("http", "other", "5")).isSameAs(overflow);

    OperationStats jdbcOverflow = registry.get("jdbc", "db", "SELECT t");
    assertThat(jdbcOverflow).isNotSameAs(overflow);
    assertThat(jdbcOverflow.kind).isEqualTo("jdbc");
    assertThat(jdbcOverflow.integration).isEqualTo("_overflow");
    assertThat(registry.size()).isEqualTo(3);
  }

  @Test
  void keysKnownBeforeTheCapKeepTheirOwnStats() {
    KeyRegistry registry = new KeyRegistry(2);
    OperationStats a = registry.get("http", "i", "a");
    registry.get("http", "i", "b");
    registry.get("http", "i", "c");

    assertThat(registry.get("http", "i", "a")).isSameAs(a);
    assertThat(a.integration).isEqualTo("i");
  }

  @Test
  void hundredThousandDistinctKeysStayWithinTheCap() {
    KeyRegistry registry = new KeyRegistry(2000);
    for (int i = 0; i < 100_000; i++) {
      registry.get("http", "http://host" + i + ":80", "GET /" + i).record(1_000_000, null);
    }

    assertThat(registry.size()).isEqualTo(2000);
    List<OperationStats> snapshot = registry.snapshot();
    assertThat(snapshot).hasSize(2001);
    OperationStats last = snapshot.get(snapshot.size() - 1);
    assertThat(last.integration).isEqualTo("_overflow");
    assertThat(last.calls()).isEqualTo(98_000);
    assertThat(snapshot.stream().mapToLong(OperationStats::calls).sum()).isEqualTo(100_000);
  }

  @Test
  void snapshotListsOverflowKeysLast() {
    KeyRegistry registry = new KeyRegistry(1);
    registry.get("http", "i", "a");
    registry.get("http", "i", "b");
    registry.get("jdbc", "i", "b");

    List<OperationStats> snapshot = registry.snapshot();
    assertThat(snapshot).hasSize(3);
    assertThat(snapshot.get(0).operation).isEqualTo("a");
    assertThat(snapshot.subList(1, 3)).extracting(s -> s.integration).containsOnly("_overflow");
  }

  @Test
  void emptyRegistryHasNoKeys() {
    KeyRegistry registry = new KeyRegistry(5);
    assertThat(registry.size()).isZero();
    assertThat(registry.snapshot()).isEmpty();
  }

  @Test
  void concurrentInsertionStaysNearTheCap() throws Exception {
    int threads = 8;
    int cap = 500;
    KeyRegistry registry = new KeyRegistry(cap);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 5_000; i++) {
                    registry.get("http", "h" + id, "op" + i).record(1000, null);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // The check-then-insert may let each racing thread add one key past the cap, no more.
    assertThat(registry.size()).isBetween(cap, cap + threads);
    assertThat(registry.snapshot().stream().mapToLong(OperationStats::calls).sum())
        .isEqualTo(threads * 5_000L);
  }

  // --- idle eviction ---

  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;

  /** A clock the test moves by hand. */
  private static final class ManualClock implements LongSupplier {
    long now = 123 * SECOND;

    @Override
    public long getAsLong() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  private KeyRegistry registry(int cap) {
    return new KeyRegistry(cap, Duration.ofMinutes(10), clock);
  }

  @Test
  void whenFullIdleKeysAreEvictedAndTheirCountsMoveToOverflow() {
    KeyRegistry registry = registry(3);
    OperationStats a = registry.get("http", "i", "a");
    a.record(2_000_000, null);
    a.record(2_000_000, "503");
    OperationStats b = registry.get("jdbc", "db", "b");
    b.record(5_000_000, null);
    clock.now += 5 * MINUTE;
    OperationStats c = registry.get("http", "i", "c");
    clock.now += 5 * MINUTE + 2 * SECOND;

    OperationStats d = registry.get("http", "i", "d");

    assertThat(d.operation).isEqualTo("d");
    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.get("http", "i", "c")).isSameAs(c);
    assertThat(registry.snapshot())
        .extracting(s -> s.kind + " " + s.operation)
        .containsExactlyInAnyOrder("http c", "http d", "http _overflow", "jdbc _overflow");
    OperationStats httpOverflow =
        registry.snapshot().stream()
            .filter(s -> s.kind.equals("http") && s.operation.equals(KeyRegistry.OVERFLOW))
            .findFirst()
            .orElseThrow();
    assertThat(httpOverflow.calls()).isEqualTo(2);
    assertThat(httpOverflow.errors()).isEqualTo(1);
    assertThat(httpOverflow.lastErrorType()).isEqualTo("503");
    assertThat(httpOverflow.percentileMillis(0.5)).isBetween(2.0, 2.4);
    assertThat(httpOverflow.firstSeenMillis()).isEqualTo(a.firstSeenMillis());
  }

  @Test
  void busyKeysAreNotEvictedSoNewKeysOverflow() {
    KeyRegistry registry = registry(2);
    OperationStats a = registry.get("http", "i", "a");
    OperationStats b = registry.get("http", "i", "b");
    for (int minute = 0; minute < 30; minute++) {
      clock.now += MINUTE;
      registry.get("http", "i", "a");
      registry.get("http", "i", "b");
    }

    assertThat(registry.get("http", "i", "c").operation).isEqualTo(KeyRegistry.OVERFLOW);
    assertThat(registry.get("http", "i", "a")).isSameAs(a);
    assertThat(registry.get("http", "i", "b")).isSameAs(b);
  }

  @Test
  void keysAreNotEvictedBeforeTheCapIsReached() {
    KeyRegistry registry = registry(3);
    OperationStats a = registry.get("http", "i", "a");
    clock.now += 60 * MINUTE;

    registry.get("http", "i", "b");

    assertThat(registry.get("http", "i", "a")).isSameAs(a);
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void aFullRegistryLooksForIdleKeysAtMostOncePerInterval() {
    KeyRegistry registry = registry(2);
    registry.get("http", "i", "a");
    clock.now += 2 * SECOND;
    registry.get("http", "i", "b");
    long start = clock.now - 2 * SECOND;

    clock.now = start + 10 * MINUTE + 2 * SECOND; // a idle, b not yet
    assertThat(registry.get("http", "i", "c").operation).isEqualTo("c");
    assertThat(registry.size()).isEqualTo(2);

    clock.now = start + 10 * MINUTE + 4 * SECOND; // b idle now, but a sweep ran 2 s ago
    assertThat(registry.get("http", "i", "d").operation).isEqualTo(KeyRegistry.OVERFLOW);

    clock.now = start + 10 * MINUTE + 7 * SECOND; // the interval has passed
    assertThat(registry.get("http", "i", "e").operation).isEqualTo("e");
    assertThat(registry.snapshot())
        .extracting(s -> s.operation)
        .containsExactlyInAnyOrder("c", "e", KeyRegistry.OVERFLOW);
  }

  @Test
  void anEvictedKeyThatComesBackStartsAfresh() {
    KeyRegistry registry = registry(1);
    OperationStats a = registry.get("http", "i", "a");
    a.record(1_000_000, null);
    clock.now += 11 * MINUTE;
    registry.get("http", "i", "b");

    clock.now += 11 * MINUTE;
    OperationStats again = registry.get("http", "i", "a");

    assertThat(again).isNotSameAs(a);
    assertThat(again.operation).isEqualTo("a");
    assertThat(again.calls()).isZero();
  }

  @Test
  void hundredThousandDistinctKeysOverTimeStayWithinTheCapAndKeepEveryCall() {
    KeyRegistry registry = registry(2000);
    int ownKeysLate = 0;
    for (int i = 0; i < 100_000; i++) {
      clock.now += 10_000_000L; // 100 new keys a second, for 1,000 s
      OperationStats stats = registry.get("http", "http://host" + i + ":80", "GET /" + i);
      stats.record(1_000_000, null);
      if (i >= 60_000 && !stats.operation.equals(KeyRegistry.OVERFLOW)) {
        ownKeysLate++;
      }
      assertThat(registry.size()).isLessThanOrEqualTo(2000);
    }

    // The first 2,000 keys (the first 20 s) go idle 10 minutes later: the sweeps then free their
    // places a few hundred at a time, and 2,000 later keys get stats of their own; those are not
    // idle long enough to go before the end.
    assertThat(ownKeysLate).isEqualTo(2000);
    assertThat(registry.snapshot().stream().mapToLong(OperationStats::calls).sum())
        .isEqualTo(100_000);
  }

  @Test
  void fromConfigReadsTheCapAndTheIdleTimeout() {
    Map<String, String> props = new HashMap<>();
    props.put("seamwatch.keys.max", "10");
    props.put("seamwatch.keys.idle-timeout", "30s");
    KeyRegistry registry = KeyRegistry.fromConfig(new AgentConfig(props::get, Map.of()), clock);
    for (int i = 0; i < 10; i++) {
      registry.get("http", "i", "op" + i);
    }
    assertThat(registry.get("http", "i", "late").operation).isEqualTo(KeyRegistry.OVERFLOW);

    clock.now += 32 * SECOND;

    assertThat(registry.get("http", "i", "later").operation).isEqualTo("later");
    assertThat(registry.size()).isEqualTo(1);
  }
}
