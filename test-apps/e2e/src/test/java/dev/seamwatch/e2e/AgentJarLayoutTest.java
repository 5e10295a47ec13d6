package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Inspects the packaged jar: only the premain class and the bridge can be loaded as classes by an
 * application class loader; everything else is hidden under {@code inst/} and relocated.
 */
class AgentJarLayoutTest {

  @Test
  void onlyThePremainClassAndTheBridgeAreVisibleClasses() throws IOException {
    List<String> visibleClasses = new ArrayList<>();
    List<String> otherVisibleFiles = new ArrayList<>();
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory() || name.startsWith("inst/")) {
          continue;
        }
        if (name.endsWith(".class")) {
          visibleClasses.add(name);
        } else if (!name.equals("META-INF/MANIFEST.MF")) {
          otherVisibleFiles.add(name);
        }
      }
    }
    assertThat(visibleClasses)
        .contains(
            "dev/seamwatch/premain/SeamwatchPremain.class", "dev/seamwatch/bootstrap/Bridge.class")
        .allMatch(
            name ->
                name.equals("dev/seamwatch/premain/SeamwatchPremain.class")
                    || name.startsWith("dev/seamwatch/bootstrap/"),
            "only the premain class and dev/seamwatch/bootstrap/**");
    assertThat(otherVisibleFiles).isEmpty();
  }

  @Test
  void hiddenClassesAreRelocatedUnderTheAgentPackage() throws IOException {
    List<String> misplaced = new ArrayList<>();
    int hidden = 0;
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("inst/") && name.endsWith(".classdata")) {
          hidden++;
          if (!name.startsWith("inst/dev/seamwatch/agent/")) {
            misplaced.add(name);
          }
        }
        if (name.startsWith("inst/") && name.endsWith(".class")) {
          misplaced.add(name);
        }
      }
    }
    assertThat(hidden).as("hidden classes").isGreaterThan(1000);
    assertThat(misplaced).isEmpty();
  }

  @Test
  void manifestDeclaresPremainAndRetransformation() throws IOException {
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class"))
          .isEqualTo("dev.seamwatch.premain.SeamwatchPremain");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
  }

  @Test
  void everyClassRunsOnJava11() throws IOException {
    List<String> tooNew = new ArrayList<>();
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") || name.endsWith(".classdata")) {
          int major = majorVersion(jar.getInputStream(entry));
          if (major > 55) {
            tooNew.add(name + " (" + major + ")");
          }
        }
      }
    }
    assertThat(tooNew).isEmpty();
  }

  /**
   * Advice is copied into the instrumented classes, some of which are old class files (Java 6 for
   * Apache HttpClient 4) that may not hold invokedynamic: a ClassFormatError there breaks the
   * application's own class. The agent is compiled with string concatenation inlined for this.
   */
  @Test
  void adviceHasNoInvokedynamic() throws IOException {
    List<String> withIndy = new ArrayList<>();
    int advice = 0;
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        if (entry.getName().startsWith("inst/dev/seamwatch/agent/instrumentation/")
            && entry.getName().endsWith("Advice.classdata")) {
          advice++;
          if (hasDynamicConstants(jar.getInputStream(entry).readAllBytes())) {
            withIndy.add(entry.getName());
          }
        }
      }
    }
    assertThat(advice).as("advice classes").isGreaterThan(10);
    assertThat(withIndy).isEmpty();
  }

  /**
   * The name filter lists Kotlin, Byte Buddy and the OpenTelemetry Java agent's packages, which the
   * build relocates in the agent's own copies; the relocation also rewrites string constants, and
   * would turn those names into the copies' (already ignored), leaving the originals unfiltered.
   */
  @Test
  void theNameFilterKeepsThePackageNamesTheBuildRelocates() throws IOException {
    List<String> strings;
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      JarEntry filter =
          jar.getJarEntry("inst/dev/seamwatch/agent/instrumentation/IgnoredTypes.classdata");
      assertThat(filter).isNotNull();
      strings = utf8Constants(jar.getInputStream(filter).readAllBytes());
    }
    assertThat(strings).contains("java.", "org.slf4j.");
    assertThat(strings).noneMatch(s -> s.startsWith("dev.seamwatch.agent.shaded."));
  }

  /** The texts of the class file's UTF-8 constants. */
  private static List<String> utf8Constants(byte[] c) {
    List<String> strings = new ArrayList<>();
    for (Constant constant : constants(c)) {
      if (constant.text() != null) {
        strings.add(constant.text());
      }
    }
    return strings;
  }

  /** Whether the class file has dynamic constants (17) or invokedynamic call sites (18). */
  private static boolean hasDynamicConstants(byte[] c) {
    return constants(c).stream().anyMatch(constant -> constant.tag() == 17 || constant.tag() == 18);
  }

  /** One entry of a constant pool: its tag, and its text for a UTF-8 entry (else null). */
  private record Constant(int tag, String text) {}

  /** The class file's constant pool, entry by entry (JVMS 4.4). */
  private static List<Constant> constants(byte[] c) {
    List<Constant> constants = new ArrayList<>();
    int count = ((c[8] & 0xFF) << 8) | (c[9] & 0xFF);
    int at = 10;
    for (int i = 1; i < count; i++) {
      int tag = c[at] & 0xFF;
      String text = null;
      switch (tag) {
        case 1 -> {
          int length = ((c[at + 1] & 0xFF) << 8) | (c[at + 2] & 0xFF);
          text = new String(c, at + 3, length, java.nio.charset.StandardCharsets.UTF_8);
          at += 3 + length;
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5;
        case 5, 6 -> {
          at += 9;
          i++;
        }
        case 7, 8, 16, 19, 20 -> at += 3;
        case 15 -> at += 4;
        default -> throw new AssertionError("unknown constant tag " + tag);
      }
      constants.add(new Constant(tag, text));
    }
    return constants;
  }

  @Test
  void jarIsSmallerThanEightMebibytes() throws IOException {
    assertThat(Files.size(ChildJvm.agentJar())).isLessThan(8L * 1024 * 1024);
  }

  private static int majorVersion(InputStream in) throws IOException {
    try (DataInputStream data = new DataInputStream(in)) {
      assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
      data.readUnsignedShort();
      return data.readUnsignedShort();
    }
  }
}
