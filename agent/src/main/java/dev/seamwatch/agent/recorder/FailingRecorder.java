package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.CallRecorder;
import dev.seamwatch.bootstrap.HttpClientCall;

/**
 * For robustness tests only ({@code seamwatch.debug.failing-recorder=true}): a recorder whose every
 * entry point throws, to prove that advice keeps the agent's failures away from the application.
 */
public final class FailingRecorder implements CallRecorder {

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    throw new IllegalStateException("seamwatch.debug.failing-recorder: injected failure");
  }
}
