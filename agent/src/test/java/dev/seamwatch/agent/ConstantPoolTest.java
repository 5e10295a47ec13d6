package dev.seamwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConstantPoolTest {

  private static final byte[][] JAVA_SQL = {"java/sql/".getBytes(StandardCharsets.US_ASCII)};

  private static byte[] classFile(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  /** Implements JDBC: its constant pool names java/sql types. */
  abstract static class SomeStatement implements java.sql.Statement {}

  /** Only uses a JDBC type in a signature. */
  static class UsesResultSet {
    java.sql.ResultSet rows() {
      return null;
    }
  }

  static class NoJdbc {
    String hello(long value, double other) {
      return "x" + value + other + Long.MAX_VALUE;
    }
  }

  @Test
  void classImplementingJdbcMentionsJavaSql() throws IOException {
    assertThat(ConstantPool.mentionsAny(classFile(SomeStatement.class), JAVA_SQL)).isTrue();
  }

  @Test
  void signatureUseOfJdbcMentionsJavaSql() throws IOException {
    assertThat(ConstantPool.mentionsAny(classFile(UsesResultSet.class), JAVA_SQL)).isTrue();
  }

  @Test
  void classWithoutJdbcDoesNotMentionIt() throws IOException {
    assertThat(ConstantPool.mentionsAny(classFile(NoJdbc.class), JAVA_SQL)).isFalse();
    assertThat(ConstantPool.mentionsAny(classFile(String.class), JAVA_SQL)).isFalse();
  }

  @Test
  void garbageIsAcceptedForByteBuddyToDecide() {
    assertThat(ConstantPool.mentionsAny(new byte[] {1, 2, 3}, JAVA_SQL)).isTrue();
    byte[] truncated =
        new byte[] {
          (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 55, 0, 5, 1, 0, 100
        };
    assertThat(ConstantPool.mentionsAny(truncated, JAVA_SQL)).isTrue();
  }
}
