package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyEmptyTest {

  private final ManualClock clock = new ManualClock();
  private final Random random = new Random(19);
  private AnomalyEngine engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
  private Baseline b = new Baseline();

  private AnomalyEngine engine(AnomalySettings.Builder settings) {
    b = new Baseline();
    return new AnomalyEngine(settings.build(), clock);
  }

  /** Results empty with the given probability; returns the findings. */
  private List<Finding> results(int n, double emptyRate) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = engine.empty(b, random.nextDouble() < emptyRate);
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  @Test
  void anEmptyResultOfAKeyThatNeverReturnsEmptyIsReported() {
    assertThat(results(200, 0)).isEmpty();

    Finding f = engine.empty(b, true);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.EMPTY_RESULT);
    assertThat(f.measure).isEqualTo("empty");
    assertThat(f.observed).isEqualTo(1.0);
    assertThat(f.expected).isEqualTo(0.0);
    assertThat(f.score).isEqualTo(201.0); // one in (at least) 201 results
  }

  @Test
  void aKeyThatTurnsEmptyIsReportedOnce() {
    results(200, 0);

    assertThat(results(300, 1)).hasSize(1);
  }

  @Test
  void aKeyThatIsOftenEmptyNeverAlarms() {
    for (double rate : new double[] {0.05, 0.1, 0.2, 0.3, 0.5}) {
      engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
      assertThat(results(20_000, rate)).as("empty rate " + rate).isEmpty();
    }
  }

  @Test
  void afterAShortEpisodeAndALongRecoveryAnEmptyIsReportedAgain() {
    results(200, 0);
    assertThat(results(3, 1)).hasSize(1);

    assertThat(results(2000, 0)).isEmpty();
    assertThat(engine.empty(b, true)).isNotNull();
  }

  @Test
  void nothingIsReportedBeforeFiftyNonEmptyResults() {
    results(49, 0);
    assertThat(engine.empty(b, true)).isNull();

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
    results(50, 0);
    assertThat(engine.empty(b, true)).isNotNull();
  }

  @Test
  void nothingIsReportedBeforeTheWarmUpDuration() {
    engine = engine(AnomalySettings.builder().warmup(20, Duration.ofSeconds(10)));
    results(200, 0);
    assertThat(engine.empty(b, true)).isNull();

    clock.advance(Duration.ofSeconds(10));
    results(100, 0);
    assertThat(engine.empty(b, true)).isNotNull();
  }

  @Test
  void theMaximumRateComesFromTheSettings() {
    // One result in 40 is empty: "almost never" at 5%, not at the default 2%.
    List<Finding> atDefault = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      Finding f = engine.empty(b, i % 40 == 39);
      if (f != null) {
        atDefault.add(f);
      }
    }
    assertThat(atDefault).isEmpty();

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).empty(0.05, 50));
    List<Finding> atFive = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      Finding f = engine.empty(b, i % 40 == 39);
      if (f != null) {
        atFive.add(f);
      }
    }
    assertThat(atFive).hasSizeGreaterThan(90);
  }

  @Test
  void aDisabledTypeReportsNothing() {
    engine =
        engine(
            AnomalySettings.builder()
                .warmup(20, Duration.ZERO)
                .enabled(AnomalyType.EMPTY_RESULT, false));
    results(200, 0);
    assertThat(engine.empty(b, true)).isNull();
  }
}
