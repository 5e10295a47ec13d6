package dev.seamwatch.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.instrumentation.NamedTypesInstrumentation;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.example.mismatched.Publisher;
import org.example.mismatched.Relay;
import org.junit.jupiter.api.Test;

/**
 * A library class the advice cannot bind to (here: a field the advice reads is missing), as Byte
 * Buddy really reports it: the class is left as it is, and the agent says so in one line per
 * instrumentation, naming the class and why.
 */
class InstallerTest {

  @Test
  void aClassTheAdviceCannotBindToIsLeftAsItIsWithOneLine() throws IOException {
    Installer installer = new Installer(null, List.of(new Mismatched("sequence")));
    List<String> lines;
    byte[] publisher;
    byte[] relay;
    try (StderrCapture capture = new StderrCapture()) {
      publisher = transform(installer, Publisher.class);
      relay = transform(installer, Relay.class);
      lines = capture.lines();
    }
    assertThat(publisher).isNull();
    assertThat(relay).isNull();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith(
            "[seamwatch] instrumentation mismatched failed on org.example.mismatched.Publisher")
        .contains("it stays off for that class")
        .contains("Cannot locate field named sequence");
  }

  @Test
  void aClassTheAdviceFitsIsRewrittenWithoutALine() throws IOException {
    Installer installer = new Installer(null, List.of(new Mismatched("nextSequence")));
    List<String> lines;
    byte[] publisher;
    try (StderrCapture capture = new StderrCapture()) {
      publisher = transform(installer, Publisher.class);
      lines = capture.lines();
    }
    assertThat(publisher).isNotNull();
    assertThat(lines).isEmpty();
  }

  private static byte[] transform(Installer installer, Class<?> type) throws IOException {
    String internalName = type.getName().replace('.', '/');
    byte[] classFile;
    try (InputStream in = type.getClassLoader().getResourceAsStream(internalName + ".class")) {
      classFile = in.readAllBytes();
    }
    return installer.transform(
        type.getModule(),
        type.getClassLoader(),
        internalName,
        null,
        type.getProtectionDomain(),
        classFile);
  }

  /** Puts advice reading the long field {@code field} on every {@code publish} of both classes. */
  private static final class Mismatched extends NamedTypesInstrumentation {
    private final String field;

    Mismatched(String field) {
      super("mismatched", "messaging", Publisher.class.getName(), Relay.class.getName());
      this.field = field;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
      Class<?> advice = field.equals("sequence") ? SequenceAdvice.class : NextSequenceAdvice.class;
      return builder.visit(Advice.to(advice).on(named("publish")));
    }
  }

  public static final class SequenceAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("sequence") long sequence) {}
  }

  public static final class NextSequenceAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("nextSequence") long sequence) {}
  }

  /** What the agent's logger writes to stderr meanwhile, line by line. */
  private static final class StderrCapture implements AutoCloseable {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream original = System.err;

    StderrCapture() {
      SeamwatchLog.setLevel("info");
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    List<String> lines() {
      return err.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
