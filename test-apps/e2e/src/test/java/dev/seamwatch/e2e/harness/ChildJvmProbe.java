package dev.seamwatch.e2e.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in application for testing {@link ChildJvm} itself. It echoes its arguments, a system
 * property and an environment variable, writes one agent-style and one plain stderr line, and exits
 * 3. "sleep" makes it sleep first; "spawn" also starts a sleeping grandchild JVM.
 */
public final class ChildJvmProbe {
  private ChildJvmProbe() {}

  public static void main(String[] args) throws Exception {
    List<String> flags = List.of(args);
    System.out.println(String.join(" ", args));
    System.out.println("prop=" + System.getProperty("probe.prop"));
    System.out.println("env=" + System.getenv("PROBE_ENV"));
    if (flags.contains("spawn")) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classpath = System.getProperty("java.class.path");
      Process grandchild =
          new ProcessBuilder(java, "-cp", classpath, ChildJvmProbe.class.getName(), "sleep")
              .inheritIO()
              .start();
      System.out.println("grandchild=" + grandchild.pid());
    }
    System.out.flush();
    System.err.println("[seamwatch] probe");
    System.err.println("err");
    System.err.flush();
    if (flags.contains("sleep") || flags.contains("spawn")) {
      Thread.sleep(60_000);
    }
    System.exit(3);
  }
}
