package dev.seamwatch.bootstrap;

/**
 * The base of every thread the agent starts for its own work. It lives here, in the bootstrap
 * loader, so that the bridge can tell the agent's threads from the application's: an agent thread
 * never waits for the agent to start (it may be the one starting it).
 */
public class SeamwatchThread extends Thread {

  protected SeamwatchThread(Runnable task, String name) {
    super(task, name);
  }

  /** Whether the calling thread is one of the agent's. */
  public static boolean isCurrent() {
    return Thread.currentThread() instanceof SeamwatchThread;
  }
}
