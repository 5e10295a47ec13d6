package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OperationStatsTest {

  /** Four buckets per doubling: an upper bound is at most 2^(1/4) above the true value. */
  private static final double MAX_RATIO = Math.pow(2, 0.25) + 1e-9;

  private static final long MS = 1_000_000L;

  private static OperationStats stats() {
    return new OperationStats("http", "http://h:80", "GET /");
  }

  @Test
  void emptyStatsHaveNoCallsAndNanPercentiles() {
    OperationStats s = stats();

    assertThat(s.calls()).isZero();
    assertThat(s.errors()).isZero();
    assertThat(s.lastErrorType()).isNull();
    assertThat(s.firstSeenMillis()).isZero();
    assertThat(s.percentileMillis(0.5)).isNaN();
    assertThat(s.percentileMillis(0.99)).isNaN();
  }

  @Test
  void countsCallsAndErrorsAndKeepsLastErrorType() {
    OperationStats s = stats();
    s.record(MS, null);
    s.record(MS, "java.net.ConnectException");
    s.record(MS, null);
    s.record(MS, "503");
    s.record(MS, null);

    assertThat(s.calls()).isEqualTo(5);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.lastErrorType()).isEqualTo("503");
  }

  @Test
  void successAfterErrorKeepsLastErrorType() {
    OperationStats s = stats();
    s.record(MS, "java.io.IOException");
    s.record(MS, null);

    assertThat(s.lastErrorType()).isEqualTo("java.io.IOException");
  }

  @Test
  void recordsFirstAndLastSeenTimes() {
    long before = System.currentTimeMillis();
    OperationStats s = stats();
    s.record(MS, null);
    s.record(MS, null);
    long after = System.currentTimeMillis();

    assertThat(s.firstSeenMillis()).isBetween(before, after);
    assertThat(s.lastSeenMillis()).isBetween(s.firstSeenMillis(), after);
  }

  @Test
  void constantLatencyGivesThatLatencyAtEveryPercentile() {
    OperationStats s = stats();
    for (int i = 0; i < 100; i++) {
      s.record(25 * MS, null);
    }

    for (double q : new double[] {0.0, 0.01, 0.5, 0.9, 0.99, 1.0}) {
      assertThat(s.percentileMillis(q)).isBetween(25.0, 25.0 * MAX_RATIO);
    }
  }

  @Test
  void uniformLatencyPercentilesAreWithinBucketError() {
    OperationStats s = stats();
    for (int ms = 1; ms <= 1000; ms++) {
      s.record(ms * MS, null);
    }

    assertThat(s.percentileMillis(0.5)).isBetween(500.0, 500 * MAX_RATIO);
    assertThat(s.percentileMillis(0.9)).isBetween(900.0, 900 * MAX_RATIO);
    assertThat(s.percentileMillis(0.99)).isBetween(990.0, 990 * MAX_RATIO);
    assertThat(s.percentileMillis(1.0)).isBetween(1000.0, 1000 * MAX_RATIO);
    assertThat(s.percentileMillis(0.0)).isBetween(1.0, MAX_RATIO);
  }

  @Test
  void bimodalLatencySeparatesFastAndSlowCalls() {
    OperationStats s = stats();
    for (int i = 0; i < 95; i++) {
      s.record(2 * MS, null);
    }
    for (int i = 0; i < 5; i++) {
      s.record(3_000 * MS, null);
    }

    assertThat(s.percentileMillis(0.5)).isBetween(2.0, 2 * MAX_RATIO);
    assertThat(s.percentileMillis(0.95)).isBetween(2.0, 2 * MAX_RATIO);
    assertThat(s.percentileMillis(0.96)).isBetween(3_000.0, 3_000 * MAX_RATIO);
    assertThat(s.percentileMillis(0.99)).isBetween(3_000.0, 3_000 * MAX_RATIO);
  }

  @Test
  void randomLogNormalPercentilesAreWithinBucketErrorOfExactOnes() {
    Random random = new Random(7);
    int n = 20_000;
    long[] values = new long[n];
    OperationStats s = stats();
    for (int i = 0; i < n; i++) {
      values[i] = (long) (Math.exp(random.nextGaussian() * 1.5 + Math.log(20)) * MS);
      s.record(values[i], null);
    }
    java.util.Arrays.sort(values);

    for (double q : new double[] {0.5, 0.75, 0.9, 0.95, 0.99, 0.999}) {
      double exact = values[(int) Math.ceil(q * n) - 1] / 1e6;
      assertThat(s.percentileMillis(q)).as("p%s", q).isBetween(exact, exact * MAX_RATIO);
    }
  }

  @Test
  void bucketUpperBoundIsAtLeastTheValueAndWithinNineteenPercent() {
    Random random = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      // 2 µs to about 500 s, log-uniform
      long nanos = (long) Math.exp(Math.log(2_000) + random.nextDouble() * Math.log(2.5e8));
      double millis = nanos / 1e6;
      double bound = OperationStats.upperBoundMillis(OperationStats.bucket(nanos));
      assertThat(bound).as("%s ns", nanos).isBetween(millis * (1 - 1e-9), millis * MAX_RATIO);
    }
  }

  @Test
  void exactPowersOfTwoStayWithinBucketError() {
    for (int k = 1; k < 29; k++) {
      long nanos = (1L << k) * 1000;
      double bound = OperationStats.upperBoundMillis(OperationStats.bucket(nanos));
      assertThat(bound)
          .as("2^%s µs", k)
          .isBetween(nanos / 1e6 * (1 - 1e-9), nanos / 1e6 * MAX_RATIO);
    }
  }

  @Test
  void subMicrosecondZeroAndNegativeDurationsGoToTheFirstBucket() {
    assertThat(OperationStats.bucket(0)).isZero();
    assertThat(OperationStats.bucket(999)).isZero();
    assertThat(OperationStats.bucket(1000)).isZero();
    assertThat(OperationStats.bucket(-5_000)).isZero();
    assertThat(OperationStats.bucket(1001)).isEqualTo(1);
    assertThat(OperationStats.upperBoundMillis(0)).isCloseTo(0.001, within(1e-12));
  }

  @Test
  void hugeDurationsAreClampedToTheLastBucket() {
    int last = OperationStats.bucket(Long.MAX_VALUE);
    assertThat(last).isEqualTo(119);
    assertThat(OperationStats.bucket(3_600_000 * MS)).isEqualTo(last);
    // The last bucket's bound is about 1,000 s.
    assertThat(OperationStats.upperBoundMillis(last)).isBetween(800_000.0, 1_100_000.0);

    OperationStats s = stats();
    s.record(Long.MAX_VALUE, null);
    assertThat(s.percentileMillis(0.5)).isEqualTo(OperationStats.upperBoundMillis(last));
  }

  @Test
  void bucketsAreMonotonicInDuration() {
    int previous = 0;
    for (long nanos = 1; nanos < 2_000_000_000_000L; nanos = nanos * 11 / 10 + 1) {
      int bucket = OperationStats.bucket(nanos);
      assertThat(bucket).as("%s ns", nanos).isGreaterThanOrEqualTo(previous);
      previous = bucket;
    }
  }
}
