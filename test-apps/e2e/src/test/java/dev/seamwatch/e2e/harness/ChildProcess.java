package dev.seamwatch.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command to completion with its two output streams captured apart, and makes sure no
 * process it started outlives its deadline or the test JVM.
 */
final class ChildProcess {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final long DRAIN_GRACE_MILLIS = 5_000;

  static {
    // A failing or aborted test run must not leave application JVMs (and their peers) behind.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::killTree), "child-reaper"));
  }

  private ChildProcess() {}

  static ChildJvm.Result run(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    scrub(builder.environment());
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    LIVE.add(process);
    try {
      process.getOutputStream().close();
      Drain out = Drain.start(process.getInputStream(), "child-stdout");
      Drain err = Drain.start(process.getErrorStream(), "child-stderr");
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        killTree(process);
        process.waitFor(DRAIN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
      // A grandchild that inherited the pipes could keep them open; never wait on it forever.
      out.join(DRAIN_GRACE_MILLIS);
      err.join(DRAIN_GRACE_MILLIS);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      int exitCode = exited ? process.exitValue() : -1;
      ChildJvm.Result result =
          new ChildJvm.Result(command, exitCode, out.text(), err.text(), elapsed);
      if (!exited) {
        throw new AssertionError(
            "child JVM still running after "
                + timeout
                + "; killed it and its descendants\n"
                + result);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot talk to " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      killTree(process);
      LIVE.remove(process);
    }
  }

  /** Descendants are listed first because killing the root orphans them out of reach. */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Settings inherited from whoever runs the build would silently reconfigure the agent or the SDK
   * under test, and JAVA_TOOL_OPTIONS adds a "Picked up" line to every child's stderr.
   */
  private static void scrub(Map<String, String> environment) {
    environment
        .keySet()
        .removeIf(
            key ->
                key.startsWith("OTEL_")
                    || key.startsWith("SEAMWATCH_")
                    || key.equals("JAVA_TOOL_OPTIONS")
                    || key.equals("JDK_JAVA_OPTIONS")
                    || key.equals("_JAVA_OPTIONS"));
  }

  /** Reads one stream to its end on its own thread, so a full pipe never blocks the child. */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private Drain(InputStream in, String name) {
      super(name);
      this.in = in;
      setDaemon(true);
    }

    static Drain start(InputStream in, String name) {
      Drain drain = new Drain(in, name);
      drain.start();
      return drain;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try {
        for (int n; (n = in.read(chunk)) >= 0; ) {
          synchronized (buffer) {
            buffer.write(chunk, 0, n);
          }
        }
      } catch (IOException streamClosedByKill) {
        // What was read so far is all there is.
      }
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
