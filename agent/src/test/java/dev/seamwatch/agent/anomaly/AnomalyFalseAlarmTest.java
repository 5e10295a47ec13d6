package dev.seamwatch.agent.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.anomaly.TrafficModel.Call;
import dev.seamwatch.agent.anomaly.TrafficModel.Key;
import dev.seamwatch.agent.anomaly.TrafficModel.Record;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The engine at its default settings on a long stream of normal, varied traffic ({@link
 * TrafficModel}): no finding at all. Then the same stream with anomalies injected: each is found,
 * within a few calls of its key after its onset, once, and nothing else is.
 */
class AnomalyFalseAlarmTest {

  private static final long SEED = 20_250_611L;
  private static final int CALLS = 30_000;

  @Test
  void normalTrafficGivesNoFinding() throws Exception {
    TrafficModel model = new TrafficModel(SEED, AnomalySettings.defaults());

    List<Record> findings = model.run(CALLS, new TrafficModel.Plan() {});

    assertThat(findings).isEmpty();
    // Quiet because nothing stood out, not because nothing was judged: every key is past its
    // warm-up, and the stream held what normal traffic holds.
    for (Key key : model.keys) {
      assertThat(model.callsOfKey[key.id]).as(key + " calls").isGreaterThan(60);
      assertThat(key.baseline.latency.count).as(key + " latency values").isGreaterThan(20);
    }
    assertThat(model.gcPauses).isGreaterThan(200);
    assertThat(model.handshakes).isGreaterThan(40);
    assertThat(model.emptyResults).isGreaterThan(500);
    assertThat(model.backgroundCalls).isGreaterThan(50);
    assertThat(model.repeatsInTrace).isGreaterThan(3000);
  }

  /** One injected anomaly: where, from when, what it does, and what must be found. */
  private abstract static class Injection {
    final String name;
    final AnomalyType type;
    final int onset;
    final int length;
    Key key;
    final List<Integer> callsFromOnset = new ArrayList<>();

    /** Changes {@code length} calls of its key from the onset. */
    Injection(String name, AnomalyType type, int onset, int length) {
      this.name = name;
      this.type = type;
      this.onset = onset;
      this.length = length;
    }

    abstract void change(Call call);
  }

