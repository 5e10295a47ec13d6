package dev.seamwatch.agent.catalog;

import dev.seamwatch.agent.config.AgentConfig;
import dev.seamwatch.bootstrap.SeamwatchLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The integration catalog: the integrations that an optional YAML file declares (setting {@code
 * seamwatch.config.file}), and the matching of each recorded call to the first of them whose rules
 * it satisfies. Loading never throws and never stops the application: each problem in the file is
 * one {@code [seamwatch]} line naming the file, the line and the key, and the valid rest is used.
 *
 * <pre>
 * version: 1                        # optional; the only version is 1
 * integrations:
 *   - name: payments-api            # required, unique; replaces the automatic integration key
 *     owner: team-payments          # optional
 *     tier: 1                       # optional: text or number, kept as written
 *     runbook: https://wiki/runbooks/payments   # optional
 *     slo:                          # optional
 *       latency-p99-ms: 300         # positive number: a call over it is an slo_breach
 *       error-rate: 0.01            # 0 to 1
 *     match:                        # required: http, jdbc, messaging; each a rule or a list
 *       http:
 *         host: "*.payments.internal"   # required glob (* and ?), without case
 *         port: 443                 # optional
 *         scheme: https             # optional: http or https
 *         path-prefix: /v2/         # optional, by whole segments, with case
 *       jdbc:
 *         url: "jdbc:postgresql://db-*.internal:5432/orders*"  # glob without case, on the URL
 *                                   # with user-info and user/password properties taken out
 *       messaging:                  # at least one of:
 *         system: kafka             # kafka, rabbitmq or jms
 *         destination: "orders.*"   # glob with case: topic, queue or exchange
 *         server: "kafka-*:9092"    # glob without case on the broker's host:port
 *     templates: ["/v2/orders/{id}/lines/{line}"]   # optional; {x} is one non-empty segment
 * </pre>
 *
 * <p>Matching runs on every recorded call: globs and templates are compiled at load, and the
 * per-host and per-URL results are cached, within a bound, so that a match allocates nothing once
 * its host or URL has been seen.
 */
public final class Catalog {

  /** The setting that names the file. */
  public static final String FILE_SETTING = "seamwatch.config.file";

  /** Past this many distinct hosts (or JDBC URLs), lookups still work but are not cached. */
  static final int MAX_CACHED = 1024;

  /** A catalog is a few kilobytes; a setting that names some other, huge file must not cost. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final int[] NO_RULES = new int[0];
  private static final Object NO_MATCH = new Object();
  private static final Catalog EMPTY =
      new Catalog(
          Collections.emptyList(),
          Collections.emptyList(),
          Collections.emptyList(),
          Collections.emptyList());

  private final List<Integration> integrations;
  private final HttpRule[] httpRules;
  private final JdbcRule[] jdbcRules;
  private final MessagingRule[] messagingRules;

  /** Host as given to {@link #matchHttp} to the indexes of the HTTP rules whose host matches. */
  private final ConcurrentHashMap<String, int[]> rulesByHost = new ConcurrentHashMap<>();

  /** JDBC URL to its integration, or {@link #NO_MATCH}. */
  private final ConcurrentHashMap<String, Object> jdbcMatches = new ConcurrentHashMap<>();

  private Catalog(
      List<Integration> integrations,
      List<HttpRule> httpRules,
      List<JdbcRule> jdbcRules,
      List<MessagingRule> messagingRules) {
    this.integrations = Collections.unmodifiableList(new ArrayList<>(integrations));
    this.httpRules = httpRules.toArray(new HttpRule[0]);
    this.jdbcRules = jdbcRules.toArray(new JdbcRule[0]);
    this.messagingRules = messagingRules.toArray(new MessagingRule[0]);
  }

  /** No integrations: every match gives null. */
  public static Catalog empty() {
    return EMPTY;
  }

  /**
   * The file named by {@code seamwatch.config.file} (a relative path is taken from the working
   * directory), or {@link #empty} when the setting is not given.
   */
  public static Catalog fromConfig(AgentConfig config) {
    String file = config.raw(FILE_SETTING);
    if (file == null) {
      return EMPTY;
    }
    Path path;
    try {
      path = Paths.get(file);
    } catch (InvalidPathException e) {
      SeamwatchLog.warn(
          "setting " + FILE_SETTING + "=" + file + " is not a valid path; no catalog is used");
      return EMPTY;
    }
    return load(path);
  }

