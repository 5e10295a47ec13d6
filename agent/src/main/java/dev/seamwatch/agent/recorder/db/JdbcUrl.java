package dev.seamwatch.agent.recorder.db;

/**
 * What a JDBC URL says about the database behind it, for {@code db.system.name}, {@code
 * server.address}, {@code server.port}, {@code db.namespace} and the integration key. Credentials
 * never reach any of them: user-info and properties are dropped, not redacted.
 *
 * <p>Never throws; anything unrecognized gives {@code other_sql} and no server. The per-driver
 * grammars, and the choices made for fail-over lists, embedded databases and default ports, are in
 * {@link JdbcUrlParser}.
 */
public final class JdbcUrl {

  private static final JdbcUrl UNKNOWN = new JdbcUrl(JdbcUrlParser.OTHER_SQL, null, -1, null);

  private final String dbSystemName;
  private final String serverAddress;
  private final int serverPort;
  private final String namespace;
  private final String integrationKey;

  JdbcUrl(String dbSystemName, String serverAddress, int serverPort, String namespace) {
    this.dbSystemName = dbSystemName;
    this.serverAddress = serverAddress;
    this.serverPort = serverAddress == null ? -1 : serverPort;
    this.namespace = namespace;
    this.integrationKey = integrationKey(dbSystemName, serverAddress, this.serverPort, namespace);
  }

  public static JdbcUrl parse(String url) {
    if (url == null) {
      return UNKNOWN;
    }
    try {
      JdbcUrl parsed = JdbcUrlParser.parse(url.trim());
      return parsed == null ? UNKNOWN : parsed;
    } catch (RuntimeException e) {
      // A URL shape nobody foresaw must not break the application's connection.
      return UNKNOWN;
    }
  }

  /** {@code db.system.name}; {@code other_sql} when the driver is not known. */
  public String dbSystemName() {
    return dbSystemName;
  }

  /** {@code server.address}; null for an embedded database or when not known. */
  public String serverAddress() {
    return serverAddress;
  }

  /** {@code server.port}: as written or the driver's default; -1 when none. */
  public int serverPort() {
    return serverPort;
  }

  /** {@code db.namespace}: the database (and schema or instance where given); null if none. */
  public String namespace() {
    return namespace;
  }

  /** The quoting rules of this database, for {@link SqlSanitizer}. */
  public SqlDialect dialect() {
    return SqlDialect.forDbSystem(dbSystemName);
  }

  /**
   * System, server and database: {@code postgresql://db.example:5432/orders}, or {@code
   * h2database://embedded/test}. Low in cardinality and free of credentials.
   */
  public String integrationKey() {
    return integrationKey;
  }

  @Override
  public String toString() {
    return integrationKey;
  }

  private static String integrationKey(String system, String address, int port, String ns) {
    StringBuilder key = new StringBuilder(system).append("://");
    if (address == null) {
      key.append("embedded");
    } else {
      key.append(address.indexOf(':') >= 0 ? "[" + address + "]" : address);
      if (port > 0) {
        key.append(':').append(port);
      }
    }
    key.append('/');
    if (ns != null) {
      key.append(ns);
    }
    return key.toString();
  }
}