  @Test
  void anomaliesInjectedIntoTheSameStreamAreFound() throws Exception {
    TrafficModel model = new TrafficModel(SEED, AnomalySettings.defaults());
    Set<Key> used = new HashSet<>();
    List<Injection> injections = new ArrayList<>();

    // An upstream slows down for good: 15x, plus 100 ms.
    injections.add(
        new Injection("slowdown", AnomalyType.LATENCY_OUTLIER, 12_000, Integer.MAX_VALUE) {
          @Override
          void change(Call call) {
            call.latencyNanos = call.latencyNanos * 15 + 100_000_000L;
          }
        });
    // One response twenty times larger than usual.
    injections.add(
        new Injection("huge response", AnomalyType.SIZE_OUTLIER, 20_000, 1) {
          @Override
          void change(Call call) {
            call.responseBytes *= 20;
          }
        });
    // The API answers with a short error body, in a shape of its own, for ten calls.
    Injection errorBodies =
        new Injection("error bodies", AnomalyType.SIZE_OUTLIER, 21_000, 10) {
          @Override
          void change(Call call) {
            call.responseBytes = 90;
            call.fingerprint = 0xE440L;
          }
        };
    injections.add(errorBodies);
    // A partner renames a field: every response from now on has a new shape.
    injections.add(
        new Injection("renamed field", AnomalyType.SHAPE_DRIFT, 18_000, Integer.MAX_VALUE) {
          @Override
          void change(Call call) {
            call.fingerprint = 0xD1F7L;
          }
        });
    // A lookup that always finds its row starts finding nothing.
    injections.add(
        new Injection("rows gone", AnomalyType.EMPTY_RESULT, 16_000, Integer.MAX_VALUE) {
          @Override
          void change(Call call) {
            call.rows = 0;
            call.empty = 1;
          }
        });
    // A query loses its WHERE clause once.
    injections.add(
        new Injection("missing where", AnomalyType.ROW_EXPLOSION, 17_000, 1) {
          @Override
          void change(Call call) {
            call.rows = 50_000;
            call.empty = 0;
          }
        });
    // A 200 OK whose body says "errors".
    injections.add(
        new Injection("error in 200", AnomalyType.ERROR_IN_SUCCESS, 22_000, 1) {
          @Override
          void change(Call call) {
            call.marker = "errors";
          }
        });
    // A record close to max.request.size (and far larger than the topic's usual).
    Injection bigRecord =
        new Injection("big record", AnomalyType.NEAR_LIMIT, 23_000, 1) {
          @Override
          void change(Call call) {
            call.messageBytes = 950_000;
          }
        };
    injections.add(bigRecord);

    injections.get(0).key = pick(model, used, k -> k.http() && !k.list() && k.weight > 3);
    injections.get(1).key =
        pick(model, used, k -> k.http() && !k.list() && k.shapes[0] != 0 && k.weight > 3);
    errorBodies.key =
        pick(
            model,
            used,
            k ->
                k.http()
                    && !k.list()
                    && k.shapes.length == 1
                    && k.shapes[0] != 0
                    && k.responseBytes > 4000
                    && k.responseSigma < 0.3
                    && k.weight > 3);
    injections.get(3).key =
        pick(model, used, k -> k.http() && k.shapes.length == 1 && k.shapes[0] != 0);
    injections.get(4).key = pick(model, used, k -> k.jdbc() && !k.list() && k.emptyRate == 0);
    injections.get(5).key = pick(model, used, k -> k.jdbc() && k.list());
    injections.get(6).key = pick(model, used, k -> k.http());
    bigRecord.key = pick(model, used, k -> k.messaging() && k.responseBytes < 40_000);
    Key loop = pick(model, used, k -> k.http() && !k.list());
    int loopStart = 15_000;

    List<Record> findings =
        model.run(
            CALLS,
            new TrafficModel.Plan() {
              @Override
              public void route(Call call) {
                // An N+1 loop: twelve calls of one operation in one request.
                if (call.index >= loopStart && call.index < loopStart + 12) {
                  call.thread = 0;
                  call.traceId = "0af7651916cd43dd8448eb211c80319c";
                  call.key = loop.id;
                }
              }

              @Override
              public void adjust(Call call, Key key) {
                for (Injection injection : injections) {
                  if (injection.key == key
                      && call.index >= injection.onset
                      && injection.callsFromOnset.size() < injection.length) {
                    injection.change(call);
                    injection.callsFromOnset.add(call.index);
                  }
                }
              }
            });

    Map<String, Integer> expected = new TreeMap<>();
    for (Injection injection : injections) {
      expected.merge(injection.key.id + " " + injection.type.wireName(), 1, Integer::sum);
    }
    // The error bodies change the shape too, and the big record is a size outlier as well.
    expected.merge(errorBodies.key.id + " shape_drift", 1, Integer::sum);
    expected.merge(bigRecord.key.id + " size_outlier", 1, Integer::sum);
    expected.merge(loop.id + " repeated_call", 1, Integer::sum);
    Map<String, Integer> found = new TreeMap<>();
    for (Record record : findings) {
      found.merge(record.key + " " + record.finding.type.wireName(), 1, Integer::sum);
    }
    assertThat(found).as(findings.toString()).isEqualTo(expected);

    for (Injection injection : injections) {
      Record first = first(findings, injection.key, injection.type);
      // Reported within a few calls of its key after the onset: at once, at the second call when
      // it is not ten times off, at the third for a far smaller payload.
      int within = Math.min(injection == errorBodies ? 3 : 2, injection.callsFromOnset.size());
      assertThat(first.callIndex)
          .as(injection.name + " at " + injection.callsFromOnset)
          .isBetween(injection.callsFromOnset.get(0), injection.callsFromOnset.get(within - 1));
    }
    assertThat(first(findings, loop, AnomalyType.REPEATED_CALL).callIndex).isEqualTo(loopStart + 9);
  }

  private static Key pick(TrafficModel model, Set<Key> used, Predicate<Key> fits) {
    for (Key key : model.keys) {
      if (!used.contains(key) && fits.test(key)) {
        used.add(key);
        return key;
      }
    }
    throw new AssertionError("no key fits the injection");
  }

  private static Record first(List<Record> records, Key key, AnomalyType type) {
    for (Record record : records) {
      if (record.key == key.id && record.finding.type == type) {
        return record;
      }
    }
    throw new AssertionError("no " + type.wireName() + " on " + key + ": " + records);
  }
}
