import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One workload of the macro benchmark (benchmarks/run), in one JVM, in steady state:
 *
 * <ul>
 *   <li>{@code jdbc-pk}: a prepared SELECT by primary key on H2 in memory, one row read;
 *   <li>{@code jdbc-rows}: a prepared SELECT reading 1,000 rows;
 *   <li>{@code jdbc-paced}: the {@code jdbc-pk} select at 10,000 calls a second, not flat out;
 *   <li>{@code urlconnection}, {@code jdkhttp}, {@code okhttp}, {@code apache5}: a GET of a small
 *       JSON body from the peers process on loopback, read to the end, on a kept-alive connection;
 *   <li>{@code kafka}: async sends (acks=1, one callback each) to a local broker, waiting for every
 *       acknowledgement of a round.
 * </ul>
 *
 * <p>{@code java MacroWorkload <workload> <target>} where target is the base URL of the peers
 * process, or the Kafka bootstrap servers. Warms up for {@code -Dbench.warmup.seconds} (10 by
 * default), then measures seven rounds of 0.6 s and prints one line:
 *
 * <pre>BENCH us=&lt;median µs per call&gt; cpu_us=&lt;process CPU µs per call, JIT excluded&gt;
 *   alloc_b=&lt;bytes allocated per call, all threads&gt; calls=&lt;measured calls&gt; hwm_kb=&lt;VmHWM&gt;
 *   jit_ms=&lt;CPU ms of the JIT compiler threads during the measurement&gt;
 *   peers_cpu_us=&lt;CPU µs per call of the process given by -Dbench.peers.pid&gt;</pre>
 *
 * <p>CPU and allocation are taken over the measured rounds for the whole process, so they include
 * what an agent does on its own threads (export, metrics) and not only on the calling thread, but
 * not the JIT compilers' threads, whose time is reported apart (see {@link #jitCpuNanos}).
 * Allocation sums {@code ThreadMXBean.getThreadAllocatedBytes} over the live threads at the start
 * and the end of the measurement (a thread that ends in between is missed; none does in steady
 * state here).
 *
 * <p>{@code peers_cpu_us} is the CPU the peers process (the OTLP receiver, which decodes every
 * export, and the HTTP upstream) used per call during the same rounds, when the script gives its
 * pid: it shares the machine's cores, so an agent that exports more spans takes more of the
 * workload's CPU through it. -1 without a pid.
 */
public final class MacroWorkload {

  private static final long WARMUP_NANOS =
      TimeUnit.SECONDS.toNanos(Long.getLong("bench.warmup.seconds", 10));
  private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(600);
  private static final int ROUNDS = 7;
  private static final int KAFKA_SENDS = 2_000;
  private static final String KAFKA_VALUE =
      "{\"id\":1,\"items\":[1,2,3],\"note\":\"" + "x".repeat(200) + "\"}";

  /** One call of a workload; returns something derived from the result so nothing is elided. */
  interface Call {
    long call(int i) throws Exception;
  }

  private static long sink;

  public static void main(String[] args) throws Exception {
    String workload = args[0];
    String target = args[1];
    if (workload.equals("kafka")) {
      kafka(target);
    } else if (workload.equals("jdbc-paced")) {
      measurePaced(jdbc(true));
    } else {
      measure(callFor(workload, target));
    }
    System.out.println("sink=" + (sink % 7));
    System.exit(0);
  }

  private static Call callFor(String workload, String base) throws Exception {
    String url = base + "/items/42";
    switch (workload) {
      case "jdbc-pk":
      case "jdbc-rows":
        return jdbc(workload.equals("jdbc-pk"));
      case "urlconnection":
        return i -> urlConnection(url);
      case "jdkhttp":
        {
          HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
          return i -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }
      case "okhttp":
        return MacroLibraries.okhttp(url);
      case "apache5":
        return MacroLibraries.apache5(url);
      default:
        throw new IllegalArgumentException("unknown workload " + workload);
    }
  }

