package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyLatencyTest {

  private final ManualClock clock = new ManualClock();
  private final Random random = new Random(11);
  private AnomalyEngine engine =
      new AnomalyEngine(AnomalySettings.builder().warmup(20, Duration.ZERO).build(), clock);
  private Baseline b = new Baseline();

  private Finding call(double ms) {
    return engine.latency(b, (long) (ms * 1_000_000));
  }

  /** Calls jittered log-normally around a median; returns the findings. */
  private List<Finding> calls(int n, double medianMs, double sigma) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = call(medianMs * Math.exp(sigma * random.nextGaussian()));
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  @Test
  void aCallTenTimesSlowerThanUsualIsReportedAtOnce() {
    assertThat(calls(300, 20, 0.2)).isEmpty();

    Finding f = call(400);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.LATENCY_OUTLIER);
    assertThat(f.measure).isEqualTo("latency_ms");
    assertThat(f.observed).isEqualTo(400.0, within(1e-6));
    assertThat(f.expected).isBetween(17.0, 23.0);
    assertThat(f.score).isGreaterThan(6);
    assertThat(f.detail).isNull();
  }

  @Test
  void slowerCallsUnderTenTimesAreReportedFromTheSecondInARow() {
    calls(300, 20, 0.2);

    assertThat(call(120)).isNull();
    Finding f = call(130);

    assertThat(f).isNotNull();
    assertThat(f.observed).isEqualTo(130.0, within(1e-6));
    assertThat(f.expected).isBetween(17.0, 23.0);
  }

  @Test
  void anIsolatedSlowCallUnderTenTimesIsNotReported() {
    calls(300, 20, 0.2);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Finding f = call(150); // 7.5x, a long GC pause, then normal calls
      if (f != null) {
        findings.add(f);
      }
      findings.addAll(calls(30, 20, 0.2));
    }

    assertThat(findings).isEmpty();
  }

  @Test
  void aSpikeDoesNotPoisonTheBaseline() {
    calls(300, 20, 0.2);
    assertThat(call(1000)).isNotNull();

    assertThat(calls(300, 20, 0.2)).isEmpty();
    Finding second = call(1000);

    assertThat(second).isNotNull();
    assertThat(second.expected).isBetween(17.0, 23.0);
  }

  @Test
  void aLastingShiftIsReportedOnceThenLearnt() {
    calls(300, 20, 0.2);

    List<Finding> shift = calls(500, 200, 0.2);

    assertThat(shift).hasSize(1);
    assertThat(shift.get(0).expected).isBetween(17.0, 23.0);
    Finding later = call(4000);
    assertThat(later).isNotNull();
    assertThat(later.expected).isBetween(170.0, 230.0);
  }

  @Test
  void aRecoveryIsQuietAndTheSlowdownAgainIsReportedAgain() {
    calls(300, 20, 0.2);
    assertThat(calls(100, 200, 0.2)).hasSize(1);

    assertThat(calls(300, 20, 0.2)).isEmpty();
    List<Finding> again = calls(100, 200, 0.2);

    assertThat(again).hasSize(1);
    assertThat(again.get(0).expected).isBetween(17.0, 23.0);
  }

  @Test
  void aShiftIsReportedWithinTwoCallsOfItsOnset() {
    calls(300, 20, 0.2);

    assertThat(call(110)).isNull(); // 5.5x: waits for a second one
    assertThat(call(105)).isNotNull();
  }

  @Test
  void fasterCallsAreNeverReported() {
    calls(300, 20, 0.2);

    assertThat(calls(500, 0.5, 0.2)).isEmpty();
  }

  @Test
  void onATinyBaselineTheExcessMustReachTheMinimum() {
    calls(300, 0.2, 0.2);

    assertThat(calls(10, 2, 0.1)).isEmpty(); // 10x slower, but 1.8 ms more
    calls(100, 0.2, 0.2);
    Finding f = call(80);

    assertThat(f).isNotNull();
    assertThat(f.expected).isBetween(0.17, 0.23);
  }

  @Test
  void onASteadyKeyAnOutlierIsThreeTimesTheUsualAtLeast() {
    calls(300, 100, 0.01);

    assertThat(call(250)).isNull();
    assertThat(call(250)).isNull();
    calls(50, 100, 0.01);
    assertThat(call(350)).isNull();
    assertThat(call(350)).isNotNull();
  }

  @Test
  void nothingIsReportedBeforeTheWarmUpCalls() {
    calls(19, 20, 0.2);
    assertThat(call(1000)).isNull();

    Baseline other = new Baseline();
    for (int i = 0; i < 20; i++) {
      engine.latency(other, 20_000_000);
    }
    assertThat(engine.latency(other, 1_000_000_000)).isNotNull();
  }

  @Test
  void nothingIsReportedBeforeTheWarmUpDuration() {
    engine =
        new AnomalyEngine(
            AnomalySettings.builder().warmup(20, Duration.ofSeconds(10)).build(), clock);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(10));
      call(20);
    }
    assertThat(call(1000)).isNull();

    clock.advance(Duration.ofMillis(9_000)); // 9.99 s since the first call
    calls(10, 20, 0.2);
    assertThat(call(1000)).isNull();

    clock.advance(Duration.ofMillis(10));
    calls(10, 20, 0.2);
    assertThat(call(1000)).isNotNull();
  }

  @Test
  void aDisabledTypeReportsNothing() {
    engine =
        new AnomalyEngine(
            AnomalySettings.builder()
                .warmup(20, Duration.ZERO)
                .enabled(AnomalyType.LATENCY_OUTLIER, false)
                .build(),
            clock);
    calls(300, 20, 0.2);
    assertThat(call(1000)).isNull();

    engine =
        new AnomalyEngine(
            AnomalySettings.builder().warmup(20, Duration.ZERO).enabled(false).build(), clock);
    Baseline other = new Baseline();
    for (int i = 0; i < 300; i++) {
      engine.latency(other, 20_000_000);
    }
    assertThat(engine.latency(other, 1_000_000_000)).isNull();
  }

  @Test
  void thresholdsFromTheSettingsAreHonoured() {
    // 4x slower on a key with a spread of 0.2 is about 8-9 deviations.
    calls(300, 100, 0.2);
    assertThat(call(400)).isNull();
    assertThat(call(400)).isNotNull();

    engine = engineWith(12, 3, 10);
    calls(300, 100, 0.2);
    assertThat(call(400)).isNull();
    assertThat(call(400)).isNull();

    engine = engineWith(6, 5, 10);
    calls(300, 100, 0.2);
    assertThat(call(400)).isNull();
    assertThat(call(400)).isNull();

    engine = engineWith(6, 3, 3.5);
    calls(300, 100, 0.2);
    assertThat(call(400)).isNotNull();
  }

  private AnomalyEngine engineWith(double threshold, double minRatio, double spikeRatio) {
    b = new Baseline();
    return new AnomalyEngine(
        AnomalySettings.builder()
            .warmup(20, Duration.ZERO)
            .latency(threshold, minRatio, spikeRatio, Duration.ofMillis(50))
            .build(),
        clock);
  }

  @Test
  void aNegativeDurationIsIgnored() {
    for (int i = 0; i < 19; i++) {
      call(20);
    }
    assertThat(engine.latency(b, -1)).isNull();
    // Still in warm-up: the negative one did not count.
    assertThat(call(1000)).isNull();
  }
}
