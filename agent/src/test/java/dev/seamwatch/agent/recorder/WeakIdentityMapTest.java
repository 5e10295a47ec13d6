package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  /** Equal by value, to show that the map compares by identity. */
  private static final class Key {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void keysAreComparedByIdentity() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(v -> {});
    Key a = new Key();
    Key b = new Key();
    map.put(a, "a");
    map.put(b, "b");

    assertThat(map.get(a)).isEqualTo("a");
    assertThat(map.get(b)).isEqualTo("b");
    assertThat(map.get(new Key())).isNull();
    assertThat(map.remove(a)).isEqualTo("a");
    assertThat(map.get(a)).isNull();
    assertThat(map.get(b)).isEqualTo("b");
  }

  @Test
  void collectedKeysAreExpungedAndTheirValuesHandedOver() throws InterruptedException {
    List<String> expunged = Collections.synchronizedList(new ArrayList<>());
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(expunged::add);
    for (int i = 0; i < 1000; i++) {
      map.put(new Object(), "v" + i);
    }
    Object kept = new Object();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (expunged.size() < 1000 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
      map.put(kept, "kept");
    }
    assertThat(expunged).hasSize(1000);
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }

  @Test
  void collectedKeysAreExpungedWithoutAnotherWrite() throws InterruptedException {
    // A service gone quiet: nothing writes to the map after the burst, and the values must still
    // be handed over (the calls of collected requests ended, their memory freed).
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    List<String> expunged = Collections.synchronizedList(new ArrayList<>());
    WeakIdentityMap<Object, String> map =
        new WeakIdentityMap<>(
            value -> {
              threads.add(Thread.currentThread());
              expunged.add(value);
            });
    for (int i = 0; i < 1000; i++) {
      map.put(new Object(), "v" + i);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (expunged.size() < 1000 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(expunged).hasSize(1000);
    assertThat(map.size()).isZero();
    assertThat(threads).allMatch(t -> t instanceof AgentThread);
  }
}
