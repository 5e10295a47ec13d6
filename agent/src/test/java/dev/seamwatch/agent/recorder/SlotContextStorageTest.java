package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage itself (the tests' JVM keeps the API's default one: which storage serves is chosen
 * once per JVM, and the agent installs this one before anything else reads a context).
 */
class SlotContextStorageTest {

  private static final ContextKey<String> KEY = ContextKey.named("k");
  private static final SlotContextStorage STORAGE = SlotContextStorage.INSTANCE;

  private final Context a = Context.root().with(KEY, "a");
  private final Context b = Context.root().with(KEY, "b");

  @AfterEach
  void everyScopeWasClosed() {
    assertThat(STORAGE.current()).isNull();
  }

  @Test
  void attachMakesCurrentAndCloseRestoresInOrder() {
    assertThat(STORAGE.current()).isNull();
    try (Scope outer = STORAGE.attach(a)) {
      assertThat(STORAGE.current()).isSameAs(a);
      try (Scope inner = STORAGE.attach(b)) {
        assertThat(STORAGE.current()).isSameAs(b);
      }
      assertThat(STORAGE.current()).isSameAs(a);
    }
  }

  @Test
  void attachingTheCurrentContextOrNullChangesNothing() {
    try (Scope outer = STORAGE.attach(a)) {
      Scope same = STORAGE.attach(a);
      assertThat(same).isSameAs(Scope.noop());
      same.close();
      assertThat(STORAGE.current()).isSameAs(a);
      assertThat(STORAGE.attach(null)).isSameAs(Scope.noop());
      assertThat(STORAGE.current()).isSameAs(a);
    }
  }

  @Test
  void aScopeClosesOnceAndNotOutOfOrder() {
    Scope outer = STORAGE.attach(a);
    Scope inner = STORAGE.attach(b);
    outer.close(); // out of order: ignored, as by the default storage
    assertThat(STORAGE.current()).isSameAs(b);
    inner.close();
    assertThat(STORAGE.current()).isSameAs(a);
    inner.close(); // again: ignored
    assertThat(STORAGE.current()).isSameAs(a);
    outer.close();
    assertThat(STORAGE.current()).isNull();
  }

  @Test
  void eachThreadHasItsOwnCurrentContext() throws Exception {
    try (Scope scope = STORAGE.attach(a)) {
      AtomicReference<Context> seen = new AtomicReference<>(b);
      Thread other = new Thread(() -> seen.set(STORAGE.current()));
      other.start();
      other.join();
      assertThat(seen.get()).isNull();
    }
  }

  @Test
  void aScopeClosedOnAnotherThreadActsOnThatThreadsContext() throws Exception {
    Scope scope = STORAGE.attach(a);
    AtomicReference<Context> after = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              STORAGE.attach(a);
              scope.close(); // that thread's current context is the scope's: restored there
              after.set(STORAGE.current());
            });
    other.start();
    other.join();
    assertThat(after.get()).isNull();
    // This thread's is untouched, and the scope, closed, does not close again.
    assertThat(STORAGE.current()).isSameAs(a);
    scope.close();
    assertThat(STORAGE.current()).isSameAs(a);
    SlotContextStorage.slotForTests().current = null; // leave the thread as found
  }

  @Test
  void aSlotReadsAndAttachesAsTheStorageDoes() {
    SlotContextStorage.Slot slot = slotOfThisThread();
    assertThat(slot.current()).isSameAs(Context.root());
    try (Scope scope = slot.attach(a)) {
      assertThat(STORAGE.current()).isSameAs(a);
      assertThat(slot.current()).isSameAs(a);
      assertThat(slot.attach(a)).isSameAs(Scope.noop());
    }
    assertThat(slot.current()).isSameAs(Context.root());
  }

  private static SlotContextStorage.Slot slotOfThisThread() {
    return SlotContextStorage.slotForTests();
  }
}
