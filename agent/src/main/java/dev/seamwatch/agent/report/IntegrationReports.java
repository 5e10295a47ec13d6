package dev.seamwatch.agent.report;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.agent.recorder.AgentThread;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Writes the integration report: the console table on stderr and the JSON file, at exit ({@link
 * #writeFinal()}) and, with {@code seamwatch.report.interval}, periodically on an agent thread
 * ({@link #start()}).
 *
 * <p>Settings: {@code seamwatch.report.console} (default true); {@code seamwatch.report.file}, the
 * JSON file ({@code seamwatch-report.json} in the working directory by default; a relative path is
 * taken from {@code user.dir}, a directory gets {@code seamwatch-report.json} in it, {@code none}
 * turns the file off); {@code seamwatch.report.interval} (off by default, {@code 0}). A file that
 * cannot be written there goes to {@code java.io.tmpdir} as {@code seamwatch-report-<pid>.json},
 * and one line says where. Files are replaced atomically: a reader sees the old report or the new
 * one, never half of one.
 *
 * <p>Nothing here throws to its caller: a failure is one line on stderr, said once.
 */
public final class IntegrationReports {

  public static final String CONSOLE_KEY = "seamwatch.report.console";
  public static final String FILE_KEY = "seamwatch.report.file";
  public static final String INTERVAL_KEY = "seamwatch.report.interval";
  public static final String DEFAULT_FILE = "seamwatch-report.json";

  /** Shorter would print a full table to stderr many times a second. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  static final Duration MAX_INTERVAL = Duration.ofDays(1);

  private final Supplier<ReportModel> model;
  private final LongSupplier callsBeforeStart;
  private final boolean console;
  private final Path file;
  private final Path fallback;
  private final Duration interval;
  private final Supplier<PrintStream> out;
  private final Consumer<String> warn;
  private final Consumer<String> info;

  private final Object lock = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile ScheduledExecutorService scheduler;

  // Guarded by lock.
  private boolean fellBack;
  private String lastProblem;
  private Path lastWritten;

  IntegrationReports(
      Supplier<ReportModel> model,
      LongSupplier callsBeforeStart,
      boolean console,
      Path file,
      Path fallback,
      Duration interval,
      Supplier<PrintStream> out,
      Consumer<String> warn,
      Consumer<String> info) {
    this.model = model;
    this.callsBeforeStart = callsBeforeStart;
    this.console = console;
    this.file = file;
    this.fallback = fallback;
    this.interval = interval;
    this.out = out;
    this.warn = warn;
    this.info = info;
  }

  /**
   * The writer the settings ask for; the console goes to {@code System.err} as it is when written
   * (an application may replace it).
   *
   * @param model builds the report when one is written: once per write, on the writing thread
   * @param callsBeforeStart calls made before the agent recorded, for the console's first line
   */
  public static IntegrationReports fromConfig(
      AgentConfig config, Supplier<ReportModel> model, LongSupplier callsBeforeStart) {
    return fromConfig(
        config,
        model,
        callsBeforeStart,
        System.getProperty("user.dir", ""),
        System.getProperty("java.io.tmpdir", ""),
        () -> System.err,
        SeamwatchLog::warn,
        SeamwatchLog::info);
  }

  static IntegrationReports fromConfig(
      AgentConfig config,
      Supplier<ReportModel> model,
      LongSupplier callsBeforeStart,
      String userDir,
      String tmpDir,
      Supplier<PrintStream> out,
      Consumer<String> warn,
      Consumer<String> info) {
    boolean console = config.getBoolean(CONSOLE_KEY, true);
    Path file = reportFile(config, userDir, warn);
    Path fallback =
        Paths.get(tmpDir).resolve("seamwatch-report-" + ProcessHandle.current().pid() + ".json");
    Duration interval =
        config.getDuration(INTERVAL_KEY, Duration.ZERO, Duration.ZERO, MAX_INTERVAL);
    if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
      warn.accept(
          "setting "
              + INTERVAL_KEY
              + "="
              + config.raw(INTERVAL_KEY)
              + " is not valid (expected 0 for off, or a duration from "
              + AgentConfig.formatDuration(MIN_INTERVAL)
              + " to "
              + AgentConfig.formatDuration(MAX_INTERVAL)
              + "); using the default, 0 (off)");
      interval = Duration.ZERO;
    }
    return new IntegrationReports(
        model, callsBeforeStart, console, file, fallback, interval, out, warn, info);
  }

  /** The configured report file, absolute; null for {@code none}. */
  private static Path reportFile(AgentConfig config, String userDir, Consumer<String> warn) {
    String setting = config.getString(FILE_KEY, DEFAULT_FILE);
    if (setting.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return Paths.get(userDir).resolve(setting).toAbsolutePath();
    } catch (InvalidPathException e) {
      warn.accept(
          "setting "
              + FILE_KEY
              + "="
              + setting
              + " is not valid (expected a file path, or none); using the default, "
              + DEFAULT_FILE);
      return Paths.get(userDir).resolve(DEFAULT_FILE).toAbsolutePath();
    }
  }

  /** With an interval set, writes the report every interval on a daemon agent thread. */
  public void start() {
    try {
      if (interval.isZero() || finished.get() || !started.compareAndSet(false, true)) {
        return;
      }
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(AgentThread.factory("report"));
      scheduler = s;
      long nanos = interval.toNanos();
      s.scheduleWithFixedDelay(this::writePeriodic, nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      warn.accept("the periodic integration report is off: " + t);
    }
  }

  /**
   * Writes the final report (console and file) once, for the shutdown hook; later calls do nothing.
   * It stops the periodic writes, and waits for one under way to end.
   */
  public void writeFinal() {
    try {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      ScheduledExecutorService s = scheduler;
      if (s != null) {
        // shutdown, not shutdownNow: an interrupt would close the channel of a write under way.
        s.shutdown();
      }
      synchronized (lock) {
        Path written = write();
        if (written != null) {
          info.accept("integration report written to " + written);
        }
      }
    } catch (Throwable t) {
      warn.accept("integration report not written: " + t);
    }
  }

  void writePeriodic() {
    try {
      synchronized (lock) {
        if (!finished.get()) {
          write();
        }
      }
    } catch (Throwable t) {
      // Said once (see problem): a scheduled task that throws is never run again.
      problem("integration report not written: " + t);
    }
  }

  /** The file the report went to last, or null. */
  public Path lastWritten() {
    synchronized (lock) {
      return lastWritten;
    }
  }

  /** Whether a periodic report is scheduled. */
  boolean scheduled() {
    return scheduler != null && !scheduler.isShutdown();
  }

  /** Console and file from one model; returns the file written, or null. Holds lock. */
  private Path write() {
    ReportModel report;
    try {
      report = model.get();
    } catch (Throwable t) {
      problem("integration report not written: could not build it: " + t);
      return null;
    }
    if (console) {
      try {
        ConsoleReport.print(out.get(), report, callsBeforeStart.getAsLong());
      } catch (Throwable t) {
        problem("integration report not printed: " + t);
      }
    }
    if (file == null) {
      return null;
    }
    if (!fellBack) {
      Path target = Files.isDirectory(file) ? file.resolve(DEFAULT_FILE) : file;
      try {
        writeAtomically(target, report);
        lastWritten = target;
        return target;
      } catch (IOException | RuntimeException e) {
        fellBack = true;
        try {
          writeAtomically(fallback, report);
          lastWritten = fallback;
          warn.accept(
              "could not write the integration report to "
                  + target
                  + " ("
                  + FileProblems.reason(e)
                  + "); writing it to "
                  + fallback
                  + " instead");
          return fallback;
        } catch (IOException | RuntimeException f) {
          problem(
              "integration report not written: not to "
                  + target
                  + " ("
                  + FileProblems.reason(e)
                  + "), nor to "
                  + fallback
                  + " ("
                  + FileProblems.reason(f)
                  + ")");
          return null;
        }
      }
    }
    try {
      writeAtomically(fallback, report);
      lastWritten = fallback;
      return fallback;
    } catch (IOException | RuntimeException e) {
      problem(
          "integration report not written to " + fallback + " (" + FileProblems.reason(e) + ")");
      return null;
    }
  }

  /** A problem that repeats every interval is said once. */
  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      warn.accept(message);
    }
  }

  /**
   * Writes a temporary file next to the target, then renames it over the target: a reader sees the
   * whole old report or the whole new one. The temporary file is created with the default
   * permissions, which the report keeps, rather than the owner-only ones of {@code createTempFile}.
   */
  static void writeAtomically(Path target, ReportModel report) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    boolean moved = false;
    try {
      try (Writer w =
          new BufferedWriter(
              new OutputStreamWriter(
                  Files.newOutputStream(
                      tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  StandardCharsets.UTF_8))) {
        JsonReport.write(report, w);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException notThere) {
          // The directory is not usable: the temporary file was never created.
        }
      }
    }
  }
}
