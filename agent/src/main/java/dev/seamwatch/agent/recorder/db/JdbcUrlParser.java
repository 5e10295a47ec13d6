package dev.seamwatch.agent.recorder.db;

import io.opentelemetry.semconv.DbAttributes.DbSystemNameValues;
import java.util.Locale;

/**
 * The URL grammars of the JDBC drivers, for {@link JdbcUrl}. Hand-written per driver, because each
 * has its own ({@link java.net.URI} accepts none of Oracle's or SQL Server's).
 *
 * <p>Choices: of several hosts (fail-over lists) the first is kept; an embedded database (in-memory
 * or file) has no server address; a port is the one written or the driver's default, except for a
 * SQL Server named instance, whose port the SQL Browser decides (-1). An Oracle TNS alias is
 * reported as the server address, with no port. User-info and properties are dropped, never copied,
 * so credentials cannot reach a field.
 */
final class JdbcUrlParser {

  // db.system.name values from the semantic conventions registry (model/db/registry.yaml, 2025):
  // postgresql, mysql, mariadb and microsoft.sql_server are stable; the others are still
  // "development" and have no constant in the stable opentelemetry-semconv artifact.
  static final String POSTGRESQL = DbSystemNameValues.POSTGRESQL;
  static final String MYSQL = DbSystemNameValues.MYSQL;
  static final String MARIADB = DbSystemNameValues.MARIADB;
  static final String SQL_SERVER = DbSystemNameValues.MICROSOFT_SQL_SERVER;
  static final String ORACLE = "oracle.db";
  static final String DB2 = "ibm.db2";
  static final String H2 = "h2database";
  static final String HSQLDB = "hsqldb";
  static final String DERBY = "derby";
  static final String SQLITE = "sqlite";
  static final String CLICKHOUSE = "clickhouse";
  static final String TRINO = "trino";
  static final String REDSHIFT = "aws.redshift";
  static final String HIVE = "hive";
  static final String OTHER_SQL = "other_sql";

  /** Drivers that wrap another: the URL goes on with the wrapped driver's. */
  private static final String[] WRAPPERS = {
    "p6spy:", "tracing:", "log4jdbc:", "otel:", "aws-wrapper:", "jdbc:"
  };

  private static final int MAX_NAMESPACE_LENGTH = 256;

  private JdbcUrlParser() {}

  /** Null when the text is not a JDBC URL at all. */
  static JdbcUrl parse(String url) {
    if (!startsWithIgnoreCase(url, 0, "jdbc:")) {
      return null;
    }
    String rest = url.substring(5);
    boolean unwrapped = true;
    while (unwrapped) {
      unwrapped = false;
      for (String wrapper : WRAPPERS) {
        if (startsWithIgnoreCase(rest, 0, wrapper)) {
          rest = rest.substring(wrapper.length());
          unwrapped = true;
        }
      }
    }
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String driver = rest.substring(0, colon).toLowerCase(Locale.ROOT);
    String body = rest.substring(colon + 1);
    switch (driver) {
      case "postgresql":
      case "pgsql":
        return postgresql(body);
      case "mysql":
        return server(MYSQL, body, 3306, "?");
      case "mysqlx":
        return server(MYSQL, body, 33060, "?");
      case "mysql+srv":
      case "mysqlx+srv":
        // The port comes from the DNS SRV record.
        return server(MYSQL, body, -1, "?");
      case "mariadb":
        return server(MARIADB, body, 3306, "?");
      case "sqlserver":
        return sqlServer(body);
      case "jtds":
        return jtds(body);
      case "oracle":
        return oracle(body);
      case "db2":
        return db2(body);
      case "h2":
        return h2(body);
      case "hsqldb":
        return hsqldb(body);
      case "derby":
        return derby(body);
      case "sqlite":
        return sqlite(body);
      case "clickhouse":
      case "ch":
        return server(CLICKHOUSE, body, 8123, "?");
      case "trino":
        return server(TRINO, body, 8080, "?");
      case "redshift":
        return server(REDSHIFT, body, 5439, "?");
      case "hive2":
        return server(HIVE, body, 10000, "?;");
      default:
        return server(OTHER_SQL, body, -1, "?;");
    }
  }

