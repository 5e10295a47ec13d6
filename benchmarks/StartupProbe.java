import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Benchmark probe run by benchmarks/run for its startup and first-call workloads (compiled with
 * javac --release 11 into benchmarks/target/macro/classes).
 *
 * <p>Prints {@code BENCH main_ms=<epoch ms at main entry>} first, then runs a workload, then
 * prints {@code BENCH hwm_kb=<VmHWM of this process>} read from /proc/self/status. Only JDK
 * classes are used, so the probe itself adds next to nothing to what is measured.
 *
 * <ul>
 *   <li>{@code hello}: calls {@code dev.seamwatch.testapps.Hello.main} (the test-app jar must be
 *       on the class path), i.e. exactly the hello-world startup workload.
 *   <li>{@code call <url>}: one {@code HttpURLConnection} GET of {@code url}, read to the end; then
 *       prints {@code BENCH call_ms=<epoch ms when it returned>}: how long an application that calls
 *       out at once waits for its first answer.
 * </ul>
 */
public final class StartupProbe {
  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    System.out.println("BENCH main_ms=" + mainMs);
    String mode = args.length > 0 ? args[0] : "hello";
    if (mode.equals("hello")) {
      Class.forName("dev.seamwatch.testapps.Hello")
          .getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } else if (mode.equals("call")) {
      HttpURLConnection connection = (HttpURLConnection) new URL(args[1]).openConnection();
      int status = connection.getResponseCode();
      try (InputStream in = connection.getInputStream()) {
        in.readAllBytes();
      }
      System.out.println("BENCH call_ms=" + System.currentTimeMillis() + " status=" + status);
    } else {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("BENCH hwm_kb=" + vmHwmKb());
  }

  /** Peak resident set size of this process, KiB (also used by MacroWorkload). */
  static long vmHwmKb() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmHWM in /proc/self/status");
  }
}
