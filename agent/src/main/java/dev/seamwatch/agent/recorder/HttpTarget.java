package dev.seamwatch.agent.recorder;

import java.util.Locale;

/**
 * What the recorder keeps of a request URL: the parts the semantic conventions ask for, with
 * privacy applied, and the low-cardinality path template that names the operation.
 *
 * <ul>
 *   <li>{@link #redactedUrl}: scheme, host, port, path and query <em>keys</em>. User-info and query
 *       values become {@code REDACTED}; a query parameter without {@code =} is treated as a value.
 *       The fragment is dropped (it is never sent).
 *   <li>{@link #pathTemplate}: numeric, UUID and long hex segments become {@code {id}}.
 * </ul>
 *
 * <p>Hand-written rather than {@link java.net.URI}: it runs on every call, must accept whatever a
 * client accepted (URI rejects some of it), and must never throw.
 */
public final class HttpTarget {

  static final String REDACTED = "REDACTED";
  private static final int MAX_URL_LENGTH = 2048;
  private static final int MAX_TEMPLATE_LENGTH = 256;

  public final String scheme;
  public final String host;
  public final int port;
  public final String redactedUrl;
  public final String pathTemplate;

  /** The path, path-parameter values redacted, for the catalog's prefixes and templates. */
  public final String path;

  /** The integration this target belongs to: scheme, host and port. */
  private final String integrationKey;

  /** The URL as the client gave it, for {@link Cache} only: never exported or logged. */
  private final String url;

  /** The start attributes of this URL's spans, once built (see {@link CallSpans.Shared}). */
  CallSpans.Shared spanAttributes;

  private HttpTarget(
      String url,
      String scheme,
      String host,
      int port,
      String redactedUrl,
      String pathTemplate,
      String path) {
    this.url = url;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.redactedUrl = redactedUrl;
    this.pathTemplate = pathTemplate;
    this.path = path;
    this.integrationKey = scheme + "://" + host + ":" + port;
  }

  /** The integration this target belongs to: scheme, host and port. */
  public String integrationKey() {
    return integrationKey;
  }

  /**
   * The targets of the URLs parsed last, so that a service calling the same URLs again and again
   * parses each one once: a fixed table of slots indexed by the URL's hash, each holding the last
   * URL that fell there, which a new one replaces. Memory stays bounded whatever the number of
   * distinct URLs (and URLs longer than {@link #MAX_CACHED_URL} are not kept at all). Slots are
   * read and written without locks: a target is immutable, so a racing reader sees a whole one, and
   * it only uses one whose URL equals its own; a lost write costs one more parse.
   */
  static final class Cache {
    static final int MAX_CACHED_URL = 512;
    private final HttpTarget[] slots;

    /** {@code size} is rounded up to a power of two. */
    Cache(int size) {
      slots = new HttpTarget[Integer.highestOneBit(Math.max(1, size - 1)) << 1];
    }

    HttpTarget parse(String url) {
      if (url == null || url.length() > MAX_CACHED_URL) {
        return HttpTarget.parse(url);
      }
      int hash = url.hashCode();
      int slot = (hash ^ (hash >>> 16)) & (slots.length - 1);
      HttpTarget target = slots[slot];
      if (target == null || !url.equals(target.url)) {
        target = HttpTarget.parse(url);
        slots[slot] = target;
      }
      return target;
    }
  }