  /** {@code //host[:port][,host2...]/database?currentSchema=...}, or just {@code database}. */
  private static JdbcUrl postgresql(String body) {
    Authority a = Authority.parse(body, "?");
    if (a == null) {
      // jdbc:postgresql:database connects to localhost.
      String db = stripLeading(cut(body, "?"), '/');
      return new JdbcUrl(POSTGRESQL, "localhost", 5432, emptyToNull(db));
    }
    String schema = queryValue(a.query, "currentSchema", '&');
    if (schema != null) {
      schema = cut(schema, ",");
      if (schema.startsWith("$")) {
        schema = null; // "$user" stands for the login name
      }
    }
    // The PostgreSQL conventions name the namespace {database}|{schema}.
    String db = emptyToNull(a.path);
    String ns = db == null ? emptyToNull(schema) : schema == null ? db : db + "|" + schema;
    return new JdbcUrl(POSTGRESQL, a.hostOr("localhost"), a.portOr(5432), ns);
  }

  private static JdbcUrl server(String system, String body, int defaultPort, String pathEnd) {
    Authority a = Authority.parse(body, pathEnd);
    if (a == null) {
      return new JdbcUrl(system, null, -1, null);
    }
    return new JdbcUrl(system, a.hostOr("localhost"), a.portOr(defaultPort), emptyToNull(a.path));
  }

  /** {@code //host[\instance][:port][;property=value...]}. */
  private static JdbcUrl sqlServer(String body) {
    if (!body.startsWith("//")) {
      return new JdbcUrl(SQL_SERVER, null, -1, null);
    }
    int semicolon = body.indexOf(';');
    String hostPart = semicolon < 0 ? body.substring(2) : body.substring(2, semicolon);
    String properties = semicolon < 0 ? "" : body.substring(semicolon + 1);
    hostPart = afterLast(hostPart, '@');
    String host = hostPart;
    int port = -1;
    String instance = null;
    int portColon = hostPart.lastIndexOf(':');
    if (portColon >= 0 && hostPart.indexOf(']', portColon) < 0) {
      host = hostPart.substring(0, portColon);
      port = parsePort(hostPart.substring(portColon + 1));
    }
    int backslash = host.indexOf('\\');
    if (backslash >= 0) {
      instance = host.substring(backslash + 1);
      host = host.substring(0, backslash);
    }
    host = emptyToNull(host);
    if (host == null) {
      host = sqlServerProperty(properties, "serverName");
    }
    if (instance == null) {
      instance = sqlServerProperty(properties, "instanceName");
    }
    if (port < 0) {
      String portProperty = sqlServerProperty(properties, "portNumber");
      port = parsePort(portProperty != null ? portProperty : sqlServerProperty(properties, "port"));
    }
    String db = sqlServerProperty(properties, "databaseName");
    if (db == null) {
      db = sqlServerProperty(properties, "database");
    }
    if (port < 0 && instance == null) {
      port = 1433;
    }
    return new JdbcUrl(
        SQL_SERVER,
        validHost(host == null ? "localhost" : host),
        port,
        instanceAndDb(instance, db));
  }

  /** {@code jtds:sqlserver://host[:port][/database][;property=value...]}. */
  private static JdbcUrl jtds(String body) {
    if (!startsWithIgnoreCase(body, 0, "sqlserver:")) {
      return server(OTHER_SQL, body, -1, ";?");
    }
    Authority a = Authority.parse(body.substring("sqlserver:".length()), ";");
    if (a == null) {
      return new JdbcUrl(SQL_SERVER, null, -1, null);
    }
    String properties = a.query;
    String instance = sqlServerProperty(properties, "instance");
    int port = a.port > 0 ? a.port : instance != null ? -1 : 1433;
    String db = emptyToNull(a.path);
    if (db == null) {
      db = sqlServerProperty(properties, "databaseName");
    }
    return new JdbcUrl(SQL_SERVER, a.hostOr("localhost"), port, instanceAndDb(instance, db));
  }

  private static String instanceAndDb(String instance, String db) {
    // SQL Server conventions: {instance_name}|{database_name} for a named instance.
    if (instance == null) {
      return db;
    }
    return db == null ? instance : instance + "|" + db;
  }

