package dev.seamwatch.agent.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A deterministic stream of normal, varied traffic across 50 operation keys, fed to an engine as
 * the recorder would: two request threads whose calls belong to short traces, and one background
 * thread calling a few keys every few seconds outside any trace.
 *
 * <p>What "normal" means here, key by key (drawn once from the seed): latencies log-normal around a
 * base from 0.5 ms to 300 ms with a spread (sigma) from 0.15 to 0.4, 1% of calls 2-3x slower (a GC
 * pause), and for HTTP 0.5% of calls 5-40 ms longer (a new connection); request bodies on some HTTP
 * keys; responses either objects (log-normal sizes) or lists (1 to 2m items of a fixed size, with a
 * header), some list keys empty 10-30% of the time; JDBC keys returning lists of rows or one row
 * (some empty 10-30% of the time); message sizes up to a few hundred KB against a 1 MiB limit; one
 * JSON shape per key, except one key with two shapes half and half, one with 80/20, and three whose
 * bodies are not JSON (fingerprint 0). Traces have 1 to 8 calls, and a call repeats the previous
 * one's operation 30% of the time (paging, a retry).
 *
 * <p>A {@link Plan} can change a call on its way (which key, which trace, which values), to inject
 * anomalies into the very same stream.
 */
final class TrafficModel {

  static final long MESSAGE_LIMIT = 1_048_576;
  static final int KEYS = 50;
  static final int BACKGROUND = 2;

  /** One key's traits. */
  static final class Key {
    final int id;
    final String kind;
    final double weight;
    final double latencyMs;
    final double latencySigma;
    final long requestBytes;
    final double requestSigma;
    final long responseBytes;
    final double responseSigma;
    final int maxItems;
    final int itemBytes;
    final int headerBytes;
    final double emptyRate;
    final long[] shapes;
    final double[] shapeShares;
    final Baseline baseline = new Baseline();
    final Object identity = new Object();

    Key(int id, Random r) {
      this.id = id;
      this.kind = id < 30 ? "http" : id < 45 ? "jdbc" : "messaging";
      this.weight = Math.exp(uniform(r, 0, Math.log(20)));
      this.latencyMs = Math.exp(uniform(r, Math.log(0.5), Math.log(300)));
      this.latencySigma = uniform(r, 0.15, 0.4);
      boolean http = kind.equals("http");
      boolean list = (id >= 10 && id < 20) || (id >= 30 && id < 38);
      boolean pk = id >= 38 && id < 45;
      this.requestBytes = http && id % 5 == 0 ? logUniform(r, 200, 20_000) : -1;
      this.requestSigma = uniform(r, 0.1, 0.4);
      this.responseBytes =
          kind.equals("messaging") ? logUniform(r, 500, 100_000) : logUniform(r, 300, 50_000);
      this.responseSigma = uniform(r, 0.05, 0.4);
      this.maxItems = list ? 2 * (int) logUniform(r, 5, id < 30 ? 50 : 200) : pk ? 1 : 0;
      this.itemBytes = (int) logUniform(r, 100, 800);
      this.headerBytes = 30 + r.nextInt(200);
      this.emptyRate =
          (id >= 10 && id < 15) || (id >= 30 && id < 34) || (id >= 38 && id < 41)
              ? uniform(r, 0.1, 0.3)
              : 0;
      if (id == 1) {
        shapes = new long[] {0x1111L, 0x2222L};
        shapeShares = new double[] {0.5, 1};
      } else if (id == 2) {
        shapes = new long[] {0x3333L, 0x4444L};
        shapeShares = new double[] {0.8, 1};
      } else if (id >= 3 && id < 6 || kind.equals("messaging")) {
        shapes = new long[] {0};
        shapeShares = new double[] {1};
      } else {
        shapes = new long[] {0x5eed0000L + id};
        shapeShares = new double[] {1};
      }
    }

    boolean http() {
      return kind.equals("http");
    }

    boolean jdbc() {
      return kind.equals("jdbc");
    }

    boolean messaging() {
      return kind.equals("messaging");
    }

