package dev.seamwatch.agent.anomaly;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock that tests move by hand. */
final class ManualClock implements LongSupplier {

  long now = 5_000_000_000_000L;

  @Override
  public long getAsLong() {
    return now;
  }

  void advance(Duration duration) {
    now += duration.toNanos();
  }
}
