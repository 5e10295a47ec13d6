package dev.seamwatch.agent.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A path template from the catalog, such as {@code /v2/orders/{id}/lines/{line}}: literal segments
 * and {@code {name}} segments, each of which matches exactly one non-empty path segment. It matches
 * the whole path; the query and fragment are not part of it, a trailing slash on either side is
 * tolerated, and path parameters ({@code ;jsessionid=...}) are left out of a segment.
 */
final class PathTemplate {

  private final String text;

  /** One entry per segment: the literal text, or null for a {@code {name}} segment. */
  private final String[] literals;

  private PathTemplate(String text, String[] literals) {
    this.text = text;
    this.literals = literals;
  }

  /** Why {@code text} is not a usable template, or null when it is. */
  static String problem(String text) {
    if (!text.startsWith("/")) {
      return "expected a path starting with /, such as /v2/orders/{id}";
    }
    if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
      return "a template is a path only, without ? or #";
    }
    if (text.contains("//")) {
      return "a template has no empty segment (//)";
    }
    for (String segment : segments(text)) {
      boolean variable = segment.startsWith("{") && segment.endsWith("}");
      if (variable) {
        String name = segment.substring(1, segment.length() - 1);
        if (name.isEmpty() || !isName(name)) {
          return "\""
              + segment
              + "\": a {name} uses letters, digits, '_', '-' or '.', and nothing else";
        }
      } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
        return "\"" + segment + "\": a {name} must be a whole segment";
      } else if (segment.indexOf('*') >= 0) {
        return "\"" + segment + "\": * is not a wildcard in a template; use {name} for a segment";
      } else if (segment.indexOf(';') >= 0) {
        return "\"" + segment + "\": path parameters (;) are not part of a template";
      }
    }
    return null;
  }

  /** A template that {@link #problem} accepts. */
  static PathTemplate compile(String text) {
    List<String> segments = segments(text);
    String[] literals = new String[segments.size()];
    for (int i = 0; i < literals.length; i++) {
      String segment = segments.get(i);
      literals[i] = segment.startsWith("{") ? null : segment;
    }
    return new PathTemplate(text, literals);
  }

  private static List<String> segments(String text) {
    List<String> segments = new ArrayList<>();
    int end = text.length();
    if (end > 1 && text.charAt(end - 1) == '/') {
      end--;
    }
    int start = 1;
    while (start < end) {
      int slash = text.indexOf('/', start);
      if (slash < 0 || slash > end) {
        slash = end;
      }
      segments.add(text.substring(start, slash));
      start = slash + 1;
    }
    return segments;
  }

  private static boolean isName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  String text() {
    return text;
  }

  /** Whether the path (a query or fragment may follow it) has this shape. Allocates nothing. */
  boolean matches(String path) {
    if (path == null) {
      return false;
    }
    int end = path.length();
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    int pos = end > 0 && path.charAt(0) == '/' ? 1 : 0;
    if (literals.length == 0) {
      return pos >= end;
    }
    for (String literal : literals) {
      if (pos > end) {
        return false;
      }
      int segmentEnd = pos;
      int valueEnd = -1;
      while (segmentEnd < end && path.charAt(segmentEnd) != '/') {
        if (valueEnd < 0 && path.charAt(segmentEnd) == ';') {
          valueEnd = segmentEnd;
        }
        segmentEnd++;
      }
      if (valueEnd < 0) {
        valueEnd = segmentEnd;
      }
      int length = valueEnd - pos;
      if (length == 0) {
        return false;
      }
      if (literal != null
          && (length != literal.length() || !path.regionMatches(pos, literal, 0, length))) {
        return false;
      }
      pos = segmentEnd + 1;
    }
    return pos > end;
  }

  @Override
  public String toString() {
    return text;
  }
}
