package dev.seamwatch.agent.recorder;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread the agent runs its own work on: exporting, starting, shutting down. Calls made from it
 * are never recorded; without that, every OTLP export over {@code java.net.http}, which Seamwatch
 * instruments, would be traced and exported in turn.
 */
public final class AgentThread extends dev.seamwatch.bootstrap.SeamwatchThread {

  private static final AtomicInteger COUNT = new AtomicInteger();

  public AgentThread(Runnable task, String name) {
    super(task, "seamwatch-" + name + "-" + COUNT.incrementAndGet());
    setDaemon(true);
    setContextClassLoader(AgentThread.class.getClassLoader());
  }

  public static ThreadFactory factory(String name) {
    return task -> new AgentThread(task, name);
  }
}
