package dev.seamwatch.agent.config;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

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
    SeamwatchLog.warn(
        "setting "
            + key
            + "="
            + value
            + " is not valid (expected "
            + expected
            + "); using the default, "
            + defaultValue);
    return defaultValue;
  }
}
