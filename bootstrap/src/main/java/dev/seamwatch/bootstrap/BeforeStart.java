package dev.seamwatch.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/** The recorder until the agent has started: counts calls and records nothing. */
final class BeforeStart implements CallRecorder {

  static final BeforeStart INSTANCE = new BeforeStart();

  final LongAdder calls = new LongAdder();

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    calls.increment();
    return null;
  }
}
