package dev.seamwatch.bootstrap;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one door from advice into the agent.
 *
 * <p>Advice is inlined into classes of every class loader, JDK classes included, so it may only
 * reference JDK types and the types of this package, which live in the bootstrap class loader. The
 * recorder behind the door starts as {@link BeforeStart} and is replaced once the agent has
 * started. Advice that runs earlier either waits for the start ({@code seamwatch.startup=sync}, the
 * default: premain returns before the OpenTelemetry SDK is built, and only an application that
 * makes an external call before then waits, in that call, for the rest of the start) or records
 * nothing ({@code async}, or when the start takes longer than {@link #START_WAIT_MILLIS}: the calls
 * are counted as "before start").
 */
public final class Bridge {

  /** The longest a call waits for the start; after one wait this long, no call waits again. */
  public static final long START_WAIT_MILLIS = 10_000;

  private static volatile CallRecorder recorder = BeforeStart.INSTANCE;

  /** Whether calls made before the start wait for it; cleared when the start ends either way. */
  private static volatile boolean waitForStart;

  private static final CountDownLatch started = new CountDownLatch(1);

  private Bridge() {}

  /** The recorder advice hands its facts to. Never null. */
  public static CallRecorder recorder() {
    return recorder;
  }

  /** Installs the agent's recorder; called once, when the agent has started. */
  public static void install(CallRecorder agentRecorder) {
    recorder = agentRecorder == null ? BeforeStart.INSTANCE : agentRecorder;
    Bridge.started.countDown();
  }

  /** Calls made from now until {@link #install} or {@link #startFailed} wait for it. */
  public static void waitForStart() {
    waitForStart = true;
  }

  /** The agent will not start: calls waiting for it go on unrecorded, and no call waits again. */
  public static void startFailed() {
    waitForStart = false;
    Bridge.started.countDown();
  }

  /**
   * For {@link BeforeStart}: the agent's recorder once it has started, after waiting for it if
   * calls wait; null if the call is not to be recorded (async start, an agent thread, the start
   * failed or took longer than {@link #START_WAIT_MILLIS}, the thread was interrupted).
   */
  static CallRecorder awaitStart() {
    if (!waitForStart || SeamwatchThread.isCurrent()) {
      return null;
    }
    try {
      if (!Bridge.started.await(START_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        if (waitForStart) {
          waitForStart = false;
          SeamwatchLog.warn(
              "the agent did not start within "
                  + START_WAIT_MILLIS
                  + " ms: calls go on unrecorded until it has started");
        }
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    CallRecorder current = recorder;
    return current == BeforeStart.INSTANCE ? null : current;
  }

  /** Number of calls that were seen before the agent finished starting. */
  public static long callsBeforeStart() {
    return BeforeStart.INSTANCE.calls.sum();
  }
}