  /** Reads a catalog file (UTF-8). Never throws: problems are logged, and the valid rest used. */
  public static Catalog load(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return unreadable(file, "larger than " + MAX_FILE_BYTES / 1024 + " KiB");
      }
      // A decoder that reports bad bytes: new String(bytes, UTF_8) would replace them silently.
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      return unreadable(file, "no such file");
    } catch (AccessDeniedException e) {
      return unreadable(file, "permission denied");
    } catch (CharacterCodingException e) {
      return unreadable(file, "not UTF-8 text");
    } catch (FileSystemException e) {
      return unreadable(file, e.getReason() != null ? e.getReason() : e.toString());
    } catch (IOException | RuntimeException e) {
      return unreadable(file, e.toString());
    }
    return parse(text, file.toString());
  }

  private static Catalog unreadable(Path file, String why) {
    SeamwatchLog.warn(
        "catalog " + file + ": cannot read the file (" + why + "); no catalog is used");
    return EMPTY;
  }

  /**
   * Reads catalog text; {@code sourceName} names it in problem lines. Never throws: problems are
   * logged, and the valid rest used.
   */
  public static Catalog parse(String yaml, String sourceName) {
    try {
      CatalogReader reader = CatalogReader.read(yaml == null ? "" : yaml, sourceName);
      for (String problem : reader.problems()) {
        SeamwatchLog.warn(problem);
      }
      if (reader.integrations.isEmpty()) {
        return EMPTY;
      }
      SeamwatchLog.debug(
          "catalog " + sourceName + ": " + reader.integrations.size() + " integration(s)");
      return new Catalog(
          reader.integrations, reader.httpRules, reader.jdbcRules, reader.messagingRules);
    } catch (RuntimeException | StackOverflowError e) {
      // A defect of ours must not keep the application from starting.
      SeamwatchLog.warn(
          "catalog " + sourceName + ": could not be read (" + e + "); no catalog is used");
      return EMPTY;
    }
  }

  /** The integrations, in file order. */
  public List<Integration> integrations() {
    return integrations;
  }

  /**
   * The first integration (in file order) with an HTTP rule that the call satisfies, or null.
   *
   * @param scheme {@code http} or {@code https}
   * @param host the host, without brackets for IPv6; compared without case
   * @param port the port, default ports filled in
   * @param path the path; a query may follow
   */
  public Integration matchHttp(String scheme, String host, int port, String path) {
    if (httpRules.length == 0) {
      return null;
    }
    String key = host == null ? "" : host;
    int[] candidates = rulesByHost.get(key);
    if (candidates == null) {
      candidates = rulesForHost(key);
      if (rulesByHost.size() < MAX_CACHED) {
        rulesByHost.putIfAbsent(key, candidates);
      }
    }
    for (int index : candidates) {
      HttpRule rule = httpRules[index];
      if (rule.restMatches(scheme, port, path)) {
        return rule.integration;
      }
    }
    return null;
  }

  private int[] rulesForHost(String host) {
    int[] matching = new int[httpRules.length];
    int count = 0;
    for (int i = 0; i < httpRules.length; i++) {
      if (httpRules[i].hostMatches(host)) {
        matching[count++] = i;
      }
    }
    return count == 0 ? NO_RULES : Arrays.copyOf(matching, count);
  }

  /**
   * The first integration with a JDBC rule that the connection URL satisfies, or null. Credentials
   * in the URL are taken out before matching.
   */
  public Integration matchJdbc(String jdbcUrl) {
    if (jdbcRules.length == 0 || jdbcUrl == null) {
      return null;
    }
    Object cached = jdbcMatches.get(jdbcUrl);
    if (cached == null) {
      String url = JdbcRule.withoutCredentials(jdbcUrl);
      cached = NO_MATCH;
      for (JdbcRule rule : jdbcRules) {
        if (rule.matches(url)) {
          cached = rule.integration;
          break;
        }
      }
      if (jdbcMatches.size() < MAX_CACHED) {
        jdbcMatches.putIfAbsent(jdbcUrl, cached);
      }
    }
    return cached == NO_MATCH ? null : (Integration) cached;
  }

  /**
   * The first integration with a messaging rule that the send satisfies, or null.
   *
   * @param system {@code messaging.system}: {@code kafka}, {@code rabbitmq}, {@code jms}
   * @param destination the topic, queue or exchange; may be null
   * @param server the broker's {@code host:port}; may be null
   */
  public Integration matchMessaging(String system, String destination, String server) {
    // No cache: rules are few, and each test is a string compare or a compiled glob.
    for (MessagingRule rule : messagingRules) {
      if (rule.matches(system, destination, server)) {
        return rule.integration;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "Catalog" + integrations;
  }
}
