package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnomalyRepeatedTest {

  private final ManualClock clock = new ManualClock();
  private AnomalyEngine engine = new AnomalyEngine(AnomalySettings.defaults(), clock);
  private final Object a = new Object();
  private final Object b = new Object();

  /** Calls of the keys in turn, {@code rounds} times; returns the findings with their call. */
  private List<String> calls(String trace, int rounds, Object... keys) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      for (int k = 0; k < keys.length; k++) {
        Finding f = engine.repeated(keys[k], trace);
        if (f != null) {
          found.add("round " + (i + 1) + " key " + k);
        }
      }
    }
    return found;
  }

  @Test
  void theTenthCallOfOneOperationInATraceIsReportedOnce() {
    for (int i = 1; i < 10; i++) {
      assertThat(engine.repeated(a, "t1")).isNull();
    }

    Finding f = engine.repeated(a, "t1");

    assertThat(f).isNotNull();
    assertThat(f.type).isEqualTo(AnomalyType.REPEATED_CALL);
    assertThat(f.measure).isEqualTo("calls_in_sequence");
    assertThat(f.observed).isEqualTo(10.0);
    assertThat(f.expected).isEqualTo(10.0);
    assertThat(calls("t1", 100, a)).isEmpty();
  }

  @Test
  void aNewTraceStartsANewCount() {
    calls("t1", 9, a);

    assertThat(calls("t2", 9, a)).isEmpty();
    assertThat(calls("t3", 10, a)).containsExactly("round 10 key 0");
  }

  @Test
  void traceIdsAreComparedByValue() {
    for (int i = 0; i < 9; i++) {
      engine.repeated(a, new String("4bf92f3577b34da6a3ce929d0e0e4736"));
    }
    assertThat(engine.repeated(a, new String("4bf92f3577b34da6a3ce929d0e0e4736"))).isNotNull();
  }

  @Test
  void interleavedOperationsAreEachCounted() {
    Object c = new Object();
    Object d = new Object();

    assertThat(calls("t1", 10, a, b, c, d))
        .containsExactly("round 10 key 0", "round 10 key 1", "round 10 key 2", "round 10 key 3");
  }

  @Test
  void operationsAreComparedByIdentity() {
    calls("t1", 5, "GET /a");

    assertThat(calls("t1", 5, new String("GET /a"))).isEmpty();
  }

  @Test
  void outsideATraceOnlyCallsCloseTogetherAreOneRun() {
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofMillis(900));
      assertThat(engine.repeated(a, null)).isNull();
    }
    clock.advance(Duration.ofMillis(900));
    assertThat(engine.repeated(a, null)).isNotNull();

    for (int i = 0; i < 30; i++) {
      clock.advance(Duration.ofMillis(1001));
      assertThat(engine.repeated(b, null)).isNull();
    }
  }

  @Test
  void enteringATraceStartsANewCount() {
    calls(null, 9, a);

    assertThat(calls("t1", 9, a)).isEmpty();
    assertThat(calls(null, 9, a)).isEmpty();
  }

  @Test
  void eachThreadCountsItsOwnCalls() throws Exception {
    calls("t1", 6, a);
    AtomicReference<List<String>> other = new AtomicReference<>();
    Thread thread = new Thread(() -> other.set(calls("t1", 6, a)));
    thread.start();
    thread.join();

    assertThat(other.get()).isEmpty();
    assertThat(calls("t1", 3, a)).isEmpty();
    assertThat(calls("t1", 1, a)).containsExactly("round 1 key 0");
  }

  @Test
  void theThresholdAndWindowComeFromTheSettings() {
    engine =
        new AnomalyEngine(
            AnomalySettings.builder().repeated(3, Duration.ofSeconds(5)).build(), clock);

    assertThat(calls("t1", 3, a)).containsExactly("round 3 key 0");
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(4));
      assertThat(engine.repeated(b, null)).isNull();
    }
    clock.advance(Duration.ofSeconds(4));
    assertThat(engine.repeated(b, null)).isNotNull();
  }

  @Test
  void turnedOffOrWithoutAKeyNothingIsCounted() {
    engine =
        new AnomalyEngine(
            AnomalySettings.builder().enabled(AnomalyType.REPEATED_CALL, false).build(), clock);
    assertThat(calls("t1", 20, a)).isEmpty();

    engine = new AnomalyEngine(AnomalySettings.defaults(), clock);
    assertThat(calls("t1", 20, (Object) null)).isEmpty();
  }
}