    boolean list() {
      return maxItems > 1;
    }

    @Override
    public String toString() {
      return "key " + id + " (" + kind + ")";
    }
  }

  /** One call's facts, as the recorder would have them; a {@link Plan} may change any. */
  static final class Call {
    int index;
    int thread;
    int key;
    String traceId;
    long latencyNanos;
    long requestBytes;
    long responseBytes;
    long messageBytes;
    long rows;
    int empty; // -1 unknown, 0 no, 1 yes
    long fingerprint;
    String marker;
  }

  /** Changes calls on their way, to inject anomalies. */
  interface Plan {
    /** May change the key, thread or trace of the call before its values are drawn. */
    default void route(Call call) {}

    /** May change the call's values before the engine sees them. */
    default void adjust(Call call, Key key) {}
  }

  /** A finding, with the call and key it came from. */
  static final class Record {
    final int callIndex;
    final int key;
    final Finding finding;

    Record(int callIndex, int key, Finding finding) {
      this.callIndex = callIndex;
      this.key = key;
      this.finding = finding;
    }

    @Override
    public String toString() {
      return "call " + callIndex + " key " + key + ": " + finding;
    }
  }

  private static final class Clock implements LongSupplier {
    volatile long now = 1_000_000_000_000L;

    @Override
    public long getAsLong() {
      return now;
    }
  }

  final List<Key> keys = new ArrayList<>();

  /** What the stream held, to show it was not trivially quiet. */
  int gcPauses;

  int handshakes;
  int emptyResults;
  int backgroundCalls;
  int repeatsInTrace;
  final int[] callsOfKey = new int[KEYS];
  private final Random random;
  private final Clock clock = new Clock();
  private final AnomalyEngine engine;
  private final double totalWeight;
  private final String[] traceOfThread = new String[BACKGROUND];
  private final int[] traceLeft = new int[BACKGROUND];
  private final int[] lastKeyOfThread = new int[BACKGROUND];
  private int traces;
  private long nextBackgroundNanos;

  TrafficModel(long seed, AnomalySettings settings) {
    random = new Random(seed);
    double total = 0;
    for (int i = 0; i < KEYS; i++) {
      Key key = new Key(i, random);
      keys.add(key);
      total += key.weight;
    }
    totalWeight = total;
    engine = new AnomalyEngine(settings, clock);
    nextBackgroundNanos = clock.now + 2_000_000_000L;
  }

