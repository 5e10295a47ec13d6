package dev.seamwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {

  private final Map<String, String> props = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final AgentConfig config = new AgentConfig(props::get, env);

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

  private List<String> seamwatchLines() {
    return Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\\R"))
        .filter(l -> l.contains("[seamwatch]"))
        .collect(Collectors.toList());
  }

  private void assertNothingLogged() {
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  // --- sources and precedence ---

  @Test
  void systemPropertyWinsOverEnvironment() {
    props.put("seamwatch.keys.max", "100");
    env.put("SEAMWATCH_KEYS_MAX", "200");

    assertThat(config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000)).isEqualTo(100);
    assertThat(config.raw("seamwatch.keys.max")).isEqualTo("100");
  }

  @Test
  void blankSystemPropertyDoesNotHideTheEnvironment() {
    props.put("seamwatch.keys.max", " ");
    env.put("SEAMWATCH_KEYS_MAX", "500");

    assertThat(config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000)).isEqualTo(500);
  }

  @Test
  void environmentIsUsedWhenNoSystemProperty() {
    env.put("SEAMWATCH_KEYS_MAX", "200");

    assertThat(config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000)).isEqualTo(200);
  }

  @Test
  void environmentUnderTheDottedNameIsNotRead() {
    env.put("seamwatch.keys.max", "200");

    assertThat(config.raw("seamwatch.keys.max")).isNull();
  }

  @Test
  void missingKeyGivesDefaultsSilently() {
    assertThat(config.raw("seamwatch.nothing")).isNull();
    assertThat(config.getString("seamwatch.nothing", "d")).isEqualTo("d");
    assertThat(config.getBoolean("seamwatch.nothing", true)).isTrue();
    assertThat(config.getBoolean("seamwatch.nothing", false)).isFalse();
    assertThat(config.getInt("seamwatch.nothing", 7, 0, 10)).isEqualTo(7);
    assertThat(config.getChoice("seamwatch.nothing", "sync", "sync", "async")).isEqualTo("sync");
    assertNothingLogged();
  }

  @ParameterizedTest
  @CsvSource({
    "seamwatch.keys.max, SEAMWATCH_KEYS_MAX",
    "seamwatch.instrumentation.http-client.enabled, SEAMWATCH_INSTRUMENTATION_HTTP_CLIENT_ENABLED",
    "seamwatch.log.level, SEAMWATCH_LOG_LEVEL",
    "seamwatch.debug.failing-recorder, SEAMWATCH_DEBUG_FAILING_RECORDER",
  })
  void environmentNameIsUpperCaseWithUnderscores(String key, String envName) {
    assertThat(AgentConfig.envName(key)).isEqualTo(envName);
    env.put(envName, "from-env");
    assertThat(config.getString(key, "default")).isEqualTo("from-env");
  }

  @Test
  void valuesAreTrimmed() {
    props.put("seamwatch.a", "  hello \t");
    env.put("SEAMWATCH_B", " 42 ");

    assertThat(config.getString("seamwatch.a", "d")).isEqualTo("hello");
    assertThat(config.getInt("seamwatch.b", 0, 0, 100)).isEqualTo(42);
    assertNothingLogged();
  }

  @Test
  void blankValueCountsAsUnset() {
    env.put("SEAMWATCH_A", "   ");

    assertThat(config.raw("seamwatch.a")).isNull();
    assertThat(config.getInt("seamwatch.a", 5, 0, 10)).isEqualTo(5);
    assertNothingLogged();
  }

  // --- booleans ---

  @ParameterizedTest
  @CsvSource({"true, true", "TRUE, true", "True, true", "false, false", "FALSE, false"})
  void booleansIgnoreCase(String value, boolean expected) {
    props.put("seamwatch.report.console", value);

    assertThat(config.getBoolean("seamwatch.report.console", !expected)).isEqualTo(expected);
    assertNothingLogged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "on", "tru", "falsey"})
  void badBooleanGivesDefaultAndOneClearLine(String value) {
    props.put("seamwatch.report.console", value);

    assertThat(config.getBoolean("seamwatch.report.console", false)).isFalse();
    assertThat(config.getBoolean("seamwatch.report.console", true)).isTrue();

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).endsWith("false");
    assertThat(lines.get(1)).endsWith("true");
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.report.console")
        .contains(value)
        .contains("true or false");
  }

  // --- integers ---

  @ParameterizedTest
  @CsvSource({"10, 10", "2000, 2000", "1000000, 1000000", "+50, 50"})
  void integersWithinRangeAreAccepted(String value, int expected) {
    props.put("seamwatch.keys.max", value);

    assertThat(config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000)).isEqualTo(expected);
    assertNothingLogged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"9", "1000001", "-1", "abc", "1.5", "99999999999", "0x10", "1e3"})
  void badIntegerGivesDefaultAndOneClearLine(String value) {
    env.put("SEAMWATCH_KEYS_MAX", value);

    assertThat(config.getInt("seamwatch.keys.max", 2000, 10, 1_000_000)).isEqualTo(2000);

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.keys.max=" + value)
        .contains("an integer from 10 to 1000000")
        .contains("2000");
  }

  // --- longs ---

  @ParameterizedTest
  @CsvSource({"0, 0", "10000, 10000", "+7, 7", "9000000000, 9000000000"})
  void longsWithinRangeAreAccepted(String value, long expected) {
    props.put("seamwatch.anomaly.row_explosion.max-rows", value);

    assertThat(config.getLong("seamwatch.anomaly.row_explosion.max-rows", 10_000, 0, 1L << 40))
        .isEqualTo(expected);
    assertNothingLogged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "ten", "1.0", "1e4", "99999999999999999999", "2000000000000"})
  void badLongGivesDefaultAndOneClearLine(String value) {
    env.put("SEAMWATCH_ANOMALY_ROW_EXPLOSION_MAX_ROWS", value);

    assertThat(config.getLong("seamwatch.anomaly.row_explosion.max-rows", 10_000, 0, 1L << 40))
        .isEqualTo(10_000);

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.anomaly.row_explosion.max-rows=" + value)
        .contains("an integer from 0 to 1099511627776")
        .endsWith("using the default, 10000");
  }

  // --- decimals ---

  @ParameterizedTest
  @CsvSource({"0.8, 0.8", "1, 1.0", ".5, 0.5", "+0.25, 0.25", "2.5e-1, 0.25", "1., 1.0"})
  void decimalsWithinRangeAreAccepted(String value, double expected) {
    props.put("seamwatch.anomaly.near_limit.ratio", value);

    assertThat(config.getDouble("seamwatch.anomaly.near_limit.ratio", 0.8, 0.01, 1.0))
        .isEqualTo(expected);
    assertNothingLogged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "0", "-0.5", "NaN", "Infinity", "0.8d", "0x1p-1", "80%", "a"})
  void badDecimalGivesDefaultAndOneClearLine(String value) {
    props.put("seamwatch.anomaly.near_limit.ratio", value);

    assertThat(config.getDouble("seamwatch.anomaly.near_limit.ratio", 0.8, 0.01, 1.0))
        .isEqualTo(0.8);

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.anomaly.near_limit.ratio=" + value)
        .contains("a number from 0.01 to 1.0")
        .endsWith("using the default, 0.8");
  }

  // --- durations ---

  @ParameterizedTest
  @CsvSource({
    "250, PT0.25S",
    "250ms, PT0.25S",
    "10s, PT10S",
    "10 s, PT10S",
    "10S, PT10S",
    "10m, PT10M",
    "2h, PT2H",
    "1d, PT24H",
    "1500us, PT0.0015S",
    "2000000ns, PT0.002S",
    "0, PT0S",
  })
  void durationsWithAUnitOrInMillisecondsAreAccepted(String value, String expected) {
    props.put("seamwatch.keys.idle-timeout", value);

    assertThat(
            config.getDuration(
                "seamwatch.keys.idle-timeout",
                Duration.ofMinutes(10),
                Duration.ZERO,
                Duration.ofDays(30)))
        .isEqualTo(Duration.parse(expected));
    assertNothingLogged();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ten", "10 minutes", "1.5s", "-1s", "10x", "31d", "s", "PT10M"})
  void badDurationGivesDefaultAndOneClearLine(String value) {
    props.put("seamwatch.keys.idle-timeout", value);

    assertThat(
            config.getDuration(
                "seamwatch.keys.idle-timeout",
                Duration.ofMinutes(10),
                Duration.ZERO,
                Duration.ofDays(30)))
        .isEqualTo(Duration.ofMinutes(10));

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.keys.idle-timeout=" + value)
        .contains("a duration such as 500ms, 10s or 5m")
        .contains("from 0ms to 30d")
        .endsWith("using the default, 10m");
  }

  @Test
  void hugeDurationIsRefusedNotWrapped() {
    props.put("seamwatch.keys.idle-timeout", "9999999999999999d");

    assertThat(
            config.getDuration(
                "seamwatch.keys.idle-timeout",
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofDays(30)))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(seamwatchLines()).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({
    "PT10M, 10m",
    "PT1H, 1h",
    "PT1.5S, 1500ms",
    "PT0S, 0ms",
    "PT0.000001S, 1us",
    "P2D, 2d"
  })
  void durationsAreFormattedInTheirLargestWholeUnit(String duration, String text) {
    assertThat(AgentConfig.formatDuration(Duration.parse(duration))).isEqualTo(text);
  }

  // --- unknown keys under a prefix ---

  @Test
  void unknownSettingsUnderAPrefixGetOneLineEach() {
    props.put("seamwatch.anomaly.latency_outlier.treshold", "5");
    props.put("seamwatch.anomaly.latency_outlier.threshold", "5");
    props.put("seamwatch.keys.max", "100");
    env.put("SEAMWATCH_ANOMALY_NEAR_LIMT_RATIO", "0.9");
    env.put("SEAMWATCH_ANOMALY_NEAR_LIMIT_RATIO", "0.9");
    AgentConfig withNames =
        new AgentConfig(props::get, () -> java.util.Set.copyOf(props.keySet()), env);

    withNames.reportUnknownSettings(
        "seamwatch.anomaly.",
        java.util.Set.of(
            "seamwatch.anomaly.latency_outlier.threshold", "seamwatch.anomaly.near_limit.ratio"));

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains("SEAMWATCH_ANOMALY_NEAR_LIMT_RATIO is not a known setting and is ignored");
    assertThat(lines.get(1))
        .contains("seamwatch.anomaly.latency_outlier.treshold is not a known setting");
  }

  // --- choices ---

  @ParameterizedTest
  @CsvSource({"sync, sync", "async, async", "ASYNC, async", "Sync, sync"})
  void choicesIgnoreCase(String value, String expected) {
    props.put("seamwatch.startup", value);

    assertThat(config.getChoice("seamwatch.startup", "sync", "sync", "async")).isEqualTo(expected);
    assertNothingLogged();
  }

  @Test
  void choiceIsReturnedInLowerCaseAsDocumented() {
    // Javadoc: "compared without case; returned in lower case".
    props.put("seamwatch.mode", "FAST");

    assertThat(config.getChoice("seamwatch.mode", "slow", "Slow", "Fast")).isEqualTo("fast");
  }

  @Test
  void badChoiceGivesDefaultAndOneClearLine() {
    props.put("seamwatch.startup", "lazy");

    assertThat(config.getChoice("seamwatch.startup", "sync", "sync", "async")).isEqualTo("sync");

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("[seamwatch]")
        .contains("seamwatch.startup=lazy")
        .contains("one of sync, async")
        .contains("sync");
  }

  @Test
  void badValueIsNotLoggedWhenLogIsOff() {
    SeamwatchLog.setLevel("off");
    props.put("seamwatch.startup", "lazy");

    assertThat(config.getChoice("seamwatch.startup", "sync", "sync", "async")).isEqualTo("sync");
    assertNothingLogged();
  }

  // --- instrumentation switches ---

  @Test
  void instrumentationIsEnabledByDefault() {
    assertThat(config.instrumentationEnabled("java-http-client", "http-client")).isTrue();
    assertNothingLogged();
  }

  @Test
  void familySettingAppliesWhenNoOwnSetting() {
    props.put("seamwatch.instrumentation.http-client.enabled", "false");

    assertThat(config.instrumentationEnabled("java-http-client", "http-client")).isFalse();
    assertThat(config.instrumentationEnabled("jdbc", "jdbc")).isTrue();
  }

  @Test
  void ownSettingWinsOverFamily() {
    props.put("seamwatch.instrumentation.http-client.enabled", "false");
    props.put("seamwatch.instrumentation.java-http-client.enabled", "true");
    assertThat(config.instrumentationEnabled("java-http-client", "http-client")).isTrue();
    assertThat(config.instrumentationEnabled("okhttp", "http-client")).isFalse();
  }

  @Test
  void ownSettingCanDisableWithinEnabledFamily() {
    env.put("SEAMWATCH_INSTRUMENTATION_HTTP_CLIENT_ENABLED", "true");
    env.put("SEAMWATCH_INSTRUMENTATION_OKHTTP_ENABLED", "FALSE");

    assertThat(config.instrumentationEnabled("okhttp", "http-client")).isFalse();
    assertThat(config.instrumentationEnabled("java-http-client", "http-client")).isTrue();
  }

  @Test
  void badFamilySettingGivesEnabledAndOneClearLine() {
    props.put("seamwatch.instrumentation.jdbc.enabled", "nope");

    assertThat(config.instrumentationEnabled("postgresql", "jdbc")).isTrue();

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("seamwatch.instrumentation.jdbc.enabled=nope");
  }

  @Test
  void badOwnSettingGivesEnabledAndOneClearLine() {
    props.put("seamwatch.instrumentation.okhttp.enabled", "nope");

    assertThat(config.instrumentationEnabled("okhttp", "http-client")).isTrue();

    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("seamwatch.instrumentation.okhttp.enabled=nope")
        .contains("true or false");
  }

  @Test
  void unknownInstrumentationNamesGetOneLineEach() {
    props.put("seamwatch.instrumentation.okhtp.enabled", "false");
    props.put("seamwatch.instrumentation.okhttp.enabled", "false");
    env.put("SEAMWATCH_INSTRUMENTATION_JDCB_ENABLED", "false");
    env.put("SEAMWATCH_INSTRUMENTATION_HTTP_CLIENT_ENABLED", "false");
    AgentConfig withNames =
        new AgentConfig(props::get, () -> java.util.Set.copyOf(props.keySet()), env);
    withNames.reportUnknownInstrumentations(java.util.Set.of("okhttp", "jdbc", "http-client"));
    List<String> lines = seamwatchLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains("SEAMWATCH_INSTRUMENTATION_JDCB_ENABLED names no instrumentation");
    assertThat(lines.get(1))
        .contains("seamwatch.instrumentation.okhtp.enabled names no instrumentation")
        .contains("known: http-client, jdbc, okhttp");
  }
}