  /**
   * After the last {@code @} (what precedes it may be user/password): {@code //host:port/service},
   * {@code host:port:SID}, {@code host:port/service}, a {@code (DESCRIPTION=...)} or a TNS alias.
   */
  private static JdbcUrl oracle(String body) {
    int at = body.lastIndexOf('@');
    if (at < 0) {
      return new JdbcUrl(ORACLE, null, -1, null);
    }
    String target = body.substring(at + 1).trim();
    if (target.startsWith("(")) {
      String host = descriptorValue(target, "HOST");
      int port = parsePort(descriptorValue(target, "PORT"));
      String service = descriptorValue(target, "SERVICE_NAME");
      if (service == null) {
        service = descriptorValue(target, "SID");
      }
      return new JdbcUrl(ORACLE, validHost(host), port > 0 ? port : 1521, service);
    }
    target = cut(target, "?");
    boolean slashes = false;
    int scheme = target.indexOf("://");
    if (scheme >= 0) {
      target = target.substring(scheme + 3);
      slashes = true;
    } else if (target.startsWith("//")) {
      target = target.substring(2);
      slashes = true;
    }
    int slash = target.indexOf('/');
    String hostPort = slash < 0 ? target : target.substring(0, slash);
    String service = slash < 0 ? null : emptyToNull(cut(target.substring(slash + 1), ":/,"));
    String host = hostPort;
    int port = -1;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = close < 0 ? hostPort.substring(1) : hostPort.substring(1, close);
      if (close >= 0 && close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
        port = parsePort(cut(hostPort.substring(close + 2), ":"));
      }
    } else {
      int colon = hostPort.indexOf(':');
      if (colon >= 0) {
        host = hostPort.substring(0, colon);
        String portAndSid = hostPort.substring(colon + 1);
        int sidColon = portAndSid.indexOf(':');
        port = parsePort(sidColon < 0 ? portAndSid : portAndSid.substring(0, sidColon));
        if (sidColon >= 0 && service == null) {
          service = emptyToNull(portAndSid.substring(sidColon + 1));
        }
      } else if (slash < 0 && !slashes) {
        // A TNS alias: tnsnames.ora, not the URL, knows the host and port.
        return new JdbcUrl(ORACLE, validHost(host), -1, null);
      }
    }
    return new JdbcUrl(ORACLE, validHost(host), port > 0 ? port : 1521, service);
  }

  /** {@code //host:port/database[:property=value;...]}, or a local catalog alias. */
  private static JdbcUrl db2(String body) {
    Authority a = Authority.parse(body, ":;?");
    if (a == null) {
      return new JdbcUrl(DB2, null, -1, emptyToNull(cut(body, ":;?")));
    }
    return new JdbcUrl(DB2, a.hostOr("localhost"), a.portOr(50000), emptyToNull(a.path));
  }

  /** {@code mem:name}, {@code tcp://host[:port]/path}, {@code ssl://...}, or a file path. */
  private static JdbcUrl h2(String body) {
    if (startsWithIgnoreCase(body, 0, "tcp:") || startsWithIgnoreCase(body, 0, "ssl:")) {
      Authority a = Authority.parse(body, ";");
      if (a != null) {
        return new JdbcUrl(H2, a.hostOr("localhost"), a.portOr(9092), emptyToNull(a.path));
      }
    }
    String database = cut(body, ";");
    if (startsWithIgnoreCase(database, 0, "mem:")) {
      return new JdbcUrl(H2, null, -1, emptyToNull(database.substring(4)));
    }
    if (startsWithIgnoreCase(database, 0, "file:")) {
      database = database.substring(5);
    }
    return new JdbcUrl(H2, null, -1, emptyToNull(database));
  }

  /** {@code mem:name}, {@code file:path}, {@code res:path}, {@code hsql://host[:port]/db}. */
  private static JdbcUrl hsqldb(String body) {
    int[] ports = {9001, 554, 80, 443};
    String[] schemes = {"hsql:", "hsqls:", "http:", "https:"};
    for (int i = 0; i < schemes.length; i++) {
      if (startsWithIgnoreCase(body, 0, schemes[i])) {
        Authority a = Authority.parse(body, ";");
        if (a == null) {
          return new JdbcUrl(HSQLDB, null, -1, null);
        }
        return new JdbcUrl(HSQLDB, a.hostOr("localhost"), a.portOr(ports[i]), emptyToNull(a.path));
      }
    }
    return new JdbcUrl(HSQLDB, null, -1, emptyToNull(stripPrefix(cut(body, ";"))));
  }

  /** {@code memory:name}, {@code directory:path}, a path, or {@code //host[:port]/database}. */
  private static JdbcUrl derby(String body) {
    if (body.startsWith("//")) {
      Authority a = Authority.parse(body, ";");
      if (a != null) {
        return new JdbcUrl(DERBY, a.hostOr("localhost"), a.portOr(1527), emptyToNull(a.path));
      }
    }
    return new JdbcUrl(DERBY, null, -1, emptyToNull(stripPrefix(cut(body, ";"))));
  }

  private static JdbcUrl sqlite(String body) {
    String path = cut(body, "?");
    if (path.isEmpty() || path.equals(":memory:") || path.equals("file::memory:")) {
      return new JdbcUrl(SQLITE, null, -1, null);
    }
    return new JdbcUrl(SQLITE, null, -1, emptyToNull(path));
  }

  /** Drops an embedded database's storage prefix: memory:, mem:, file:, directory:, res:... */
  private static String stripPrefix(String database) {
    String[] prefixes = {"memory:", "mem:", "file:", "directory:", "res:", "classpath:"};
    for (String prefix : prefixes) {
      if (startsWithIgnoreCase(database, 0, prefix)) {
        return database.substring(prefix.length());
      }
    }
    return database;
  }

  /** The value of {@code (KEY=value)} in an Oracle connect descriptor, first occurrence. */
  private static String descriptorValue(String descriptor, String key) {
    for (int i = descriptor.indexOf('('); i >= 0; i = descriptor.indexOf('(', i + 1)) {
      int keyStart = i + 1;
      while (keyStart < descriptor.length() && descriptor.charAt(keyStart) == ' ') {
        keyStart++;
      }
      if (!startsWithIgnoreCase(descriptor, keyStart, key)) {
        continue;
      }
      int eq = keyStart + key.length();
      while (eq < descriptor.length() && descriptor.charAt(eq) == ' ') {
        eq++;
      }
      if (eq >= descriptor.length() || descriptor.charAt(eq) != '=') {
        continue;
      }
      int close = descriptor.indexOf(')', eq);
      String value = descriptor.substring(eq + 1, close < 0 ? descriptor.length() : close);
      return emptyToNull(value.trim());
    }
    return null;
  }

  /**
   * A SQL Server property, key case-insensitive. Values may be braced ({@code password={a;b}}) so
   * that they can hold semicolons: splitting naively would read a property out of a password.
   */
  private static String sqlServerProperty(String properties, String key) {
    int i = 0;
    int n = properties.length();
    while (i < n) {
      int eq = properties.indexOf('=', i);
      int semicolon = properties.indexOf(';', i);
      if (eq < 0) {
        return null;
      }
      if (semicolon >= 0 && semicolon < eq) {
        i = semicolon + 1; // a property without a value
        continue;
      }
      String name = properties.substring(i, eq).trim();
      int valueStart = eq + 1;
      int valueEnd;
      int next;
      if (valueStart < n && properties.charAt(valueStart) == '{') {
        valueEnd = closingBrace(properties, valueStart + 1);
        next = properties.indexOf(';', valueEnd);
        valueStart++;
      } else {
        valueEnd = semicolon < 0 ? n : semicolon;
        next = semicolon;
      }
      if (name.equalsIgnoreCase(key)) {
        return emptyToNull(properties.substring(valueStart, Math.min(valueEnd, n)).trim());
      }
      if (next < 0) {
        return null;
      }
      i = next + 1;
    }
    return null;
  }

  /** The index of the brace closing a value opened before {@code from}; {@code }}} is a brace. */
  private static int closingBrace(String s, int from) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == '}') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '}') {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    return s.length();
  }

  private static String queryValue(String query, String key, char separator) {
    if (query == null) {
      return null;
    }
    int i = 0;
    while (i <= query.length()) {
      int end = query.indexOf(separator, i);
      if (end < 0) {
        end = query.length();
      }
      int eq = query.indexOf('=', i);
      if (eq >= 0 && eq < end && query.substring(i, eq).equals(key)) {
        return query.substring(eq + 1, end);
      }
      i = end + 1;
    }
    return null;
  }

  /**
   * {@code [user[:password]@]host[:port][,more hosts][/path][?query]} after the first {@code //}.
   * Connector/J's {@code address=(host=h)(port=p)} and {@code (host=h,port=p)} forms are read too.
   */
  private static final class Authority {
    String host;
    int port = -1;
    String path;
    String query;

    static Authority parse(String body, String pathEnd) {
      int slashes = body.indexOf("//");
      if (slashes < 0) {
        return null;
      }
      int start = slashes + 2;
      // User-info ends at the last @ before the query or properties, even past a slash: an
      // unencoded "/" in a password must not turn the rest of it into the database name. An @
      // after a "=" belongs to a property (Db2's ":password=p@ss;"), not to user-info.
      int userInfoLimit = indexOfAny(body, start, "?;=");
      int at = body.lastIndexOf('@', userInfoLimit - 1);
      if (at >= start) {
        start = at + 1;
      }
      int end = indexOfAny(body, start, "/?;");
      Authority a = new Authority();
      a.hostAndPort(body.substring(start, end));
      if (end < body.length() && body.charAt(end) == '/') {
        int pathStop = indexOfAny(body, end + 1, pathEnd);
        a.path = body.substring(end + 1, pathStop);
        if (pathStop < body.length()) {
          a.query = body.substring(pathStop + 1);
        }
      } else if (end < body.length()) {
        a.query = body.substring(end + 1);
      }
      if (a.path != null && a.path.length() > MAX_NAMESPACE_LENGTH) {
        a.path = null;
      }
      return a;
    }

    private void hostAndPort(String authority) {
      int keyed = indexOfIgnoreCase(authority, "host=");
      if (keyed >= 0) {
        host = cut(authority.substring(keyed + 5), "),");
        int portKey = indexOfIgnoreCase(authority, "port=");
        port = portKey < 0 ? -1 : parsePort(cut(authority.substring(portKey + 5), "),"));
        return;
      }
      String first = authority;
      if (first.startsWith("[")) {
        int close = first.indexOf(']');
        if (close > 0) {
          host = first.substring(1, close);
          String after = first.substring(close + 1);
          if (after.startsWith(":")) {
            port = parsePort(cut(after.substring(1), ","));
          }
          return;
        }
      }
      first = cut(first, ",");
      int colon = first.lastIndexOf(':');
      if (colon >= 0) {
        host = first.substring(0, colon);
        port = parsePort(first.substring(colon + 1));
      } else {
        host = first;
      }
    }

    String hostOr(String fallback) {
      String valid = validHost(host);
      if (valid != null) {
        return valid;
      }
      return host == null || host.trim().isEmpty() ? fallback : null;
    }

    int portOr(int fallback) {
      return port > 0 ? port : fallback;
    }
  }

  /** A host name or IP literal, or null: nothing else may pass as server.address. */
  private static String validHost(String host) {
    if (host == null) {
      return null;
    }
    String h = host.trim();
    if (h.isEmpty() || h.length() > 253) {
      return null;
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_'
              || c == ':'
              || c == '%';
      if (!ok) {
        return null;
      }
    }
    return h;
  }

  private static int parsePort(String text) {
    if (text == null) {
      return -1;
    }
    String t = text.trim();
    if (t.isEmpty() || t.length() > 5) {
      return -1;
    }
    int port = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65535 ? port : -1;
  }

  private static String cut(String s, String stops) {
    return s.substring(0, indexOfAny(s, 0, stops));
  }

  private static String afterLast(String s, char c) {
    return s.substring(s.lastIndexOf(c) + 1);
  }

  private static String stripLeading(String s, char c) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == c) {
      i++;
    }
    return s.substring(i);
  }

  private static String emptyToNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    return t.isEmpty() || t.length() > MAX_NAMESPACE_LENGTH ? null : t;
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  private static int indexOfIgnoreCase(String s, String part) {
    for (int i = 0; i + part.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, part, 0, part.length())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWithIgnoreCase(String s, int offset, String prefix) {
    return s.regionMatches(true, offset, prefix, 0, prefix.length());
  }
}
