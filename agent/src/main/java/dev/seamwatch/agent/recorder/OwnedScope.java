package dev.seamwatch.agent.recorder;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * A call's context, current on the thread that started the call until the call leaves the client
 * method or ends. A scope belongs to the thread that opened it: closing it from the thread that
 * completes an asynchronous call (a dispatcher, an I/O thread) would corrupt that thread's context,
 * so only the owner closes it, once.
 */
final class OwnedScope {

  private final Thread owner = Thread.currentThread();
  private Scope scope;

  OwnedScope(Context context) {
    this.scope = context.makeCurrent();
  }

  void close() {
    if (scope != null && Thread.currentThread() == owner) {
      Scope open = scope;
      scope = null;
      open.close();
    }
  }
}
