package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
}
