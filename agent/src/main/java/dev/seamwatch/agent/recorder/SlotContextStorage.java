package dev.seamwatch.agent.recorder;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;

/**
 * The agent's context storage: each thread has one mutable slot, found through one thread-local
 * lookup, that holds its current context; a scope keeps the slot it changed and restores it on
 * close without looking it up again.
 *
 * <p>Why: the API's default storage keeps the context itself in a thread-local, so making a context
 * current costs a lookup and a write, and closing the scope another lookup and write. A recorded
 * JDBC call reads the current context and makes its own current for the driver's work: five
 * thread-local operations, about 6% of a call's time in a profile of the benchmark loop (the loop
 * thread's map has collisions: drivers and pools keep thread-locals too). Here it is two lookups
 * and no thread-local write.
 *
 * <p>The storage belongs to the agent's relocated copy of the API, which only the agent uses: an
 * application's own OpenTelemetry, or another agent's, keeps its own storage. It behaves as the
 * default one: attaching the current context or null is a no-op scope; closing restores the context
 * seen before attaching, once, and only while the scope's context is the current one; a scope
 * closed on another thread (which the recorder never does) acts on that thread's slot, as the
 * default storage acts on that thread's value.
 */
public final class SlotContextStorage implements ContextStorage {

  static final SlotContextStorage INSTANCE = new SlotContextStorage();

  /** One thread's current context. */
  static final class Slot {
    final Thread thread = Thread.currentThread();
    Context current;

    /** {@link Context#current()}, for this slot's thread. */
    Context current() {
      Context context = current;
      return context != null ? context : Context.root();
    }

    /** {@link Context#makeCurrent()} on this slot's thread. */
    Scope attach(Context toAttach) {
      Context before = current;
      if (toAttach == null || toAttach == before) {
        return Scope.noop();
      }
      current = toAttach;
      return new SlotScope(this, before, toAttach);
    }
  }

  private static volatile boolean installed;

  private static final ThreadLocal<Slot> SLOTS =
      new ThreadLocal<Slot>() {
        @Override
        protected Slot initialValue() {
          return new Slot();
        }
      };

  private SlotContextStorage() {}

  /**
   * Makes this the storage of the agent's copy of the API, which must happen before anything reads
   * a context; returns whether it is (else the API's default storage serves, only slower). It
   * replaces the storage it is handed rather than wrapping it: for this relocated copy that is the
   * default one (a provider, or the strict-context debugging storage, would have to be asked for
   * under relocated names nobody sets).
   */
  public static boolean install() {
    ContextStorage.addWrapper(ignored -> INSTANCE);
    installed = ContextStorage.get() == INSTANCE;
    return installed;
  }

  /**
   * The calling thread's slot when this is the API's storage, else null. A recorded call reads the
   * current context at its start and makes its own current right after, on the same thread: with
   * the slot in hand, that is one thread-local lookup instead of two.
   */
  static Slot slot() {
    return installed ? SLOTS.get() : null;
  }

  /** This thread's slot, whether or not the storage is installed. */
  static Slot slotForTests() {
    return SLOTS.get();
  }

  @Override
  public Context current() {
    return SLOTS.get().current;
  }

  @Override
  public Scope attach(Context toAttach) {
    return SLOTS.get().attach(toAttach);
  }

  private static final class SlotScope implements Scope {
    private final Slot slot;
    private final Context before;
    private final Context attached;
    private boolean closed;

    SlotScope(Slot slot, Context before, Context attached) {
      this.slot = slot;
      this.before = before;
      this.attached = attached;
    }

    @Override
    public void close() {
      Slot target = slot.thread == Thread.currentThread() ? slot : SLOTS.get();
      // As the default storage: a scope closes once, and only while its context is the current
      // one (a scope closed out of order is ignored).
      if (!closed && target.current == attached) {
        closed = true;
        target.current = before;
      }
    }
  }
}
