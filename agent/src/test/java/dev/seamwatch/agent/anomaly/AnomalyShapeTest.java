package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyShapeTest {

  private static final long A = 0xA1L;
  private static final long B = 0xB2L;
  private static final long C = 0xC3L;

  private final ManualClock clock = new ManualClock();
  private final Random random = new Random(23);
  private AnomalyEngine engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
  private Baseline b = new Baseline();

  private AnomalyEngine engine(AnomalySettings.Builder settings) {
    b = new Baseline();
    return new AnomalyEngine(settings.build(), clock);
  }

  private List<Finding> shapes(int n, long fingerprint) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = engine.shape(b, fingerprint);
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  /** Either shape at random, the first with the given share. */
  private List<Finding> mixed(int n, long first, double share, long second) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = engine.shape(b, random.nextDouble() < share ? first : second);
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  @Test
  void aNewShapeAfterAnEstablishedOneIsReportedOnce() {
    assertThat(shapes(50, A)).isEmpty();

    Finding f = engine.shape(b, B);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.SHAPE_DRIFT);
    assertThat(f.measure).isEqualTo("shape");
    assertThat(f.observed).isEqualTo(0.0);
    assertThat(f.expected).isEqualTo(1.0);
    assertThat(f.score).isEqualTo(50.0);
    assertThat(mixed(100, A, 0.5, B)).isEmpty();
  }

  @Test
  void aNewShapeThatBecomesTheNormalIsReportedOnceAndTheOldOneIsNotNew() {
    shapes(100, A);

    assertThat(shapes(3000, B)).hasSize(1);
    assertThat(engine.shape(b, A)).isNull();
    Finding next = engine.shape(b, C);
    assertThat(next).isNotNull();
    assertThat(next.expected).isGreaterThan(0.9);
  }

  @Test
  void aKeyWithTwoShapesHalfAndHalfNeverAlarms() {
    assertThat(mixed(5000, A, 0.5, B)).isEmpty();
    // No shape dominates: nothing is new against it, not even a third one.
    assertThat(engine.shape(b, C)).isNull();
  }

  @Test
  void aKeyWithTwoShapesEightyTwentyNeverAlarms() {
    assertThat(mixed(5000, A, 0.8, B)).isEmpty();
  }

  @Test
  void aRareSecondShapeIsReportedTheFirstTimeOnly() {
    shapes(100, A);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Finding f = engine.shape(b, i % 33 == 32 ? B : A);
      if (f != null) {
        findings.add(f);
      }
    }

    assertThat(findings).hasSize(1);
  }

  @Test
  void aShapeIsOnlyEstablishedAfterTwentyObservations() {
    engine = engine(AnomalySettings.builder().warmup(2, Duration.ZERO));
    shapes(19, A);
    assertThat(engine.shape(b, B)).isNull();

    engine = engine(AnomalySettings.builder().warmup(2, Duration.ZERO));
    shapes(20, A);
    assertThat(engine.shape(b, B)).isNotNull();
  }

  @Test
  void anUnknownFingerprintIsIgnored() {
    shapes(19, A);
    assertThat(shapes(100, 0)).isEmpty();

    // Still 19 observations of A: not established.
    assertThat(engine.shape(b, B)).isNull();
  }

  @Test
  void nothingIsReportedBeforeTheWarmUp() {
    engine = engine(AnomalySettings.builder().warmup(20, Duration.ofSeconds(10)));
    shapes(100, A);
    assertThat(engine.shape(b, B)).isNull();

    clock.advance(Duration.ofSeconds(10));
    assertThat(engine.shape(b, C)).isNotNull();
  }

  @Test
  void settingsAreHonoured() {
    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).shape(20, 0.75));
    mixed(5000, A, 0.8, B);
    assertThat(engine.shape(b, C)).isNotNull();

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).shape(200, 0.9));
    shapes(150, A);
    assertThat(engine.shape(b, B)).isNull();

    engine =
        engine(
            AnomalySettings.builder()
                .warmup(20, Duration.ZERO)
                .enabled(AnomalyType.SHAPE_DRIFT, false));
    shapes(100, A);
    assertThat(engine.shape(b, B)).isNull();
  }
}
