package dev.seamwatch.bootstrap;

/**
 * The one door from advice into the agent.
 *
 * <p>Advice is inlined into classes of every class loader, JDK classes included, so it may only
 * reference JDK types and the types of this package, which live in the bootstrap class loader. The
 * recorder behind the door starts as a no-op and is replaced once the agent has started: advice
 * that runs earlier costs a volatile read and records nothing (the calls are counted as "before
 * start").
 */
public final class Bridge {

  private static volatile CallRecorder recorder = BeforeStart.INSTANCE;

  private Bridge() {}

  /** The recorder advice hands its facts to. Never null. */
  public static CallRecorder recorder() {
    return recorder;
  }

  /** Installs the agent's recorder; called once, when the agent has started. */
  public static void install(CallRecorder started) {
    recorder = started == null ? BeforeStart.INSTANCE : started;
  }

  /** Number of calls that were seen before the agent finished starting. */
  public static long callsBeforeStart() {
    return BeforeStart.INSTANCE.calls.sum();
  }
}
