package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache returns what the sanitizer would, stays bounded, and keeps what repeats. */
class SqlCacheTest {

  @Test
  void repeatedStatementIsServedFromTheCache() {
    SqlCache cache = new SqlCache(10, 100_000, SqlDialect.UNKNOWN);

    SqlStatementInfo first = cache.lookup("SELECT * FROM t WHERE id = 1");
    SqlStatementInfo second = cache.lookup("SELECT * FROM t WHERE id = 1");

    assertThat(second).isSameAs(first);
    assertThat(first.queryText()).isEqualTo("SELECT * FROM t WHERE id = ?");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void hundredThousandDistinctStatementsNeverExceedTheCapacity() {
    SqlCache cache = new SqlCache(SqlCache.DEFAULT_CAPACITY, SqlCache.DEFAULT_MAX_CHARS, null);
    int largest = 0;

    for (int i = 0; i < 100_000; i++) {
      SqlStatementInfo info =
          cache.lookup("SELECT * FROM users WHERE id = " + i + " AND n = 'v" + i + "'");
      assertThat(info.queryText()).isEqualTo("SELECT * FROM users WHERE id = ? AND n = ?");
      largest = Math.max(largest, cache.size());
    }

    assertThat(largest).isEqualTo(SqlCache.DEFAULT_CAPACITY);
    assertThat(cache.size()).isEqualTo(SqlCache.DEFAULT_CAPACITY);
    assertThat(cache.chars()).isLessThanOrEqualTo(SqlCache.DEFAULT_MAX_CHARS);
  }

  @Test
  void characterBudgetBoundsTheCacheBeforeTheEntryCountDoes() {
    SqlCache cache = new SqlCache(1000, 10_000, SqlDialect.UNKNOWN);
    String padding = "x".repeat(900);

    for (int i = 0; i < 1000; i++) {
      cache.lookup("SELECT " + padding + " FROM t WHERE id = " + i);
      assertThat(cache.chars()).isLessThanOrEqualTo(10_000);
    }
    assertThat(cache.size()).isBetween(1, 10);
  }

  @Test
  void statementThatRepeatsSurvivesAFloodOfOneOffStatements() {
    SqlCache cache = new SqlCache(100, SqlCache.DEFAULT_MAX_CHARS, SqlDialect.UNKNOWN);
    String hot = "SELECT * FROM orders WHERE customer_id = ?";
    SqlStatementInfo hotInfo = cache.lookup(hot);

    for (int i = 0; i < 10_000; i++) {
      cache.lookup("SELECT * FROM t WHERE id = " + i);
      assertThat(cache.lookup(hot)).isSameAs(hotInfo);
    }
  }

  @Test
  void statementThatStopsRepeatingIsEventuallyEvicted() {
    SqlCache cache = new SqlCache(100, SqlCache.DEFAULT_MAX_CHARS, SqlDialect.UNKNOWN);
    String once = "SELECT * FROM orders WHERE customer_id = ?";
    SqlStatementInfo first = cache.lookup(once);

    for (int i = 0; i < 1_000; i++) {
      cache.lookup("SELECT * FROM t WHERE id = " + i);
    }

    assertThat(cache.lookup(once)).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void longStatementIsSanitizedButNotCached() {
    SqlCache cache = new SqlCache(10, SqlCache.DEFAULT_MAX_CHARS, SqlDialect.UNKNOWN);
    String longSql = "SELECT * FROM t WHERE a = 'secret' AND b IN (" + "1, ".repeat(3000) + "2)";
    assertThat(longSql.length()).isGreaterThan(SqlCache.MAX_CACHED_SQL_LENGTH);

    SqlStatementInfo first = cache.lookup(longSql);
    SqlStatementInfo second = cache.lookup(longSql);

    assertThat(first.queryText()).isEqualTo("SELECT * FROM t WHERE a = ? AND b IN (?)");
    assertThat(second).isNotSameAs(first).isEqualTo(first);
    assertThat(cache.size()).isZero();
  }

  @Test
  void statementAtTheLengthLimitIsCached() {
    SqlCache cache = new SqlCache(10, SqlCache.DEFAULT_MAX_CHARS, SqlDialect.UNKNOWN);
    String head = "SELECT * FROM t WHERE a = ";
    String sql = head + "1".repeat(SqlCache.MAX_CACHED_SQL_LENGTH - head.length());

    cache.lookup(sql);

    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void nullAndEmptyGiveTheEmptyInfoAndAreNotCached() {
    SqlCache cache = new SqlCache(10, 1000, SqlDialect.UNKNOWN);

    assertThat(cache.lookup(null).queryText()).isEmpty();
    assertThat(cache.lookup("").queryText()).isEmpty();
    assertThat(cache.size()).isZero();
    assertThat(SqlCache.get(null).operationName()).isNull();
  }

  @Test
  void cacheUsesItsDialect() {
    String sql = "SELECT * FROM t WHERE a = 'it\\'s' AND b = 1";

    assertThat(new SqlCache(10, 10_000, SqlDialect.MYSQL).lookup(sql).queryText())
        .isEqualTo("SELECT * FROM t WHERE a = ? AND b = ?");
    assertThat(new SqlCache(10, 10_000, SqlDialect.UNKNOWN).lookup(sql).queryText())
        .isEqualTo("SELECT * FROM t WHERE a = ?");
  }

  @Test
  void sharedCachesMatchTheSanitizerPerDialect() {
    String sql = "SELECT * FROM t WHERE a = \"x\" AND b = 'it\\'s' AND c = 1";
    for (SqlDialect dialect : SqlDialect.values()) {
      assertThat(SqlCache.get(sql, dialect)).isEqualTo(SqlSanitizer.sanitize(sql, dialect));
      assertThat(SqlCache.get(sql, dialect)).isSameAs(SqlCache.get(sql, dialect));
    }
    assertThat(SqlCache.get(sql)).isSameAs(SqlCache.get(sql, SqlDialect.UNKNOWN));
    assertThat(SqlCache.get(sql, null)).isSameAs(SqlCache.get(sql, SqlDialect.UNKNOWN));
  }

  @Test
  void concurrentUseStaysBoundedAndCorrect() throws Exception {
    SqlCache cache = new SqlCache(200, SqlCache.DEFAULT_MAX_CHARS, SqlDialect.UNKNOWN);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger largest = new AtomicInteger();
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                go.await();
                int wrong = 0;
                for (int i = 0; i < 10_000; i++) {
                  String sql =
                      i % 3 == 0
                          ? "SELECT * FROM hot WHERE k = " + (i % 7)
                          : "SELECT * FROM t" + thread + " WHERE id = " + i;
                  String expected =
                      i % 3 == 0
                          ? "SELECT * FROM hot WHERE k = ?"
                          : "SELECT * FROM t" + thread + " WHERE id = ?";
                  if (!cache.lookup(sql).queryText().equals(expected)) {
                    wrong++;
                  }
                  largest.accumulateAndGet(cache.size(), Math::max);
                }
                return wrong;
              }));
    }
    go.countDown();
    for (Future<Integer> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isZero();
    }
    pool.shutdown();

    assertThat(largest.get()).isLessThanOrEqualTo(200).isGreaterThan(100);
    assertThat(cache.size()).isLessThanOrEqualTo(200);
  }
}
