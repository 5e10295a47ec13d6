package dev.seamwatch.agent.pipeline;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the bundled OpenTelemetry SDK logs through {@code java.util.logging} to Seamwatch's
 * own logger, so that it never reaches the application's console handlers or logging framework, and
 * repeats (an unreachable collector fails every export) are shown once a minute at most.
 *
 * <p>The SDK's loggers carry relocated names, all under {@code dev.seamwatch.agent.shaded}; one
 * parent logger with no parent handlers catches them all. This initialises {@code
 * java.util.logging}'s LogManager, so it runs when the SDK is built, never inside premain.
 */
final class SdkLogForwarding extends Handler {

  private static final long REPEAT_MILLIS = 60_000;
  private static final String CONSOLE_EXPORTERS =
      io.opentelemetry.exporter.logging.LoggingSpanExporter.class.getPackage().getName();
  // Held strongly: LogManager keeps loggers weakly, and the configuration would vanish with it.
  private static Logger root;
  private static Logger consoleExporters;

  private final Map<String, Long> lastShown = new ConcurrentHashMap<>();
  private final SimpleFormatter formatter = new SimpleFormatter();

  static synchronized void install() {
    if (root != null) {
      return;
    }
    Logger logger = Logger.getLogger("dev.seamwatch.agent.shaded");
    logger.setUseParentHandlers(false);
    logger.setLevel(SeamwatchLog.enabled(SeamwatchLog.DEBUG) ? Level.FINE : Level.WARNING);
    logger.addHandler(new SdkLogForwarding());
    // otel.*.exporter=console: the SDK's logging exporters write each span and metric at INFO.
    consoleExporters = Logger.getLogger(CONSOLE_EXPORTERS);
    consoleExporters.setLevel(Level.INFO);
    root = logger;
  }

  @Override
  public void publish(LogRecord record) {
    String message = formatter.formatMessage(record);
    if (record.getLoggerName() != null && record.getLoggerName().startsWith(CONSOLE_EXPORTERS)) {
      // What the user asked to see: printed whole, never rate-limited.
      System.err.println("[seamwatch] " + message);
      return;
    }
    long now = System.currentTimeMillis();
    Long last = lastShown.get(message);
    if (last != null && now - last < REPEAT_MILLIS) {
      return;
    }
    lastShown.put(message, now);
    if (lastShown.size() > 100) {
      lastShown.clear();
    }
    int level =
        record.getLevel().intValue() >= Level.SEVERE.intValue()
            ? SeamwatchLog.ERROR
            : record.getLevel().intValue() >= Level.WARNING.intValue()
                ? SeamwatchLog.WARN
                : SeamwatchLog.DEBUG;
    Throwable thrown = record.getThrown();
    SeamwatchLog.log(
        level, "opentelemetry sdk: " + message + (thrown == null ? "" : " (" + thrown + ")"));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
