package dev.seamwatch.agent.catalog;

/**
 * One {@code match.http} rule: a host glob (without case), and optionally a scheme, a port and a
 * path prefix. The prefix is matched by whole segments: {@code /v2} matches {@code /v2} and {@code
 * /v2/orders}, not {@code /v2beta}.
 */
final class HttpRule {

  final Integration integration;
  private final Glob host;
  private final String scheme;
  private final int port;
  private final String pathPrefix;

  /**
   * @param scheme {@code http} or {@code https}, or null for any
   * @param port the port, or -1 for any
   * @param pathPrefix a path starting with {@code /}, or null for any
   */
  HttpRule(Integration integration, Glob host, String scheme, int port, String pathPrefix) {
    this.integration = integration;
    this.host = host;
    this.scheme = scheme;
    this.port = port;
    this.pathPrefix =
        pathPrefix == null || pathPrefix.equals("/")
            ? null
            : pathPrefix.endsWith("/")
                ? pathPrefix.substring(0, pathPrefix.length() - 1)
                : pathPrefix;
  }

  boolean hostMatches(String host) {
    return this.host.matches(host);
  }

  /** Everything but the host, which {@link Catalog} checks once per host and caches. */
  boolean restMatches(String scheme, int port, String path) {
    if (this.port >= 0 && this.port != port) {
      return false;
    }
    if (this.scheme != null && !this.scheme.equalsIgnoreCase(scheme)) {
      return false;
    }
    if (pathPrefix == null) {
      return true;
    }
    if (path == null || !path.startsWith(pathPrefix)) {
      return false;
    }
    if (path.length() == pathPrefix.length()) {
      return true;
    }
    char next = path.charAt(pathPrefix.length());
    return next == '/' || next == '?' || next == '#' || next == ';';
  }
}