  public static HttpTarget parse(String url) {
    if (url == null) {
      return new HttpTarget(null, "unknown", "unknown", 0, "", "/", "/");
    }
    int schemeEnd = url.indexOf("://");
    String scheme = schemeEnd > 0 ? url.substring(0, schemeEnd).toLowerCase(Locale.ROOT) : "http";
    int authorityStart = schemeEnd > 0 ? schemeEnd + 3 : 0;
    int authorityEnd = indexOfAny(url, authorityStart, "/?#");
    String authority = url.substring(authorityStart, authorityEnd);
    int at = authority.lastIndexOf('@');
    boolean hadUserInfo = at >= 0;
    String hostPort = hadUserInfo ? authority.substring(at + 1) : authority;

    String host = hostPort;
    int port = -1;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && hostPort.indexOf(']', colon) < 0) {
      host = hostPort.substring(0, colon);
      port = parsePort(hostPort.substring(colon + 1));
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    host = host.toLowerCase(Locale.ROOT);
    if (port < 0) {
      port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : 0;
    }

    int pathEnd = indexOfAny(url, authorityEnd, "?#");
    String path = url.substring(authorityEnd, pathEnd);
    if (path.isEmpty()) {
      path = "/";
    }
    int fragment = url.indexOf('#', pathEnd);
    String query =
        pathEnd < url.length() && url.charAt(pathEnd) == '?'
            ? url.substring(pathEnd + 1, fragment < 0 ? url.length() : fragment)
            : null;

    // Path parameters (";jsessionid=...") carry session ids: their values are redacted like
    // query values, and they are left out of the template.
    path = redactPathParameters(path);
    StringBuilder redacted = new StringBuilder(Math.min(url.length(), MAX_URL_LENGTH) + 16);
    redacted.append(scheme).append("://");
    if (hadUserInfo) {
      redacted.append(REDACTED).append(':').append(REDACTED).append('@');
    }
    redacted.append(hostPort).append(path);
    if (query != null) {
      redacted.append('?');
      appendRedactedQuery(redacted, query);
    }
    String redactedUrl =
        redacted.length() > MAX_URL_LENGTH
            ? redacted.substring(0, MAX_URL_LENGTH)
            : redacted.toString();
    return new HttpTarget(url, scheme, host, port, redactedUrl, template(path), path);
  }

  private static void appendRedactedQuery(StringBuilder out, String query) {
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        if (out.charAt(out.length() - 1) != '?') {
          out.append('&');
        }
        int eq = query.indexOf('=', start);
        if (eq >= 0 && eq < end) {
          out.append(query, start, eq).append('=').append(REDACTED);
        } else {
          out.append(REDACTED);
        }
      }
      start = end + 1;
    }
  }

  private static String redactPathParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      out.append(c);
      if (c == '=' && path.lastIndexOf(';', i) > path.lastIndexOf('/', i)) {
        out.append(REDACTED);
        while (i + 1 < path.length() && path.charAt(i + 1) != ';' && path.charAt(i + 1) != '/') {
          i++;
        }
      }
      i++;
    }
    return out.toString();
  }

  /** The path without its segments' parameters ({@code /a;jsessionid=1/b} is {@code /a/b}). */
  private static String withoutPathParameters(String path) {
    StringBuilder out = new StringBuilder(path.length());
    boolean inParameters = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        inParameters = false;
      } else if (c == ';') {
        inParameters = true;
      }
      if (!inParameters) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The path with identifier-like segments replaced by {@code {id}}. */
  static String template(String path) {
    if (path.indexOf(';') >= 0) {
      path = withoutPathParameters(path);
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = 0;
    while (start < path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      if (end > start) {
        out.append(isIdentifier(path, start, end) ? "{id}" : path.substring(start, end));
      }
      if (slash >= 0) {
        out.append('/');
        start = slash + 1;
      } else {
        break;
      }
      if (out.length() > MAX_TEMPLATE_LENGTH) {
        break;
      }
    }
    if (out.length() == 0) {
      return "/";
    }
    return out.length() > MAX_TEMPLATE_LENGTH
        ? out.substring(0, MAX_TEMPLATE_LENGTH)
        : out.toString();
  }

  private static boolean isIdentifier(String s, int start, int end) {
    int length = end - start;
    boolean allDigits = true;
    boolean allHex = true;
    int digits = 0;
    int dashes = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else {
        allDigits = false;
        if (c == '-') {
          dashes++;
        } else if (!((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
          allHex = false;
        }
      }
    }
    if (allDigits) {
      return true;
    }
    if (!allHex) {
      return false;
    }
    if (length == 36 && dashes == 4) {
      return s.charAt(start + 8) == '-'
          && s.charAt(start + 13) == '-'
          && s.charAt(start + 18) == '-'
          && s.charAt(start + 23) == '-';
    }
    // Hex ids (hashes, object ids): long enough, and with a digit, so that words such as
    // "cafe" or "deadbeef-feed" stay.
    return dashes == 0 && length >= 8 && digits > 0;
  }

  private static int parsePort(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return -1;
    }
    int port = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535 ? port : -1;
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }
}
