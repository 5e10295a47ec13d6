package dev.seamwatch.agent.config;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seamwatch's own settings: {@code seamwatch.*} system properties, or {@code SEAMWATCH_*}
 * environment variables ({@code seamwatch.keys.max} is {@code SEAMWATCH_KEYS_MAX}). System
 * properties win. The standard {@code otel.*} settings are not read here: the SDK's autoconfigure
 * module handles them.
 *
 * <p>A bad value never stops the agent: it gives one line naming the key, the value and what is
 * expected, and the default is used.
 */
public final class AgentConfig {

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern DURATION = Pattern.compile("\\+?([0-9]+)\\s*(ns|us|ms|s|m|h|d|)");

  private final Function<String, String> systemProperties;
  private final Supplier<Set<String>> propertyNames;
  private final Map<String, String> environment;

  public AgentConfig(Function<String, String> systemProperties, Map<String, String> environment) {
    this(systemProperties, Collections::emptySet, environment);
  }

  public AgentConfig(
      Function<String, String> systemProperties,
      Supplier<Set<String>> propertyNames,
      Map<String, String> environment) {
    this.systemProperties = systemProperties;
    this.propertyNames = propertyNames;
    this.environment = environment;
  }

  public static AgentConfig fromSystem() {
    return new AgentConfig(
        System::getProperty, () -> System.getProperties().stringPropertyNames(), System.getenv());
  }

  /**
   * One line for each {@code seamwatch.instrumentation.<x>.enabled} setting (property or
   * environment variable) whose {@code <x>} is none of {@code known} (instrumentation and family
   * names): a misspelt name would otherwise leave an instrumentation on without a word.
   */
  public void reportUnknownInstrumentations(Set<String> known) {
    String prefix = "seamwatch.instrumentation.";
    String suffix = ".enabled";
    Set<String> knownEnv = new TreeSet<>();
    for (String name : known) {
      knownEnv.add(envName(prefix + name + suffix));
    }
    Set<String> unknown = new TreeSet<>();
    for (String key : propertyNames.get()) {
      if (key.startsWith(prefix)
          && key.endsWith(suffix)
          && key.length() > prefix.length() + suffix.length()) {
        String name = key.substring(prefix.length(), key.length() - suffix.length());
        if (!known.contains(name)) {
          unknown.add(key);
        }
      }
    }
    String envPrefix = envName(prefix);
    String envSuffix = envName(suffix);
    for (String key : environment.keySet()) {
      if (key.startsWith(envPrefix) && key.endsWith(envSuffix) && !knownEnv.contains(key)) {
        unknown.add(key);
      }
    }
    for (String key : unknown) {
      SeamwatchLog.warn(
          "setting "
              + key
              + " names no instrumentation and is ignored (known: "
              + String.join(", ", new TreeSet<>(known))
              + ")");
    }
  }

  /**
   * One line for each setting under {@code prefix} (property or environment variable) that is none
   * of {@code known} (full keys): a misspelt threshold would otherwise be ignored without a word.
   */
  public void reportUnknownSettings(String prefix, Set<String> known) {
    Set<String> knownEnv = new TreeSet<>();
    for (String key : known) {
      knownEnv.add(envName(key));
    }
    Set<String> unknown = new TreeSet<>();
    for (String key : propertyNames.get()) {
      if (key.startsWith(prefix) && !known.contains(key)) {
        unknown.add(key);
      }
    }
    String envPrefix = envName(prefix);
    for (String key : environment.keySet()) {
      if (key.startsWith(envPrefix) && !knownEnv.contains(key)) {
        unknown.add(key);
      }
    }
    for (String key : unknown) {
      SeamwatchLog.warn("setting " + key + " is not a known setting and is ignored");
    }
  }

  /** The raw value of a key, or null. */
  public String raw(String key) {
    String value = blankToNull(systemProperties.apply(key));
    return value != null ? value : blankToNull(environment.get(envName(key)));
  }

  private static String blankToNull(String value) {
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String getString(String key, String defaultValue) {
    String value = raw(key);
    return value == null ? defaultValue : value;
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    return bad(key, value, "true or false", defaultValue);
  }

  /** An integer within [min, max]. */
  public int getInt(String key, int defaultValue, int min, int max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return bad(key, value, "an integer from " + min + " to " + max, defaultValue);
  }

  /** A whole number within [min, max]. */
  public long getLong(String key, long defaultValue, long min, long max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return bad(key, value, "an integer from " + min + " to " + max, defaultValue);
  }

  /**
   * A decimal number within [min, max], such as {@code 0.8} or {@code 1e3}. Java's own suffixes and
   * words ({@code 1d}, {@code NaN}, {@code Infinity}, hexadecimal) are refused: a setting that
   * parses by accident would hide a typo.
   */
  public double getDouble(String key, double defaultValue, double min, double max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (DECIMAL.matcher(value).matches()) {
      double parsed = Double.parseDouble(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    }
    return bad(key, value, "a number from " + min + " to " + max, defaultValue);
  }

  /**
   * A duration within [min, max]: a whole number with a unit, {@code ns}, {@code us}, {@code ms},
   * {@code s}, {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 10s}, {@code 10m}); a
   * number alone is milliseconds, as in the OpenTelemetry SDK's own settings.
   */
  public Duration getDuration(String key, Duration defaultValue, Duration min, Duration max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    Duration parsed = parseDuration(value);
    if (parsed != null && parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
      return parsed;
    }
    return bad(
        key,
        value,
        "a duration such as 500ms, 10s or 5m (a number alone is milliseconds) from "
            + formatDuration(min)
            + " to "
            + formatDuration(max),
        formatDuration(defaultValue),
        defaultValue);
  }

  /** The duration written as {@link #getDuration} reads it, or null. */
  static Duration parseDuration(String value) {
    Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    try {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2);
      switch (unit) {
        case "ns":
          return Duration.ofNanos(amount);
        case "us":
          return Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
        case "":
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default: // "d", the only unit left that the pattern accepts
          return Duration.ofDays(amount);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  /** The duration in its largest whole unit: {@code 10m}, {@code 1500ms}, {@code 0ms}. */
  public static String formatDuration(Duration duration) {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.toDays() + "d";
    }
    long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (nanos != 0 && nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  /** One of the given choices, compared without case; returned in lower case. */
  public String getChoice(String key, String defaultValue, String... choices) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    for (String choice : choices) {
      if (choice.equalsIgnoreCase(value)) {
        return choice.toLowerCase(Locale.ROOT);
      }
    }
    return bad(key, value, "one of " + String.join(", ", choices), defaultValue);
  }

  /**
   * Whether an instrumentation is on: {@code seamwatch.instrumentation.<name>.enabled}, else its
   * family's {@code seamwatch.instrumentation.<family>.enabled}, else true.
   */
  public boolean instrumentationEnabled(String name, String family) {
    String own = "seamwatch.instrumentation." + name + ".enabled";
    if (raw(own) != null) {
      return getBoolean(own, true);
    }
    return getBoolean("seamwatch.instrumentation." + family + ".enabled", true);
  }

  private static <T> T bad(String key, String value, String expected, T defaultValue) {
    return bad(key, value, expected, String.valueOf(defaultValue), defaultValue);
  }

  private static <T> T bad(
      String key, String value, String expected, String defaultText, T defaultValue) {
    SeamwatchLog.warn(
        "setting "
            + key
            + "="
            + value
            + " is not valid (expected "
            + expected
            + "); using the default, "
            + defaultText);
    return defaultValue;
  }
}
