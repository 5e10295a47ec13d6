package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The JDKs the end-to-end tests run applications on. */
public final class Jdks {
  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
  private static final Pattern QUOTED_VERSION = Pattern.compile("version \"([^\"]+)\"");

  private Jdks() {}

  /** The JDK running the tests. */
  public static Path current() {
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * The JDK the applications under test run on: the one named by the system property {@code
   * seamwatch.child.jdk} ({@code temurin-25}, or a JDK's home directory), else the JDK running the
   * tests. The build runs the whole end-to-end suite twice, once per JDK (see the e2e pom). Peers
   * (brokers, keytool) always run on the current JDK: they are not what is tested.
   */
  public static Path child() {
    String value = System.getProperty("seamwatch.child.jdk", "").trim();
    if (value.isEmpty()) {
      return current();
    }
    if (value.equals("temurin-25")) {
      return temurin25();
    }
    Path home = Path.of(value);
    if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
      throw new AssertionError(
          "seamwatch.child.jdk=" + value + " is neither temurin-25 nor a JDK home with bin/java");
    }
    return home;
  }

  /**
   * Temurin 25 under /usr/lib/jvm. Its absence fails the test rather than skipping it, because a
   * skipped JDK check looks like a passed one.
   */
  public static Path temurin25() {
    try (Stream<Path> dirs = Files.list(JVM_DIR)) {
      return dirs.filter(dir -> dir.getFileName().toString().startsWith("temurin-25"))
          .filter(dir -> Files.isExecutable(dir.resolve("bin").resolve("java")))
          .sorted()
          .findFirst()
          .orElseThrow(() -> new AssertionError(missingTemurin25()));
    } catch (IOException e) {
      throw new AssertionError(missingTemurin25(), e);
    }
  }

  /** The feature version (11, 17, 25...) of the JDK at javaHome. */
  public static int featureVersion(Path javaHome) {
    String version = releaseVersion(javaHome);
    if (version == null) {
      version = versionFromLauncher(javaHome);
    }
    // Before JDK 9 versions read "1.8.0_402"; the feature number is the second part.
    String feature = version.startsWith("1.") ? version.substring(2) : version;
    Matcher digits = Pattern.compile("^\\d+").matcher(feature);
    if (!digits.find()) {
      throw new AssertionError(
          "cannot read a feature version from '" + version + "' of " + javaHome);
    }
    return Integer.parseInt(digits.group());
  }

  private static String missingTemurin25() {
    return "No Temurin 25 JDK found: expected a directory "
        + JVM_DIR
        + "/temurin-25* containing bin/java. The JDK 25 tests need it installed on this machine.";
  }

  private static String releaseVersion(Path javaHome) {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return null;
    }
    try (var reader = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      String value = properties.getProperty("JAVA_VERSION");
      return value == null ? null : value.replace("\"", "");
    } catch (IOException e) {
      return null;
    }
  }

  private static String versionFromLauncher(Path javaHome) {
    String java = javaHome.resolve("bin").resolve("java").toString();
    try {
      Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Matcher matcher = QUOTED_VERSION.matcher(output);
      if (!matcher.find()) {
        throw new AssertionError("cannot find a version in '" + java + " -version': " + output);
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + java + " -version", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + java + " -version", e);
    }
  }
}
