package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnomalyEventsTest {

  private final ManualClock clock = new ManualClock();
  private final AnomalyEngine engine = new AnomalyEngine(AnomalySettings.defaults(), clock);
  private final Baseline key = new Baseline();

  @Test
  void oneEventPerKeyAndTypePerMinute() {
    assertThat(engine.allowEvent(key, AnomalyType.LATENCY_OUTLIER)).isTrue();
    clock.advance(Duration.ofSeconds(59));
    assertThat(engine.allowEvent(key, AnomalyType.LATENCY_OUTLIER)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.allowEvent(key, AnomalyType.LATENCY_OUTLIER)).isTrue();
    assertThat(engine.allowEvent(key, AnomalyType.LATENCY_OUTLIER)).isFalse();
  }

  @Test
  void typesAndKeysAreLimitedApart() {
    Baseline other = new Baseline();
    assertThat(engine.allowEvent(key, AnomalyType.LATENCY_OUTLIER)).isTrue();

    assertThat(engine.allowEvent(key, AnomalyType.SIZE_OUTLIER)).isTrue();
    assertThat(engine.allowEvent(other, AnomalyType.LATENCY_OUTLIER)).isTrue();
    assertThat(engine.allowEvent(key, AnomalyType.SIZE_OUTLIER)).isFalse();
    assertThat(engine.allowEvent(other, AnomalyType.LATENCY_OUTLIER)).isFalse();
  }

  @Test
  void refusedEventsDoNotPushTheNextOneBack() {
    engine.allowEvent(key, AnomalyType.EMPTY_RESULT);
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(5));
      assertThat(engine.allowEvent(key, AnomalyType.EMPTY_RESULT)).isFalse();
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(engine.allowEvent(key, AnomalyType.EMPTY_RESULT)).isTrue();
  }

  @Test
  void theIntervalComesFromTheSettings() {
    AnomalyEngine every =
        new AnomalyEngine(AnomalySettings.builder().eventMinInterval(Duration.ZERO).build(), clock);
    for (int i = 0; i < 5; i++) {
      assertThat(every.allowEvent(key, AnomalyType.SHAPE_DRIFT)).isTrue();
    }

    AnomalyEngine tenSeconds =
        new AnomalyEngine(
            AnomalySettings.builder().eventMinInterval(Duration.ofSeconds(10)).build(), clock);
    Baseline fresh = new Baseline();
    assertThat(tenSeconds.allowEvent(fresh, AnomalyType.SHAPE_DRIFT)).isTrue();
    clock.advance(Duration.ofSeconds(9));
    assertThat(tenSeconds.allowEvent(fresh, AnomalyType.SHAPE_DRIFT)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tenSeconds.allowEvent(fresh, AnomalyType.SHAPE_DRIFT)).isTrue();
  }
}
