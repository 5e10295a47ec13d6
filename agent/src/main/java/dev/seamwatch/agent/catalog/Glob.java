package dev.seamwatch.agent.catalog;

/**
 * A pattern from the catalog file, compiled once: {@code *} matches any run of characters (none
 * included, dots and slashes included), {@code ?} exactly one; every other character stands for
 * itself. No regular expression is involved, so matching allocates nothing and cannot backtrack
 * without bound.
 */
final class Glob {

  private final String text;
  private final char[] pattern;
  private final boolean ignoreCase;

  private Glob(String text, boolean ignoreCase) {
    this.text = text;
    this.ignoreCase = ignoreCase;
    this.pattern = text.toCharArray();
    if (ignoreCase) {
      // Per character, as the input is folded while matching: String.toLowerCase may change the
      // length (a dotted capital I), which would shift the pattern against the input.
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = Character.toLowerCase(pattern[i]);
      }
    }
  }

  /** A glob of a pattern that {@link #problem} accepts. */
  static Glob compile(String text, boolean ignoreCase) {
    return new Glob(text, ignoreCase);
  }

  /** Why {@code text} is not a usable pattern, or null when it is. */
  static String problem(String text) {
    if (text.isEmpty()) {
      return "expected a pattern, got an empty value";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return "a pattern has no spaces or control characters";
      }
      if (c == '[' || c == ']' || c == '{' || c == '}') {
        // Other glob dialects give these a meaning; silently taking them literally would leave
        // the user wondering why nothing matches.
        return "only * and ? are wildcards here ([...] and {...} are not supported)";
      }
    }
    return null;
  }

  boolean matches(String input) {
    if (input == null) {
      return false;
    }
    char[] p = pattern;
    int n = input.length();
    int pi = 0;
    int si = 0;
    int star = -1;
    int resume = 0;
    // The classic two-pointer wildcard match: on a mismatch, the last '*' swallows one more
    // character. Linear for the patterns people write (one or two stars).
    while (si < n) {
      if (pi < p.length && p[pi] == '*') {
        star = pi++;
        resume = si;
      } else if (pi < p.length && (p[pi] == '?' || same(p[pi], input.charAt(si)))) {
        pi++;
        si++;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] == '*') {
      pi++;
    }
    return pi == p.length;
  }

  private boolean same(char patternChar, char c) {
    if (patternChar == c) {
      return true;
    }
    if (!ignoreCase) {
      return false;
    }
    if (c >= 'A' && c <= 'Z') {
      return patternChar == c + ('a' - 'A');
    }
    return c >= 128 && patternChar == Character.toLowerCase(c);
  }

  @Override
  public String toString() {
    return text;
  }
}
