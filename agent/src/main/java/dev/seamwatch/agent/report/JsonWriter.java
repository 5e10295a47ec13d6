package dev.seamwatch.agent.report;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * A small streaming JSON writer, indented two spaces per level so that two reports diff line by
 * line. The agent bundles no JSON library: Jackson would add about 2 MB to a jar capped at 8 MB,
 * for one file of a fixed shape.
 */
final class JsonWriter {

  private final Writer out;
  private int depth;

  /** Whether the container being written has a value yet (it then needs a comma before more). */
  private boolean hasValue;

  private boolean afterName;

  JsonWriter(Writer out) {
    this.out = out;
  }

  JsonWriter beginObject() throws IOException {
    return open('{');
  }

  JsonWriter endObject() throws IOException {
    return close('}');
  }

  JsonWriter beginArray() throws IOException {
    return open('[');
  }

  JsonWriter endArray() throws IOException {
    return close(']');
  }

  JsonWriter name(String name) throws IOException {
    separate();
    string(name);
    out.write(": ");
    afterName = true;
    return this;
  }

  JsonWriter value(String value) throws IOException {
    separate();
    string(value);
    return this;
  }

  JsonWriter value(long value) throws IOException {
    separate();
    out.write(Long.toString(value));
    return this;
  }

  /**
   * Plain decimal notation, without trailing zeros ({@code 8}, {@code 0.125}): never {@code 1.0E7}
   * or {@code NaN}, which some JSON readers refuse.
   */
  JsonWriter value(double value) throws IOException {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    separate();
    out.write(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    return this;
  }

  JsonWriter value(boolean value) throws IOException {
    separate();
    out.write(value ? "true" : "false");
    return this;
  }

  /** Ends the document with a newline, as a text file should. */
  void finish() throws IOException {
    out.write('\n');
    out.flush();
  }

  private JsonWriter open(char bracket) throws IOException {
    separate();
    out.write(bracket);
    depth++;
    hasValue = false;
    return this;
  }

  private JsonWriter close(char bracket) throws IOException {
    depth--;
    if (hasValue) {
      newline();
    }
    out.write(bracket);
    hasValue = true;
    return this;
  }

  /** Before a name, or a value not following a name: a comma if needed, and a new line. */
  private void separate() throws IOException {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (hasValue) {
        out.write(',');
      }
      newline();
    }
    hasValue = true;
  }

  private void newline() throws IOException {
    out.write('\n');
    for (int i = 0; i < depth; i++) {
      out.write("  ");
    }
  }

  /**
   * Quotes, backslashes and control characters escaped; U+2028 and U+2029 too, which JavaScript
   * before ES2019 does not take in a string; and lone surrogates, which no UTF-8 encoder can write.
   * Everything else as it is (the file is UTF-8).
   */
  private void string(String s) throws IOException {
    out.write('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.write("\\\"");
          break;
        case '\\':
          out.write("\\\\");
          break;
        case '\n':
          out.write("\\n");
          break;
        case '\r':
          out.write("\\r");
          break;
        case '\t':
          out.write("\\t");
          break;
        case '\b':
          out.write("\\b");
          break;
        case '\f':
          out.write("\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || loneSurrogate(s, i)) {
            out.write(String.format("\\u%04x", (int) c));
          } else {
            out.write(c);
          }
      }
    }
    out.write('"');
  }

  private static boolean loneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
