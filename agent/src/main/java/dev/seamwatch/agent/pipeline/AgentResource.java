package dev.seamwatch.agent.pipeline;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.semconv.TelemetryAttributes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The resource attributes Seamwatch adds: the distro, and the usual host, OS, process and runtime
 * attributes.
 *
 * <p>Written here rather than taken from {@code opentelemetry-resources}: that module's process
 * detector exports the full command line ({@code process.command_line}), where passwords given as
 * {@code -D} flags end up, and reads it through {@code java.lang.management}, which costs startup
 * time. Nothing here reads the command line or the JVM's arguments.
 */
final class AgentResource {

  // Experimental names (opentelemetry-semconv-incubating).
  private static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  private static final AttributeKey<String> HOST_ARCH = AttributeKey.stringKey("host.arch");
  private static final AttributeKey<String> OS_TYPE = AttributeKey.stringKey("os.type");
  private static final AttributeKey<String> OS_DESCRIPTION =
      AttributeKey.stringKey("os.description");
  private static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  private static final AttributeKey<String> PROCESS_EXECUTABLE_PATH =
      AttributeKey.stringKey("process.executable.path");
  private static final AttributeKey<String> RUNTIME_NAME =
      AttributeKey.stringKey("process.runtime.name");
  private static final AttributeKey<String> RUNTIME_VERSION =
      AttributeKey.stringKey("process.runtime.version");
  private static final AttributeKey<String> RUNTIME_DESCRIPTION =
      AttributeKey.stringKey("process.runtime.description");

  private AgentResource() {}

  static Resource detect(String version) {
    AttributesBuilder attributes =
        Attributes.builder()
            .put(TelemetryAttributes.TELEMETRY_DISTRO_NAME, "seamwatch")
            .put(TelemetryAttributes.TELEMETRY_DISTRO_VERSION, version)
            .put(PROCESS_PID, ProcessHandle.current().pid())
            .put(PROCESS_EXECUTABLE_PATH, System.getProperty("java.home") + "/bin/java")
            .put(RUNTIME_NAME, System.getProperty("java.runtime.name", "unknown"))
            .put(RUNTIME_VERSION, System.getProperty("java.runtime.version", "unknown"))
            .put(
                RUNTIME_DESCRIPTION,
                System.getProperty("java.vm.vendor", "")
                    + " "
                    + System.getProperty("java.vm.name", "")
                    + " "
                    + System.getProperty("java.vm.version", ""))
            .put(HOST_ARCH, System.getProperty("os.arch", "unknown"))
            .put(OS_TYPE, osType(System.getProperty("os.name", "")))
            .put(
                OS_DESCRIPTION,
                System.getProperty("os.name", "") + " " + System.getProperty("os.version", ""));
    String host = hostName();
    if (host != null) {
      attributes.put(HOST_NAME, host);
    }
    return Resource.create(attributes.build());
  }

  /**
   * The kernel's host name where it can be read as a file (Linux): {@code
   * InetAddress.getLocalHost()} asks the resolver, which costs tens of milliseconds at best and
   * hangs for seconds in containers with a broken DNS setup.
   */
  private static String hostName() {
    for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
      try {
        String name =
            new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (Exception notThere) {
        // next
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }

  private static String osType(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    if (name.startsWith("mac")) {
      return "darwin";
    }
    return name.isEmpty() ? "unknown" : name.split(" ")[0];
  }
}
