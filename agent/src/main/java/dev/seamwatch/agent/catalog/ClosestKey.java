package dev.seamwatch.agent.catalog;

import java.util.Locale;

/**
 * The known key that an unknown one was probably meant to be, for "did you mean" in a problem line:
 * the same key in another spelling ({@code latency_p99_ms}, {@code pathPrefix}), one or two typing
 * slips away ({@code ownr}, {@code teir}), or a known key it starts ({@code latency}).
 */
final class ClosestKey {

  private ClosestKey() {}

  /** The closest of {@code known}, or null when none is close enough to be a fair guess. */
  static String of(String key, Iterable<String> known) {
    String normal = normalize(key);
    if (normal.isEmpty()) {
      return null;
    }
    // A third of the length, so that short keys only get suggestions for a single slip.
    int allowed = Math.max(1, Math.min(2, normal.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      String other = normalize(candidate);
      if (other.equals(normal)) {
        return candidate;
      }
      int distance = distance(normal, other);
      if (distance <= allowed && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best != null) {
      return best;
    }
    if (normal.length() >= 4) {
      for (String candidate : known) {
        String other = normalize(candidate);
        if (other.startsWith(normal) || normal.startsWith(other)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static String normalize(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '-' && c != '_' && c != ' ') {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as
   * one edit (optimal string alignment), since swapped letters are the commonest typo.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[a.length()][b.length()];
  }
}
