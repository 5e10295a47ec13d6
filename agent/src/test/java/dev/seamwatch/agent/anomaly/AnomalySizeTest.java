package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalySizeTest {

  private final ManualClock clock = new ManualClock();
  private final Random random = new Random(13);
  private AnomalyEngine engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO));
  private Baseline b = new Baseline();

  private AnomalyEngine engine(AnomalySettings.Builder settings) {
    b = new Baseline();
    return new AnomalyEngine(settings.build(), clock);
  }

  private Finding response(long bytes) {
    return engine.size(b, SizeKind.RESPONSE, bytes);
  }

  private List<Finding> responses(int n, double median, double sigma) {
    return sizes(SizeKind.RESPONSE, n, median, sigma);
  }

  private List<Finding> sizes(SizeKind kind, int n, double median, double sigma) {
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = engine.size(b, kind, (long) (median * Math.exp(sigma * random.nextGaussian())));
      if (f != null) {
        findings.add(f);
      }
    }
    return findings;
  }

  @Test
  void aResponseTenTimesLargerThanUsualIsReportedAtOnce() {
    assertThat(responses(300, 8000, 0.1)).isEmpty();

    Finding f = response(100_000);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.SIZE_OUTLIER);
    assertThat(f.measure).isEqualTo("response_size");
    assertThat(f.observed).isEqualTo(100_000.0);
    assertThat(f.expected).isBetween(7200.0, 8800.0);
    assertThat(f.score).isGreaterThan(6);
  }

  @Test
  void aLargerResponseUnderTenTimesIsReportedFromTheSecondInARow() {
    responses(300, 8000, 0.1);

    assertThat(response(40_000)).isNull();
    assertThat(response(40_000)).isNotNull();
  }

  @Test
  void aFarSmallerResponseIsReportedWhenItLastsThreeCalls() {
    responses(300, 8000, 0.1);
    assertThat(response(200)).isNull(); // one short page: the data, not a fault
    responses(50, 8000, 0.1);

    assertThat(response(200)).isNull();
    assertThat(response(200)).isNull();
    Finding f = response(200);

    assertThat(f).isNotNull();
    assertThat(f.observed).isEqualTo(200.0);
    assertThat(f.expected).isBetween(7200.0, 8800.0);
    assertThat(f.score).isGreaterThan(6);
  }

  @Test
  void tinyPayloadsNeverAlarm() {
    responses(300, 200, 0.1);

    assertThat(responses(10, 900, 0.01)).isEmpty(); // 4.5x, but both under 1 KiB
    responses(100, 200, 0.1);
    Finding f = response(5000);
    assertThat(f).isNotNull();
    assertThat(f.expected).isBetween(180.0, 220.0);
  }

  @Test
  void aDifferenceUnderTheMinimumNeverAlarms() {
    responses(300, 600, 0.02);

    assertThat(responses(5, 1500, 0.01)).isEmpty(); // 2.5x and over 1 KiB, but 900 B more

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).size(6, 2, 10, 1024, 0));
    responses(300, 600, 0.02);
    assertThat(response(1500)).isNull();
    assertThat(response(1500)).isNotNull();
  }

  @Test
  void eachKindHasItsOwnBaseline() {
    for (int i = 0; i < 300; i++) {
      assertThat(sizes(SizeKind.REQUEST, 1, 100_000, 0.1)).isEmpty();
      assertThat(sizes(SizeKind.RESPONSE, 1, 2_000, 0.1)).isEmpty();
      assertThat(sizes(SizeKind.MESSAGE, 1, 50_000, 0.1)).isEmpty();
    }

    assertThat(engine.size(b, SizeKind.REQUEST, 2_000)).isNull(); // smaller: one is not enough
    assertThat(engine.size(b, SizeKind.MESSAGE, 100_000)).isNull();
    Finding f = engine.size(b, SizeKind.RESPONSE, 100_000);
    assertThat(f).isNotNull();
    assertThat(f.measure).isEqualTo("response_size");
    assertThat(f.expected).isBetween(1800.0, 2200.0);
    Finding request = engine.size(b, SizeKind.REQUEST, 1_000_000);
    assertThat(request.measure).isEqualTo("request_size");
    Finding message = engine.size(b, SizeKind.MESSAGE, 1_000_000);
    assertThat(message.measure).isEqualTo("message_size");
  }

  @Test
  void aSpikeDoesNotPoisonTheBaseline() {
    responses(300, 8000, 0.1);
    assertThat(response(1_000_000)).isNotNull();

    assertThat(responses(300, 8000, 0.1)).isEmpty();
    Finding second = response(1_000_000);
    assertThat(second).isNotNull();
    assertThat(second.expected).isBetween(7200.0, 8800.0);
  }

  @Test
  void aLastingShiftIsReportedOnceThenLearnt() {
    responses(300, 8000, 0.1);

    List<Finding> larger = responses(500, 80_000, 0.1);
    assertThat(larger).hasSize(1);
    assertThat(larger.get(0).expected).isBetween(7200.0, 8800.0);

    Finding later = response(2_000_000);
    assertThat(later).isNotNull();
    assertThat(later.expected).isBetween(72_000.0, 88_000.0);
  }

  @Test
  void aReturnToTheNormalBeforeAShiftIsQuietAndTheShiftAgainIsReportedAgain() {
    responses(300, 8000, 0.1);

    assertThat(responses(20, 200, 0.05)).hasSize(1); // error bodies for a while
    assertThat(responses(300, 8000, 0.1)).isEmpty(); // recovered
    List<Finding> again = responses(20, 200, 0.05);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).expected).isBetween(7200.0, 8800.0);
  }

  @Test
  void aNegativeSizeIsIgnored() {
    responses(19, 8000, 0.1);

    assertThat(response(-1)).isNull();
    // Still in warm-up: the unknown size did not count.
    assertThat(response(1_000_000)).isNull();
  }

  @Test
  void nothingIsReportedBeforeTheWarmUp() {
    engine = engine(AnomalySettings.builder().warmup(50, Duration.ZERO));
    responses(49, 8000, 0.1);
    assertThat(response(1_000_000)).isNull();
  }

  @Test
  void aDisabledTypeReportsNothing() {
    engine =
        engine(
            AnomalySettings.builder()
                .warmup(20, Duration.ZERO)
                .enabled(AnomalyType.SIZE_OUTLIER, false));
    responses(300, 8000, 0.1);
    assertThat(response(1_000_000)).isNull();
  }

  @Test
  void thresholdsFromTheSettingsAreHonoured() {
    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).size(6, 2, 3, 1024, 1024));
    responses(300, 8000, 0.1);
    assertThat(response(32_000)).isNotNull(); // 4x is enough alone with spike-ratio 3

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).size(6, 5, 10, 1024, 1024));
    responses(300, 8000, 0.1);
    assertThat(response(32_000)).isNull();
    assertThat(response(32_000)).isNull(); // under min-ratio 5

    engine = engine(AnomalySettings.builder().warmup(20, Duration.ZERO).size(6, 2, 10, 50_000, 0));
    responses(300, 8000, 0.1);
    assertThat(response(40_000)).isNull();
    assertThat(response(40_000)).isNull(); // both under min-bytes 50,000
  }
}
