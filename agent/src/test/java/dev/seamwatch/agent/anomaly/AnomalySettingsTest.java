package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnomalySettingsTest {

  private final Map<String, String> props = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final AgentConfig config =
      new AgentConfig(props::get, () -> Set.copyOf(props.keySet()), env);

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    SeamwatchLog.setLevel("info");
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private List<String> lines() {
    return Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\\R"))
        .filter(l -> l.contains("[seamwatch]"))
        .collect(Collectors.toList());
  }

  @Test
  void wireNamesAreLowerCaseWithUnderscores() {
    assertThat(Arrays.stream(AnomalyType.values()).map(AnomalyType::wireName))
        .containsExactly(
            "size_outlier",
            "shape_drift",
            "error_in_success",
            "empty_result",
            "row_explosion",
            "near_limit",
            "repeated_call",
            "latency_outlier",
            "slo_breach");
    assertThat(SizeKind.REQUEST.measure()).isEqualTo("request_size");
    assertThat(SizeKind.RESPONSE.measure()).isEqualTo("response_size");
    assertThat(SizeKind.MESSAGE.measure()).isEqualTo("message_size");
  }

  @Test
  void withNothingSetTheDefaultsApplySilently() {
    AnomalySettings s = AnomalySettings.from(config);
    AnomalySettings d = AnomalySettings.defaults();

    for (AnomalyType type : AnomalyType.values()) {
      assertThat(s.enabled(type)).as(type.wireName()).isTrue();
    }
    assertThat(s.warmupCalls).isEqualTo(d.warmupCalls).isEqualTo(20);
    assertThat(s.warmupNanos).isEqualTo(d.warmupNanos).isEqualTo(10_000_000_000L);
    assertThat(s.shiftCalls).isEqualTo(5);
    assertThat(s.eventMinIntervalNanos).isEqualTo(60_000_000_000L);
    assertThat(s.latencyThreshold).isEqualTo(6);
    assertThat(s.latencyMinRatio).isEqualTo(3);
    assertThat(s.latencySpikeRatio).isEqualTo(10);
    assertThat(s.latencyMinExcessNanos).isEqualTo(50_000_000L);
    assertThat(s.sizeThreshold).isEqualTo(6);
    assertThat(s.sizeMinRatio).isEqualTo(2);
    assertThat(s.sizeSpikeRatio).isEqualTo(10);
    assertThat(s.sizeMinBytes).isEqualTo(1024);
    assertThat(s.sizeMinDifference).isEqualTo(1024);
    assertThat(s.rowsThreshold).isEqualTo(6);
    assertThat(s.rowsMinRatio).isEqualTo(10);
    assertThat(s.rowsMin).isEqualTo(100);
    assertThat(s.rowsMax).isEqualTo(10_000);
    assertThat(s.shapeMinObservations).isEqualTo(20);
    assertThat(s.shapeMinShare).isEqualTo(0.9);
    assertThat(s.emptyMaxRate).isEqualTo(0.02);
    assertThat(s.emptyMinNonEmpty).isEqualTo(50);
    assertThat(s.nearLimitRatio).isEqualTo(0.8);
    assertThat(s.repeatedThreshold).isEqualTo(10);
    assertThat(s.repeatedWindowNanos).isEqualTo(1_000_000_000L);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void everySettingIsRead() {
    props.put("seamwatch.anomaly.warmup.calls", "7");
    props.put("seamwatch.anomaly.warmup.duration", "0");
    props.put("seamwatch.anomaly.shift.calls", "9");
    props.put("seamwatch.anomaly.events.min-interval", "5m");
    props.put("seamwatch.anomaly.latency_outlier.threshold", "4.5");
    props.put("seamwatch.anomaly.latency_outlier.min-ratio", "2");
    props.put("seamwatch.anomaly.latency_outlier.spike-ratio", "20");
    props.put("seamwatch.anomaly.latency_outlier.min-excess", "200ms");
    props.put("seamwatch.anomaly.size_outlier.threshold", "7");
    props.put("seamwatch.anomaly.size_outlier.min-ratio", "3");
    props.put("seamwatch.anomaly.size_outlier.spike-ratio", "30");
    props.put("seamwatch.anomaly.size_outlier.min-bytes", "4096");
    props.put("seamwatch.anomaly.size_outlier.min-difference", "2048");
    props.put("seamwatch.anomaly.row_explosion.threshold", "8");
    props.put("seamwatch.anomaly.row_explosion.min-ratio", "50");
    props.put("seamwatch.anomaly.row_explosion.min-rows", "1000");
    props.put("seamwatch.anomaly.row_explosion.max-rows", "0");
    props.put("seamwatch.anomaly.shape_drift.min-observations", "100");
    props.put("seamwatch.anomaly.shape_drift.min-share", "0.95");
    props.put("seamwatch.anomaly.empty_result.max-rate", "0.01");
    props.put("seamwatch.anomaly.empty_result.min-non-empty", "500");
    props.put("seamwatch.anomaly.near_limit.ratio", "0.9");
    props.put("seamwatch.anomaly.repeated_call.threshold", "25");
    env.put("SEAMWATCH_ANOMALY_REPEATED_CALL_WINDOW", "250ms");

    AnomalySettings s = AnomalySettings.from(config);

    assertThat(s.warmupCalls).isEqualTo(7);
    assertThat(s.warmupNanos).isZero();
    assertThat(s.shiftCalls).isEqualTo(9);
    assertThat(s.eventMinIntervalNanos).isEqualTo(300_000_000_000L);
    assertThat(s.latencyThreshold).isEqualTo(4.5);
    assertThat(s.latencyMinRatio).isEqualTo(2);
    assertThat(s.latencySpikeRatio).isEqualTo(20);
    assertThat(s.latencyMinExcessNanos).isEqualTo(200_000_000L);
    assertThat(s.sizeThreshold).isEqualTo(7);
    assertThat(s.sizeMinRatio).isEqualTo(3);
    assertThat(s.sizeSpikeRatio).isEqualTo(30);
    assertThat(s.sizeMinBytes).isEqualTo(4096);
    assertThat(s.sizeMinDifference).isEqualTo(2048);
    assertThat(s.rowsThreshold).isEqualTo(8);
    assertThat(s.rowsMinRatio).isEqualTo(50);
    assertThat(s.rowsMin).isEqualTo(1000);
    assertThat(s.rowsMax).isZero();
    assertThat(s.shapeMinObservations).isEqualTo(100);
    assertThat(s.shapeMinShare).isEqualTo(0.95);
    assertThat(s.emptyMaxRate).isEqualTo(0.01);
    assertThat(s.emptyMinNonEmpty).isEqualTo(500);
    assertThat(s.nearLimitRatio).isEqualTo(0.9);
    assertThat(s.repeatedThreshold).isEqualTo(25);
    assertThat(s.repeatedWindowNanos).isEqualTo(250_000_000L);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aTypeCanBeTurnedOff() {
    props.put("seamwatch.anomaly.shape_drift.enabled", "false");
    env.put("SEAMWATCH_ANOMALY_REPEATED_CALL_ENABLED", "false");

    AnomalySettings s = AnomalySettings.from(config);

    assertThat(s.enabled(AnomalyType.SHAPE_DRIFT)).isFalse();
    assertThat(s.enabled(AnomalyType.REPEATED_CALL)).isFalse();
    assertThat(s.enabled(AnomalyType.LATENCY_OUTLIER)).isTrue();
    assertThat(s.enabled(AnomalyType.SLO_BREACH)).isTrue();
  }

  @Test
  void everythingCanBeTurnedOff() {
    props.put("seamwatch.anomaly.enabled", "false");
    props.put("seamwatch.anomaly.latency_outlier.enabled", "true");

    AnomalySettings s = AnomalySettings.from(config);

    for (AnomalyType type : AnomalyType.values()) {
      assertThat(s.enabled(type)).as(type.wireName()).isFalse();
    }
  }

  @Test
  void aBadValueGivesOneLineAndTheDefault() {
    props.put("seamwatch.anomaly.latency_outlier.threshold", "high");
    props.put("seamwatch.anomaly.near_limit.ratio", "1.5");
    props.put("seamwatch.anomaly.repeated_call.window", "soon");

    AnomalySettings s = AnomalySettings.from(config);

    assertThat(s.latencyThreshold).isEqualTo(6);
    assertThat(s.nearLimitRatio).isEqualTo(0.8);
    assertThat(s.repeatedWindowNanos).isEqualTo(1_000_000_000L);
    List<String> lines = lines();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .contains("seamwatch.anomaly.latency_outlier.threshold=high")
        .contains("a number from 1.0 to 1000.0")
        .endsWith("using the default, 6.0");
    assertThat(lines.get(1)).contains("seamwatch.anomaly.near_limit.ratio=1.5");
    assertThat(lines.get(2))
        .contains("seamwatch.anomaly.repeated_call.window=soon")
        .endsWith("using the default, 1s");
  }

  @Test
  void aMisspeltSettingGivesOneLine() {
    props.put("seamwatch.anomaly.latency_outlier.treshold", "4");
    env.put("SEAMWATCH_ANOMALY_SIZE_OUTLIER_MINBYTES", "10");

    AnomalySettings s = AnomalySettings.from(config);

    assertThat(s.latencyThreshold).isEqualTo(6);
    assertThat(lines())
        .containsExactly(
            "[seamwatch] setting SEAMWATCH_ANOMALY_SIZE_OUTLIER_MINBYTES is not a known setting and"
                + " is ignored",
            "[seamwatch] setting seamwatch.anomaly.latency_outlier.treshold is not a known setting"
                + " and is ignored");
  }
}