  private static Call jdbc(boolean byKey) throws Exception {
    Connection connection =
        DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50))");
      for (int i = 0; i < 1000; i++) {
        statement.execute("INSERT INTO t VALUES (" + i + ", 'n" + i + "')");
      }
    }
    if (byKey) {
      PreparedStatement statement = connection.prepareStatement("SELECT name FROM t WHERE id = ?");
      return i -> {
        statement.setInt(1, i % 1000);
        try (ResultSet rows = statement.executeQuery()) {
          long length = 0;
          while (rows.next()) {
            length += rows.getString(1).length();
          }
          return length;
        }
      };
    }
    PreparedStatement statement = connection.prepareStatement("SELECT id FROM t WHERE id < 1000");
    return i -> {
      try (ResultSet rows = statement.executeQuery()) {
        long sum = 0;
        while (rows.next()) {
          sum += rows.getInt(1);
        }
        return sum;
      }
    };
  }

  private static long urlConnection(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      return status + in.readAllBytes().length;
    }
  }

  /** Calls until the time is up, checking the clock every 16 calls; returns the calls made. */
  private static long runFor(Call call, long nanos, int offset) throws Exception {
    long deadline = System.nanoTime() + nanos;
    long calls = 0;
    do {
      for (int k = 0; k < 16; k++) {
        sink += call.call(offset + (int) calls++);
      }
    } while (System.nanoTime() < deadline);
    return calls;
  }

  /**
   * The by-key select at a steady {@link #PACED_RATE} calls a second, in blocks of {@link
   * #PACED_BLOCK} with the thread parked in between: a rate at which neither agent's export queue
   * overflows, so every span is exported and its cost counted, as for a service that is not
   * saturated. Warms up at full speed, lets the export queues drain for a second at the paced
   * rate, then measures: µs per call is the time spent in the calls (not the waits); CPU per call
   * is the whole process's (export included) over the calls made.
   */
  private static void measurePaced(Call call) throws Exception {
    runFor(call, WARMUP_NANOS, 0);
    runPaced(call, TimeUnit.SECONDS.toNanos(1), 0, new long[1]);
    Meter meter = new Meter();
    double[] perCall = new double[ROUNDS];
    long total = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long[] inCalls = new long[1];
      long calls = runPaced(call, ROUND_NANOS, (int) total, inCalls);
      perCall[r] = inCalls[0] / 1000.0 / calls;
      total += calls;
    }
    meter.print(perCall, total);
  }

  private static final int PACED_RATE = 10_000;
  private static final int PACED_BLOCK = 10;

  /** Paced calls for {@code nanos}; adds the time spent in them to {@code busyNanos[0]}. */
  private static long runPaced(Call call, long nanos, int offset, long[] busyNanos)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + nanos;
    long blockNanos = TimeUnit.SECONDS.toNanos(1) * PACED_BLOCK / PACED_RATE;
    long next = start;
    long calls = 0;
    while (next < deadline) {
      long t0 = System.nanoTime();
      for (int k = 0; k < PACED_BLOCK; k++) {
        sink += call.call(offset + (int) calls++);
      }
      busyNanos[0] += System.nanoTime() - t0;
      next += blockNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
    return calls;
  }

  private static void measure(Call call) throws Exception {
    runFor(call, WARMUP_NANOS, 0);
    Meter meter = new Meter();
    double[] perCall = new double[ROUNDS];
    long total = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long start = System.nanoTime();
      long calls = runFor(call, ROUND_NANOS, (int) total);
      perCall[r] = (System.nanoTime() - start) / 1000.0 / calls;
      total += calls;
    }
    meter.print(perCall, total);
  }

  private static void kafka(String bootstrap) throws Exception {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("acks", "1");
    config.put("linger.ms", "1");
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(config)) {
      kafkaRounds(producer, WARMUP_NANOS);
      Meter meter = new Meter();
      double[] perCall = new double[ROUNDS];
      long total = 0;
      for (int r = 0; r < ROUNDS; r++) {
        long start = System.nanoTime();
        long sends = kafkaRounds(producer, ROUND_NANOS);
        perCall[r] = (System.nanoTime() - start) / 1000.0 / sends;
        total += sends;
      }
      meter.print(perCall, total);
    }
  }

  /** Rounds of {@link #KAFKA_SENDS} acknowledged sends for at least {@code nanos}; the sends. */
  private static long kafkaRounds(
      org.apache.kafka.clients.producer.KafkaProducer<String, String> producer, long nanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    long sends = 0;
    do {
      kafkaRound(producer);
      sends += KAFKA_SENDS;
    } while (System.nanoTime() < deadline);
    return sends;
  }

  private static double kafkaRound(
      org.apache.kafka.clients.producer.KafkaProducer<String, String> producer)
      throws InterruptedException {
    CountDownLatch acked = new CountDownLatch(KAFKA_SENDS);
    long start = System.nanoTime();
    for (int i = 0; i < KAFKA_SENDS; i++) {
      producer.send(
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              "macro", "key-" + (i % 100), KAFKA_VALUE),
          new org.apache.kafka.clients.producer.Callback() {
            @Override
            public void onCompletion(
                org.apache.kafka.clients.producer.RecordMetadata metadata, Exception error) {
              acked.countDown();
            }
          });
    }
    if (!acked.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("acknowledgements missing: " + acked.getCount());
    }
    return (System.nanoTime() - start) / 1000.0 / KAFKA_SENDS;
  }

  /** Process CPU time and allocation of all threads, from construction to print. */
  private static final class Meter {
    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long cpuStart;
    private final long jitStart;
    private final long allocStart;
    private final long peersStart;

    Meter() throws IOException {
      cpuStart = os.getProcessCpuTime();
      jitStart = jitCpuNanos();
      allocStart = allocated();
      peersStart = peersCpuNanos();
    }

    private long allocated() {
      long[] ids = threads.getAllThreadIds();
      long sum = 0;
      for (long bytes : threads.getThreadAllocatedBytes(ids)) {
        if (bytes > 0) {
          sum += bytes;
        }
      }
      return sum;
    }

    void print(double[] perCall, long calls) throws IOException {
      long cpu = os.getProcessCpuTime() - cpuStart;
      long jit = jitCpuNanos() - jitStart;
      long alloc = allocated() - allocStart;
      long peers = peersCpuNanos();
      double[] sorted = perCall.clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "BENCH us=%.3f cpu_us=%.3f alloc_b=%d calls=%d hwm_kb=%d jit_ms=%d peers_cpu_us=%.3f%n",
          sorted[sorted.length / 2],
          (cpu - jit) / 1000.0 / calls,
          alloc / calls,
          calls,
          StartupProbe.vmHwmKb(),
          jit / 1_000_000,
          peers < 0 || peersStart < 0 ? -1.0 : (peers - peersStart) / 1000.0 / calls);
    }
  }

  /**
   * CPU time so far of the JIT compiler threads (HotSpot names them "C1 CompilerThread<n>" and "C2
   * CompilerThread<n>"; Linux keeps the first 15 characters), from /proc/self/task: compiling is
   * a warm-up cost, not a cost per call, and on two cores it can still be going on after the
   * warm-up. A compiler thread that exits during the measurement (HotSpot stops idle ones) takes
   * its time with it, which counts it as per-call CPU: never in an agent's favour.
   */
  static long jitCpuNanos() throws IOException {
    long ticks = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
        Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (java.nio.file.Path task : tasks) {
        try {
          String name = new String(Files.readAllBytes(task.resolve("comm"))).trim();
          if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
            continue;
          }
          String stat = new String(Files.readAllBytes(task.resolve("stat")));
          // Fields after the ")" that ends the name: state is field 3, utime 14, stime 15.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (java.nio.file.NoSuchFileException exited) {
          // The thread ended while we looked.
        }
      }
    }
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
  }

  /** CPU time so far of the process {@code -Dbench.peers.pid} names, or -1 without one. */
  static long peersCpuNanos() throws IOException {
    String pid = System.getProperty("bench.peers.pid");
    if (pid == null || pid.isEmpty()) {
      return -1;
    }
    String stat = new String(Files.readAllBytes(Paths.get("/proc", pid, "stat")));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
  }

  /** USER_HZ: 100 on every Linux architecture Java runs on. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;
}