  /** Runs {@code calls} calls through the engine; returns every finding. */
  List<Record> run(int calls, Plan plan) throws Exception {
    List<Record> records = new ArrayList<>();
    ExecutorService[] threads = new ExecutorService[BACKGROUND + 1];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = Executors.newSingleThreadExecutor();
    }
    try {
      Call call = new Call();
      for (int i = 0; i < calls; i++) {
        clock.now += (long) (-Math.log(1 - random.nextDouble()) * 10_000_000L);
        call.index = i;
        route(call);
        plan.route(call);
        Key key = keys.get(call.key);
        callsOfKey[call.key]++;
        draw(call, key);
        plan.adjust(call, key);
        Call c = call;
        threads[call.thread].submit(() -> feed(c, key, records)).get(10, TimeUnit.SECONDS);
      }
    } finally {
      for (ExecutorService thread : threads) {
        thread.shutdownNow();
      }
    }
    return records;
  }

  private void route(Call call) {
    if (clock.now >= nextBackgroundNanos) {
      // The background thread: a cache refresh and two jobs, each every 2 to 5 s, no trace.
      nextBackgroundNanos = clock.now + 2_000_000_000L + (long) (random.nextDouble() * 3e9);
      call.thread = BACKGROUND;
      call.traceId = null;
      int[] jobs = {20, 21, 41};
      call.key = jobs[random.nextInt(jobs.length)];
      backgroundCalls++;
      return;
    }
    int t = random.nextInt(BACKGROUND);
    call.thread = t;
    if (traceLeft[t] == 0) {
      traceOfThread[t] = String.format("%032x", ++traces);
      traceLeft[t] = 1 + random.nextInt(8);
      lastKeyOfThread[t] = -1;
    }
    traceLeft[t]--;
    call.traceId = traceOfThread[t];
    if (lastKeyOfThread[t] >= 0 && random.nextDouble() < 0.3) {
      call.key = lastKeyOfThread[t];
      repeatsInTrace++;
    } else {
      call.key = pickKey();
    }
    lastKeyOfThread[t] = call.key;
  }

  private int pickKey() {
    double x = random.nextDouble() * totalWeight;
    for (Key key : keys) {
      x -= key.weight;
      if (x < 0) {
        return key.id;
      }
    }
    return KEYS - 1;
  }

  private void draw(Call call, Key key) {
    double latencyMs = key.latencyMs * Math.exp(key.latencySigma * random.nextGaussian());
    if (random.nextDouble() < 0.01) {
      latencyMs *= uniform(random, 2, 3); // a GC pause, here or there
      gcPauses++;
    }
    if (key.http() && random.nextDouble() < 0.005) {
      latencyMs += uniform(random, 5, 40); // a new connection's handshake
      handshakes++;
    }
    call.latencyNanos = (long) (latencyMs * 1e6);
    call.requestBytes = -1;
    call.responseBytes = -1;
    call.messageBytes = -1;
    call.rows = -1;
    call.empty = -1;
    call.marker = null;
    boolean empty = random.nextDouble() < key.emptyRate;
    if (empty) {
      emptyResults++;
    }
    int items = key.list() ? (empty ? 0 : 1 + random.nextInt(key.maxItems)) : (empty ? 0 : 1);
    if (key.http()) {
      if (key.requestBytes > 0) {
        call.requestBytes = logNormal(key.requestBytes, key.requestSigma);
      }
      if (key.list()) {
        call.responseBytes = key.headerBytes + (long) items * key.itemBytes;
        call.empty = empty ? 1 : 0;
      } else {
        call.responseBytes = logNormal(key.responseBytes, key.responseSigma);
      }
    } else if (key.jdbc()) {
      call.rows = items;
      call.empty = items == 0 ? 1 : 0;
    } else {
      call.messageBytes = logNormal(key.responseBytes, key.responseSigma);
    }
    call.fingerprint = key.shapes[0];
    double u = random.nextDouble();
    for (int s = 0; s < key.shapes.length; s++) {
      if (u < key.shapeShares[s]) {
        call.fingerprint = key.shapes[s];
        break;
      }
    }
  }

  private long logNormal(long median, double sigma) {
    return Math.max(0, (long) (median * Math.exp(sigma * random.nextGaussian())));
  }

  private static double uniform(Random r, double low, double high) {
    return low + (high - low) * r.nextDouble();
  }

  private static long logUniform(Random r, double low, double high) {
    return (long) Math.exp(uniform(r, Math.log(low), Math.log(high)));
  }

  /** What the recorder does with one call's facts. */
  private void feed(Call call, Key key, List<Record> records) {
    Baseline b = key.baseline;
    add(records, call, engine.repeated(key.identity, call.traceId));
    add(records, call, engine.latency(b, call.latencyNanos));
    add(records, call, engine.size(b, SizeKind.REQUEST, call.requestBytes));
    add(records, call, engine.size(b, SizeKind.RESPONSE, call.responseBytes));
    add(records, call, engine.size(b, SizeKind.MESSAGE, call.messageBytes));
    if (call.messageBytes >= 0) {
      add(records, call, engine.nearLimit(call.messageBytes, MESSAGE_LIMIT, false));
    }
    add(records, call, engine.rows(b, call.rows));
    if (call.empty >= 0) {
      add(records, call, engine.empty(b, call.empty == 1));
    }
    add(records, call, engine.shape(b, call.fingerprint));
    add(records, call, engine.errorInSuccess(call.marker));
  }

  private static void add(List<Record> records, Call call, Finding finding) {
    if (finding != null) {
      records.add(new Record(call.index, call.key, finding));
    }
  }
}
