package dev.seamwatch.agent.catalog;

import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Captures what {@link SeamwatchLog} writes to stderr while a test runs. */
final class LogCapture implements AutoCloseable {

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream original;

  LogCapture() {
    SeamwatchLog.setLevel("info");
    original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The lines written so far, without the {@code [seamwatch] } prefix. */
  List<String> lines() {
    String text = err.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split("\\R"))
        .map(
            line -> line.startsWith("[seamwatch] ") ? line.substring(12) : "NOT SEAMWATCH: " + line)
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
