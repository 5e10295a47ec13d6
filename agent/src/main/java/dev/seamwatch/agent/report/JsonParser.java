package dev.seamwatch.agent.report;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) into maps, lists, strings, {@code Long}, {@code Double},
 * {@code Boolean} and null. Anything else is refused with the line and column: comments, trailing
 * commas, single quotes, leading zeros, {@code NaN}, unescaped control characters, repeated keys,
 * content after the value. A report that parses by accident would make a diff lie. Written by hand
 * for the reason given on {@link JsonWriter}.
 */
final class JsonParser {

  /** Deeper than any report: a bound so that a hostile file cannot overflow the stack. */
  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private int depth;

  private JsonParser(String text) {
    this.text = text;
  }

  static Object parse(Reader in) throws IOException {
    StringBuilder b = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      b.append(buffer, 0, n);
    }
    return parse(b.toString());
  }

  static Object parse(String text) throws ReportFormatException {
    JsonParser parser = new JsonParser(text);
    // A byte order mark is not JSON, but some editors write one; RFC 8259 lets parsers skip it.
    if (text.startsWith("\uFEFF")) {
      parser.pos = 1;
    }
    parser.skipWhitespace();
    if (parser.pos >= text.length()) {
      throw parser.error("empty input, expected a JSON value");
    }
    Object value = parser.value();
    parser.skipWhitespace();
    if (parser.pos < text.length()) {
      throw parser.error("unexpected " + parser.found() + " after the end of the JSON value");
    }
    return value;
  }

  private Object value() throws ReportFormatException {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + found() + ", expected a value");
    }
  }

  private Map<String, Object> object() throws ReportFormatException {
    enter();
    pos++;
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + found() + ", expected a member name in double quotes");
      }
      int namePos = pos;
      String name = string();
      if (members.containsKey(name)) {
        pos = namePos;
        throw error("the member name \"" + name + "\" is repeated in this object");
      }
      skipWhitespace();
      if (peek() != ':') {
        throw error("unexpected " + found() + ", expected ':' after a member name");
      }
      pos++;
      skipWhitespace();
      members.put(name, value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return members;
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + found() + ", expected ',' or '}' in an object");
      }
    }
  }

  private List<Object> array() throws ReportFormatException {
    enter();
    pos++;
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return items;
    }
    while (true) {
      skipWhitespace();
      items.add(value());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return items;
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + found() + ", expected ',' or ']' in an array");
      }
    }
  }

  private void enter() throws ReportFormatException {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private String string() throws ReportFormatException {
    int start = pos;
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        pos = start;
        throw error("a string that is never closed");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return b.toString();
      }
      if (c < 0x20) {
        throw error("a control character (U+" + hex4(c) + ") in a string; it must be escaped");
      }
      if (c != '\\') {
        b.append(c);
        pos++;
        continue;
      }
      pos++;
      char e = pos < text.length() ? text.charAt(pos) : '\0';
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          b.append(unicodeEscape());
          break;
        default:
          pos--;
          throw error(
              "an invalid escape in a string (\\"
                  + (pos + 1 < text.length() ? text.charAt(pos + 1) : "")
                  + ")");
      }
      pos++;
    }
  }

  /** The four hex digits after {@code \}{@code u}; leaves pos on the last one. */
  private char unicodeEscape() throws ReportFormatException {
    if (pos + 4 >= text.length()) {
      throw error("a \\u escape needs four hexadecimal digits");
    }
    int value = 0;
    for (int i = 1; i <= 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      if (digit < 0) {
        throw error("a \\u escape needs four hexadecimal digits");
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return (char) value;
  }

  private Object number() throws ReportFormatException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("a number with a leading zero");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("unexpected " + found() + ", expected a digit");
    }
    boolean whole = true;
    if (peek() == '.') {
      whole = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("unexpected " + found() + ", expected a digit after the decimal point");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      whole = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("unexpected " + found() + ", expected a digit in the exponent");
      }
      digits();
    }
    String literal = text.substring(start, pos);
    if (whole) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooLarge) {
        // Falls through: a double holds it approximately; a field that wants a count says so.
      }
    }
    double value = Double.parseDouble(literal);
    if (Double.isInfinite(value)) {
      pos = start;
      throw error("the number " + literal + " is out of range");
    }
    return value;
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) throws ReportFormatException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + found() + ", expected a value");
    }
    pos += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  /** The character at pos, or NUL at the end (never a valid character where peek is used). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private String found() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    if (c < 0x20 || c == 0x7F) {
      return "character U+" + hex4(c);
    }
    return "'" + c + "'";
  }

  private static String hex4(char c) {
    String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return "0000".substring(hex.length()) + hex;
  }

  /** Lines end at \n, \r\n or \r, as JSON whitespace allows; columns count characters from 1. */
  private ReportFormatException error(String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < pos && i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r') {
        column++;
      }
    }
    return new ReportFormatException("line " + line + ", column " + column + ": " + message);
  }
}
