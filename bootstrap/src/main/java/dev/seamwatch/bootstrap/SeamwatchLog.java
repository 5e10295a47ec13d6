package dev.seamwatch.bootstrap;

import java.util.Locale;

/**
 * The agent's own logger: one line per message on stderr, prefixed {@code [seamwatch]}.
 *
 * <p>It lives in the bridge so that the premain, the agent class loader and the agent share it. It
 * never touches {@code java.util.logging} or the application's logging framework, which must be
 * left for the application to configure. The level comes from {@code seamwatch.log.level} ({@code
 * off}, {@code error}, {@code warn}, {@code info}, {@code debug}); the default {@code info} prints
 * only the startup line, the report and problems.
 */
public final class SeamwatchLog {

  public static final int OFF = 0;
  public static final int ERROR = 1;
  public static final int WARN = 2;
  public static final int INFO = 3;
  public static final int DEBUG = 4;

  private static volatile int level = INFO;

  private SeamwatchLog() {}

  /**
   * Sets the level from a setting's value; returns an error message for a bad value (the level is
   * then left as it was), or null.
   */
  public static String setLevel(String value) {
    if (value == null) {
      return null;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "off":
        level = OFF;
        return null;
      case "error":
        level = ERROR;
        return null;
      case "warn":
      case "warning":
        level = WARN;
        return null;
      case "info":
        level = INFO;
        return null;
      case "debug":
      case "trace":
        level = DEBUG;
        return null;
      default:
        return "expected one of off, error, warn, info, debug";
    }
  }

  public static boolean enabled(int messageLevel) {
    return messageLevel <= level && messageLevel > OFF;
  }

  public static void error(String message) {
    log(ERROR, message);
  }

  public static void warn(String message) {
    log(WARN, message);
  }

  public static void info(String message) {
    log(INFO, message);
  }

  public static void debug(String message) {
    log(DEBUG, message);
  }

  public static void log(int messageLevel, String message) {
    if (enabled(messageLevel)) {
      System.err.println("[seamwatch] " + message);
    }
  }
}
