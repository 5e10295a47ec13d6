package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyRowsTest {

  private final ManualClock clock = new ManualClock();
  private final Random random = new Random(17);
  private AnomalyEngine engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
  private Baseline b = new Baseline();

  private AnomalyEngine engine(AnomalySettings.Builder settings) {
    b = new Baseline();
    return new AnomalyEngine(settings.build(), clock);
  }

  /** Results of 1 to {@code max} rows. */
  private List<Finding> results(int n, int max) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = engine.rows(b, 1 + random.nextInt(max));
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  @Test
  void farMoreRowsThanUsualAreReportedAtOnce() {
    assertThat(results(300, 10)).isEmpty();

    Finding f = engine.rows(b, 5000);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.ROW_EXPLOSION);
    assertThat(f.measure).isEqualTo("rows");
    assertThat(f.observed).isEqualTo(5000.0);
    assertThat(f.expected).isBetween(3.0, 7.0);
    assertThat(f.score).isGreaterThan(6);
  }

  @Test
  void moreRowsThanTheCapAreReportedEvenDuringWarmUp() {
    Finding f = engine.rows(b, 20_000);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.ROW_EXPLOSION);
    assertThat(f.observed).isEqualTo(20_000.0);
    assertThat(f.expected).isEqualTo(10_000.0);
    assertThat(f.score).isEqualTo(2.0);
    assertThat(engine.rows(b, 10_000)).isNull(); // at the cap is not above it
  }

  @Test
  void aFewDozenRowsAreNoExplosionWhateverTheUsualCount() {
    for (int i = 0; i < 300; i++) {
      assertThat(engine.rows(b, 1)).isNull();
    }

    assertThat(engine.rows(b, 60)).isNull();
    Finding f = engine.rows(b, 150);
    assertThat(f).isNotNull();
    assertThat(f.expected).isBetween(0.9, 1.1);
  }

  @Test
  void fewerRowsAreNeverReported() {
    results(300, 1000);

    for (int i = 0; i < 500; i++) {
      assertThat(engine.rows(b, i % 2)).isNull();
    }
  }

  @Test
  void aSpikeDoesNotPoisonTheBaseline() {
    results(300, 10);
    assertThat(engine.rows(b, 5000)).isNotNull();

    assertThat(results(300, 10)).isEmpty();
    Finding second = engine.rows(b, 5000);
    assertThat(second).isNotNull();
    assertThat(second.expected).isBetween(3.0, 7.0);
  }

  @Test
  void aLastingShiftIsReportedOnceThenLearnt() {
    results(300, 10);

    List<Finding> shift = results(500, 2000);

    assertThat(shift).hasSize(1);
    assertThat(results(300, 2000)).isEmpty();
  }

  @Test
  void theCapComesFromTheSettingsAndZeroTurnsItOff() {
    engine = engine(AnomalySettings.builder().rows(6, 10, 100, 500));
    assertThat(engine.rows(b, 501)).isNotNull();
    assertThat(engine.rows(b, 500)).isNull();

    engine = engine(AnomalySettings.builder().rows(6, 10, 100, 0));
    assertThat(engine.rows(b, 1_000_000)).isNull(); // warm-up, and no cap
  }

  @Test
  void thresholdsFromTheSettingsAreHonoured() {
    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).rows(6, 100, 100, 0));
    results(300, 10);
    assertThat(engine.rows(b, 200)).isNull(); // 40x, under min-ratio 100
    assertThat(engine.rows(b, 5000)).isNotNull();

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).rows(6, 10, 1000, 0));
    results(300, 10);
    assertThat(engine.rows(b, 900)).isNull(); // under min-rows 1000
    assertThat(engine.rows(b, 1500)).isNotNull();
  }

  @Test
  void aDisabledTypeReportsNothingNotEvenAboveTheCap() {
    engine =
        engine(
            AnomalySettings.builder()
                .warmup(20, Duration.ZERO)
                .enabled(AnomalyType.ROW_EXPLOSION, false));
    results(300, 10);
    assertThat(engine.rows(b, 50_000)).isNull();
    assertThat(engine.rows(b, -1)).isNull();
  }
}
