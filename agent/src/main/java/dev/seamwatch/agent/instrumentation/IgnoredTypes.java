package dev.seamwatch.agent.instrumentation;

/**
 * The cheap first filter every loaded class goes through, by name only: most classes a JVM loads
 * can never hold an external call we hook, and rejecting them here keeps type matching off the
 * startup path.
 */
public final class IgnoredTypes {

  /** The OpenTelemetry Java agent's packages, its class loaders' among them. */
  private static final String OTEL_JAVAAGENT = "io.open".concat("telemetry.javaagent.");

  private static final String[] IGNORED_PREFIXES = {
    "dev.seamwatch.",
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "org.w3c.",
    "org.xml.",
    "org.ietf.",
    // Built at run time: the build relocates the agent's own copies of Kotlin, Byte Buddy and
    // OpenTelemetry, and rewrites every string constant naming their packages into the copies'
    // (here, ones starting "dev.seamwatch.", which would then ignore nothing new).
    "kot".concat("lin."),
    "scala.",
    "groovy.",
    "org.codehaus.groovy.",
    "org.slf4j.",
    "ch.qos.logback.",
    "org.apache.logging.log4j.",
    "com.fasterxml.jackson.",
    "com.google.common.",
    "com.google.protobuf.",
    "org.junit.",
    "org.assertj.",
    "org.apache.maven.",
    "org.gradle.",
    "net.byte".concat("buddy."),
    OTEL_JAVAAGENT,
  };

  /** JDK packages that hold clients we instrument, let through the JDK exclusion above. */
  private static final String[] JDK_CLIENT_PREFIXES = {
    "jdk.internal.net.http.",
    "sun.net.www.protocol.http.",
    "sun.net.www.protocol.https.",
    // HttpURLConnection's wire: the request lines it writes get the trace context.
    "sun.net.www.http.HttpClient"
  };

  private IgnoredTypes() {}

  public static boolean ignored(String name) {
    for (String allowed : JDK_CLIENT_PREFIXES) {
      if (name.startsWith(allowed)) {
        return false;
      }
    }
    for (String prefix : IGNORED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    // Generated classes: lambdas, proxies, and other agents' and frameworks' subclasses.
    return name.contains("$$Lambda")
        || isJdkProxy(name)
        || name.contains("$$EnhancerBy")
        || name.contains("$ByteBuddy$")
        || name.contains("$HibernateProxy$");
  }

  /**
   * Whether the classes this loader defines belong to another agent, never to the application: the
   * OpenTelemetry Java agent's own class loaders hold its exporter's OkHttp under the library's own
   * names, and its exports are not the application's calls. Checked by name: the other agent's
   * types are out of Seamwatch's reach.
   */
  public static boolean ignoredLoader(ClassLoader loader) {
    return loader != null && loader.getClass().getName().startsWith(OTEL_JAVAAGENT);
  }

  /**
   * JDK proxies are named {@code $Proxy<n>}; a nested class named {@code $ProxyClient} is not one.
   */
  private static boolean isJdkProxy(String name) {
    int at = name.indexOf("$Proxy");
    return at >= 0 && at + 6 < name.length() && Character.isDigit(name.charAt(at + 6));
  }
}
