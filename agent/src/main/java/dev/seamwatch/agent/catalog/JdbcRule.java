package dev.seamwatch.agent.catalog;

import java.util.Locale;

/**
 * One {@code match.jdbc} rule: a glob on the JDBC URL, without case. The URL is matched with its
 * credentials taken out (see {@link #withoutCredentials}), so that a pattern written for {@code
 * jdbc:postgresql://db:5432/orders} still matches when the service puts {@code ?user=...} in it,
 * and so that which user connects never decides the integration.
 */
final class JdbcRule {

  final Integration integration;
  private final Glob url;

  JdbcRule(Integration integration, Glob url) {
    this.integration = integration;
    this.url = url;
  }

  /** {@code jdbcUrl} must already be {@link #withoutCredentials}. */
  boolean matches(String jdbcUrl) {
    return url.matches(jdbcUrl);
  }

  /**
   * The URL without user-info ({@code //user:secret@host}, Oracle's {@code thin:user/secret@}) and
   * without the {@code user}, {@code username}, {@code password} (or any {@code *password*})
   * properties, whether given as {@code ?k=v&k=v} or as {@code ;k=v} (SQL Server, H2).
   */
  static String withoutCredentials(String url) {
    String s = url.trim();
    if (s.regionMatches(true, 0, "jdbc:oracle:", 0, 12)) {
      int driverEnd = s.indexOf(':', 12);
      int at = driverEnd < 0 ? -1 : s.indexOf('@', driverEnd);
      if (at > driverEnd + 1) {
        s = s.substring(0, driverEnd + 1) + s.substring(at);
      }
    }
    int authority = s.indexOf("//");
    if (authority >= 0) {
      int end = indexOfAny(s, authority + 2, "/?;");
      int at = s.lastIndexOf('@', end - 1);
      if (at > authority + 1) {
        s = s.substring(0, authority + 2) + s.substring(at + 1);
      }
    }
    int properties = indexOfAny(s, "jdbc:".length(), "?;");
    if (properties >= s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, properties);
    boolean inQuery = false;
    boolean queryWritten = false;
    int i = properties;
    while (i < s.length()) {
      char separator = s.charAt(i);
      int next = indexOfAny(s, i + 1, "?&;");
      if (separator == '?') {
        inQuery = true;
      }
      int eq = s.indexOf('=', i + 1);
      String key = s.substring(i + 1, eq < 0 || eq > next ? next : eq).trim();
      if (next > i + 1 && !isCredential(key)) {
        if (inQuery && separator != ';') {
          // The first pair written after '?' takes the '?', even if the pair that had it is gone.
          separator = queryWritten ? '&' : '?';
          queryWritten = true;
        }
        out.append(separator).append(s, i + 1, next);
      }
      i = next;
    }
    return out.toString();
  }

  private static boolean isCredential(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.equals("user") || k.equals("username") || k.contains("password");
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
