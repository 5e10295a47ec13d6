package dev.seamwatch.e2e.harness;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until a deadline: the harness's one way of waiting for something. */
final class Await {
  private static final long POLL_MILLIS = 20;

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} yields, or throws an AssertionError carrying
   * {@code failure}'s description once {@code timeout} has passed.
   */
  static <T> T until(Supplier<T> probe, Duration timeout, Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(failure.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting; " + failure.get(), e);
      }
    }
  }
}
