package dev.seamwatch.agent.recorder.db;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers sanitized statements, because applications run the same SQL over and over (prepared
 * statements, ORM queries). Bounded in entries and in characters, so an application that builds
 * 100,000 distinct statements with inlined literals cannot grow it; statements longer than {@link
 * #MAX_CACHED_SQL_LENGTH} are sanitized every time and never kept.
 *
 * <p>A hit is one {@link ConcurrentHashMap} read and, at most, one volatile write. Eviction is
 * second chance (CLOCK): a hand sweeps the entries, clearing the mark that a hit sets and removing
 * the first unmarked entry. Statements that repeat keep their mark and survive a flood of one-off
 * statements, which clearing the whole map or evicting at random would throw out with the rest.
 * Insertions take a lock; they follow a sanitization, which costs far more.
 */
public final class SqlCache {

  public static final int DEFAULT_CAPACITY = 1000;

  /** Characters of SQL and sanitized text kept at most, about 2 MB. */
  public static final long DEFAULT_MAX_CHARS = 1_000_000;

  public static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;

  private static final SqlCache[] SHARED = new SqlCache[SqlDialect.values().length];

  static {
    for (SqlDialect dialect : SqlDialect.values()) {
      SHARED[dialect.ordinal()] = new SqlCache(DEFAULT_CAPACITY, DEFAULT_MAX_CHARS, dialect);
    }
  }

  private final ConcurrentHashMap<String, Entry> entries;
  private final int capacity;
  private final long maxChars;
  private final SqlDialect dialect;

  private final Object lock = new Object();
  private Iterator<Map.Entry<String, Entry>> hand; // guarded by lock
  private int count; // guarded by lock
  private long chars; // guarded by lock

  public SqlCache(int capacity, long maxChars, SqlDialect dialect) {
    this.capacity = Math.max(1, capacity);
    this.maxChars = Math.max(1, maxChars);
    this.dialect = dialect == null ? SqlDialect.UNKNOWN : dialect;
    this.entries = new ConcurrentHashMap<>(Math.min(this.capacity, 1024) * 2);
  }

  /** The shared cache's result for SQL of an unknown dialect. */
  public static SqlStatementInfo get(String sql) {
    return get(sql, SqlDialect.UNKNOWN);
  }

  /** The shared cache's result for SQL of {@code dialect}; one shared cache per dialect. */
  public static SqlStatementInfo get(String sql, SqlDialect dialect) {
    return SHARED[(dialect == null ? SqlDialect.UNKNOWN : dialect).ordinal()].lookup(sql);
  }

  /** The sanitized statement, from the cache when it has been seen. Never null. */
  public SqlStatementInfo lookup(String sql) {
    if (sql == null || sql.isEmpty()) {
      return SqlStatementInfo.EMPTY;
    }
    Entry hit = entries.get(sql);
    if (hit != null) {
      if (!hit.referenced) {
        hit.referenced = true;
      }
      return hit.info;
    }
    SqlStatementInfo info = SqlSanitizer.sanitize(sql, dialect);
    if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
      insert(sql, info);
    }
    return info;
  }

  public int size() {
    synchronized (lock) {
      return count;
    }
  }

  public int capacity() {
    return capacity;
  }

  /** Characters held, SQL and sanitized text together. */
  public long chars() {
    synchronized (lock) {
      return chars;
    }
  }

  private void insert(String sql, SqlStatementInfo info) {
    long cost = cost(sql, info);
    if (cost > maxChars) {
      return;
    }
    synchronized (lock) {
      if (entries.containsKey(sql)) {
        return; // another thread sanitized it meanwhile
      }
      while (count > 0 && (count >= capacity || chars + cost > maxChars)) {
        evictOne();
      }
      entries.put(sql, new Entry(info));
      count++;
      chars += cost;
    }
  }

  // Called with the lock held.
  private void evictOne() {
    // Hits may keep setting marks while the hand sweeps; after two full turns the entry under the
    // hand goes whatever its mark, so eviction always ends.
    int budget = 2 * count + 2;
    while (true) {
      if (hand == null || !hand.hasNext()) {
        hand = entries.entrySet().iterator();
        if (!hand.hasNext()) {
          return;
        }
      }
      Map.Entry<String, Entry> candidate = hand.next();
      Entry entry = candidate.getValue();
      if (entry.referenced && --budget > 0) {
        entry.referenced = false;
        continue;
      }
      if (entries.remove(candidate.getKey(), entry)) {
        count--;
        chars -= cost(candidate.getKey(), entry.info);
      }
      return;
    }
  }

  private static long cost(String sql, SqlStatementInfo info) {
    return (long) sql.length() + info.queryText().length();
  }

  /** A cached result and its second-chance mark. */
  private static final class Entry {
    final SqlStatementInfo info;
    volatile boolean referenced;

    Entry(SqlStatementInfo info) {
      this.info = info;
    }
  }
}
