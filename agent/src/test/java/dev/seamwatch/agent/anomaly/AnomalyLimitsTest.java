package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The rules without a baseline: error_in_success and near_limit. */
class AnomalyLimitsTest {

  private final ManualClock clock = new ManualClock();
  private final AnomalyEngine engine = new AnomalyEngine(AnomalySettings.defaults(), clock);

  private static AnomalyEngine without(AnomalyType type) {
    return new AnomalyEngine(
        AnomalySettings.builder().enabled(type, false).build(), new ManualClock());
  }

  @Test
  void anErrorMarkerInASuccessIsReportedWithItsName() {
    Finding f = engine.errorInSuccess("errors");

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.ERROR_IN_SUCCESS);
    assertThat(f.measure).isEqualTo("marker");
    assertThat(f.detail).isEqualTo("errors");
    assertThat(f.observed).isEqualTo(1.0);
    assertThat(engine.errorInSuccess("fault").detail).isEqualTo("fault");
  }

  @Test
  void noMarkerNoFinding() {
    assertThat(engine.errorInSuccess(null)).isNull();
  }

  @Test
  void anErrorMarkerNeedsNoWarmUp() {
    AnomalyEngine slow =
        new AnomalyEngine(
            AnomalySettings.builder().warmup(1000, java.time.Duration.ofHours(1)).build(), clock);
    assertThat(slow.errorInSuccess("error")).isNotNull();
    assertThat(slow.nearLimit(900, 1000, false)).isNotNull();
  }

  @Test
  void errorInSuccessCanBeTurnedOff() {
    assertThat(without(AnomalyType.ERROR_IN_SUCCESS).errorInSuccess("errors")).isNull();
  }

  @Test
  void aRecordAtEightyPercentOfTheLimitIsNearIt() {
    Finding f = engine.nearLimit(850_000, 1_000_000, false);

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.NEAR_LIMIT);
    assertThat(f.measure).isEqualTo("size_ratio");
    assertThat(f.observed).isEqualTo(0.85, within(1e-9));
    assertThat(f.expected).isEqualTo(0.8);
    assertThat(f.score).isEqualTo(0.85 / 0.8, within(1e-9));
    assertThat(engine.nearLimit(800_000, 1_000_000, false)).isNotNull();
  }

  @Test
  void aRecordUnderEightyPercentIsNot() {
    assertThat(engine.nearLimit(799_999, 1_000_000, false)).isNull();
    assertThat(engine.nearLimit(0, 1_000_000, false)).isNull();
  }

  @Test
  void aRecordRejectedForItsSizeIsReportedEvenWithoutALimit() {
    Finding f = engine.nearLimit(2_000_000, 1_000_000, true);
    assertThat(f).isNotNull();
    assertThat(f.observed).isEqualTo(2.0);

    Finding unknown = engine.nearLimit(-1, 0, true);
    assertThat(unknown).isNotNull();
    assertThat(unknown.observed).isEqualTo(1.0);
    assertThat(unknown.score).isEqualTo(1 / 0.8, within(1e-9));
  }

  @Test
  void withoutALimitAndNotRejectedThereIsNothingToJudge() {
    assertThat(engine.nearLimit(5_000_000, 0, false)).isNull();
    assertThat(engine.nearLimit(5_000_000, -1, false)).isNull();
    assertThat(engine.nearLimit(-1, 1_000_000, false)).isNull();
  }

  @Test
  void theRatioComesFromTheSettings() {
    AnomalyEngine half =
        new AnomalyEngine(AnomalySettings.builder().nearLimitRatio(0.5).build(), clock);

    assertThat(half.nearLimit(600, 1000, false)).isNotNull();
    assertThat(half.nearLimit(400, 1000, false)).isNull();
  }

  @Test
  void nearLimitCanBeTurnedOff() {
    assertThat(without(AnomalyType.NEAR_LIMIT).nearLimit(990, 1000, false)).isNull();
    assertThat(without(AnomalyType.NEAR_LIMIT).nearLimit(990, 1000, true)).isNull();
  }
}
