package dev.seamwatch.testapps.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs JDBC scenarios against H2, PostgreSQL or MariaDB, through {@link DriverManager} or a
 * HikariCP pool, and prints one deterministic line per scenario: {@code <scenario>: <outcome>}.
 * Outcomes hold counts and values, or {@code error=<exception class> sqlstate=<state>
 * [cause=<class>]}; never timings or messages. It knows nothing of Seamwatch.
 *
 * <p>Usage: {@code JdbcApp <jdbcUrl> <user> <password> driver|hikari scenario...}. {@code setup}
 * (re)creates the tables {@code items} (50 rows) and {@code customers} (3 rows) and must come
 * before the scenarios that read or change them; {@code cleanup} drops them. Every scenario opens
 * and closes its own connection. A scenario meant to succeed that throws prints {@code failed
 * error=...} (its stack trace goes to stderr) and the app exits with 1 after the last scenario.
 */
public final class JdbcApp {
  private static final int ITEMS = 50;
  private static final String SECRET_LITERAL = "secret-literal-4711";
  private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z0-9]+://[^:/]+):(\\d+)");

  private enum Db {
    H2,
    POSTGRESQL,
    MARIADB
  }

  @FunctionalInterface
  private interface Scenario {
    String run(JdbcApp app) throws Exception;
  }

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("setup", JdbcApp::setup);
    SCENARIOS.put("select-by-id", JdbcApp::selectById);
    SCENARIOS.put("select-all", JdbcApp::selectAll);
    SCENARIOS.put("select-partial", JdbcApp::selectPartial);
    SCENARIOS.put("select-literal", JdbcApp::selectLiteral);
    SCENARIOS.put("select-nested", JdbcApp::selectNested);
    SCENARIOS.put("select-elsewhere", JdbcApp::selectElsewhere);
    SCENARIOS.put("select-interleaved", JdbcApp::selectInterleaved);
    SCENARIOS.put("select-abandoned", JdbcApp::selectAbandoned);
    SCENARIOS.put("update", JdbcApp::update);
    SCENARIOS.put("batch", JdbcApp::batch);
    SCENARIOS.put("large-update", JdbcApp::largeUpdate);
    SCENARIOS.put("call", JdbcApp::call);
    SCENARIOS.put("syntax-error", JdbcApp::syntaxError);
    SCENARIOS.put("constraint-violation", JdbcApp::constraintViolation);
    SCENARIOS.put("query-timeout", JdbcApp::queryTimeout);
    SCENARIOS.put("refused", JdbcApp::refused);
    SCENARIOS.put("pool-wait", JdbcApp::poolWait);
    SCENARIOS.put("cleanup", JdbcApp::cleanup);
  }

  private final String url;
  private final String user;
  private final String password;
  private final boolean pooled;
  private final Db db;
  private HikariDataSource pool;

  private JdbcApp(String url, String user, String password, boolean pooled) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.pooled = pooled;
    this.db = dbOf(url);
  }

  public static void main(String[] args) {
    if (args.length < 5 || !(args[3].equals("driver") || args[3].equals("hikari"))) {
      usage("expected <jdbcUrl> <user> <password> driver|hikari scenario...");
    }
    List<String> scenarios = Arrays.asList(args).subList(4, args.length);
    for (String name : scenarios) {
      if (!SCENARIOS.containsKey(name)) {
        usage("unknown scenario " + name + "; known: " + SCENARIOS.keySet());
      }
    }
    JdbcApp app = new JdbcApp(args[0], args[1], args[2], args[3].equals("hikari"));
    boolean allOk = true;
    try {
      for (String name : scenarios) {
        String outcome;
        try {
          outcome = SCENARIOS.get(name).run(app);
        } catch (Exception e) {
          allOk = false;
          System.err.println("scenario " + name + " failed:");
          e.printStackTrace();
          outcome = "failed " + describe(e);
        }
        System.out.println(name + ": " + outcome);
        System.out.flush();
      }
    } finally {
      app.close();
    }
    System.exit(allOk ? 0 : 1);
  }

  private static void usage(String problem) {
    System.err.println("JdbcApp: " + problem);
    System.err.println(
        "usage: JdbcApp <jdbcUrl> <user> <password> driver|hikari scenario...; scenarios: "
            + SCENARIOS.keySet());
    System.exit(2);
  }

  private static Db dbOf(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return Db.H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return Db.POSTGRESQL;
    }
    if (url.startsWith("jdbc:mariadb:")) {
      return Db.MARIADB;
    }
    throw new IllegalArgumentException("unsupported JDBC URL " + url);
  }

  // ---- connections ----

  private Connection connect() throws SQLException {
    if (!pooled) {
      return DriverManager.getConnection(url, user, password);
    }
    if (pool == null) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(2);
      config.setPoolName("jdbc-app");
      pool = new HikariDataSource(config);
    }
    return pool.getConnection();
  }

  private void close() {
    if (pool != null) {
      pool.close();
    }
  }

  // ---- scenarios ----

  private String setup() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      dropAll(statement);
      statement.execute(
          "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100), price DECIMAL(10,2))");
      statement.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100))");
      int items;
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
        for (int id = 1; id <= ITEMS; id++) {
          insert.setInt(1, id);
          insert.setString(2, "item-" + id);
          insert.setBigDecimal(3, BigDecimal.valueOf(id * 125L, 2));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      int customers =
          statement.executeUpdate(
              "INSERT INTO customers (id, name) VALUES (1, 'ada'), (2, 'grace'), (3, 'linus')");
      switch (db) {
        case POSTGRESQL:
          statement.execute(
              "CREATE OR REPLACE FUNCTION item_count() RETURNS integer LANGUAGE sql"
                  + " AS 'SELECT count(*)::integer FROM items'");
          break;
        case MARIADB:
          statement.execute(
              "CREATE PROCEDURE item_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM items; END");
          break;
        default:
          break;
      }
      try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM items")) {
        count.next();
        items = count.getInt(1);
      }
      return "items=" + items + " customers=" + customers;
    }
  }

  private String selectById() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
      select.setInt(1, 7);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? "name=" + rows.getString(1) : "no row";
      }
    }
  }

  private String selectAll() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id, name FROM items")) {
      int count = 0;
      while (rows.next()) {
        rows.getInt(1);
        rows.getString(2);
        count++;
      }
      return "rows=" + count;
    }
  }

  private String selectPartial() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      int count = 0;
      try (ResultSet rows = statement.executeQuery("SELECT id, name FROM items ORDER BY id")) {
        while (count < 5 && rows.next()) {
          count++;
        }
      }
      return "rows=" + count;
    }
  }

  /**
   * A result set read in part, then dropped with its statement, neither closed; the application
   * then runs nothing else while the garbage collector takes them (a second, with GCs asked for).
   */
  private String selectAbandoned() throws Exception {
    try (Connection connection = connect()) {
      int read = readOneRowAndDrop(connection);
      for (int i = 0; i < 10; i++) {
        System.gc();
        Thread.sleep(100);
      }
      return "rows=" + read;
    }
  }

  private static int readOneRowAndDrop(Connection connection) throws SQLException {
    PreparedStatement statement =
        connection.prepareStatement("SELECT id, name FROM items WHERE id <= ? ORDER BY id");
    statement.setInt(1, 3);
    ResultSet rows = statement.executeQuery();
    return rows.next() ? 1 : 0;
  }

  /** An outer result set read row by row, with an inner query run and read for each row. */
  private String selectNested() throws SQLException {
    try (Connection connection = connect();
        Statement outer = connection.createStatement();
        PreparedStatement inner =
            connection.prepareStatement("SELECT name FROM items WHERE id BETWEEN ? AND ?")) {
      int outerRows = 0;
      int innerRows = 0;
      try (ResultSet rows = outer.executeQuery("SELECT id FROM items WHERE id <= 4 ORDER BY id")) {
        while (rows.next()) {
          outerRows++;
          int id = rows.getInt(1);
          inner.setInt(1, id);
          inner.setInt(2, id + 2);
          try (ResultSet names = inner.executeQuery()) {
            while (names.next()) {
              innerRows++;
            }
          }
        }
      }
      return "outer=" + outerRows + " inner=" + innerRows;
    }
  }

  /** Two result sets open at once, read in turns, the one run first until after the other. */
  private String selectInterleaved() throws SQLException {
    try (Connection connection = connect();
        Statement first = connection.createStatement();
        Statement second = connection.createStatement();
        ResultSet six =
            first.executeQuery("SELECT id, price FROM items WHERE id <= 6 ORDER BY id");
        ResultSet three = second.executeQuery("SELECT name FROM items WHERE id <= 3")) {
      int sixRows = 0;
      int threeRows = 0;
      boolean more = true;
      while (more) {
        more = false;
        if (six.next()) {
          sixRows++;
          more = true;
        }
        if (threeRows < 3 && three.next()) {
          threeRows++;
          more = true;
        }
      }
      // The second is left unread at its end, and closed by the try: a result set the application
      // does not read to the end.
      return "first=" + sixRows + " second=" + threeRows;
    }
  }

  /** A result set run on this thread and read on another one. */
  private String selectElsewhere() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM items WHERE id <= 12")) {
      int[] count = new int[1];
      Exception[] failure = new Exception[1];
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (rows.next()) {
                    count[0]++;
                  }
                } catch (Exception e) {
                  failure[0] = e;
                }
              },
              "rows-reader");
      reader.start();
      reader.join();
      if (failure[0] != null) {
        throw failure[0];
      }
      return "rows=" + count[0];
    }
  }

  private String selectLiteral() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT id FROM items WHERE name = '" + SECRET_LITERAL + "'")) {
      int count = 0;
      while (rows.next()) {
        count++;
      }
      return "rows=" + count;
    }
  }

  private String update() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement update =
            connection.prepareStatement("UPDATE items SET price = price + 1 WHERE id <= ?")) {
      update.setInt(1, 10);
      return "updated=" + update.executeUpdate();
    }
  }

  private String batch() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement update =
            connection.prepareStatement("UPDATE items SET name = ? WHERE id = ?")) {
      for (int id = 11; id <= 20; id++) {
        update.setString(1, "renamed-" + id);
        update.setInt(2, id);
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      return "statements=" + counts.length + " sum=" + Arrays.stream(counts).sum();
    }
  }

  private String largeUpdate() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      return "updated="
          + statement.executeLargeUpdate("UPDATE items SET price = price + 1 WHERE id > 40");
    } catch (SQLException | UnsupportedOperationException e) {
      return describe(e);
    }
  }

  private String call() throws SQLException {
    String sql;
    switch (db) {
      case POSTGRESQL:
        sql = "{? = call item_count()}";
        break;
      case MARIADB:
        sql = "{call item_count(?)}";
        break;
      default:
        return "unsupported";
    }
    try (Connection connection = connect();
        CallableStatement call = connection.prepareCall(sql)) {
      call.registerOutParameter(1, Types.INTEGER);
      call.execute();
      return "result=" + call.getInt(1);
    }
  }

  private String syntaxError() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      try (ResultSet ignored = statement.executeQuery("SELECT FROM WHERE")) {
        return "no error";
      } catch (SQLException e) {
        return describe(e);
      }
    }
  }

  private String constraintViolation() throws SQLException {
    try (Connection connection = connect();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
      insert.setInt(1, 1);
      insert.setString(2, "duplicate");
      try {
        return "no error, inserted=" + insert.executeUpdate();
      } catch (SQLException e) {
        return describe(e);
      }
    }
  }

  private String queryTimeout() throws SQLException {
    String slow;
    switch (db) {
      case POSTGRESQL:
        slow = "SELECT pg_sleep(3)";
        break;
      case MARIADB:
        slow = "SELECT SLEEP(3)";
        break;
      default:
        // H2 has no sleep function it can cancel; a huge cross join is checked for cancellation.
        slow = "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) a, SYSTEM_RANGE(1, 100000) b";
        break;
    }
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      try (ResultSet rows = statement.executeQuery(slow)) {
        return rows.next() ? "no error, value=" + rows.getString(1) : "no error, no row";
      } catch (SQLException e) {
        return describe(e);
      }
    }
  }

  private String refused() throws Exception {
    String refusedUrl = refusedUrl();
    if (!pooled) {
      try (Connection ignored = DriverManager.getConnection(refusedUrl, user, password)) {
        return "no error";
      } catch (SQLException e) {
        return describe(e);
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(refusedUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(1);
    config.setPoolName("jdbc-app-refused");
    // Hikari's default (initializationFailTimeout 1 ms): the pool tries one connection while it is
    // built and fails with that attempt's exception as its cause, however long the attempt took.
    try (HikariDataSource refusing = new HikariDataSource(config);
        Connection ignored = refusing.getConnection()) {
      return "no error";
    } catch (SQLException | RuntimeException e) {
      return describe(e);
    }
  }

  /** The app's URL with its port replaced by one where nothing listens. */
  private String refusedUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      port = socket.getLocalPort();
    }
    if (db == Db.H2) {
      return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:test";
    }
    Matcher matcher = HOST_PORT.matcher(url);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no host:port in " + url);
    }
    return "jdbc:"
        + db.name().toLowerCase()
        + "://127.0.0.1:"
        + port
        + url.substring(matcher.end());
  }

  private String poolWait() throws Exception {
    if (!pooled) {
      return "unsupported";
    }
    int threads = 3;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            executor.submit(
                () -> {
                  start.await();
                  try (Connection connection = connect();
                      Statement statement = connection.createStatement();
                      ResultSet rows = statement.executeQuery("SELECT 1")) {
                    rows.next();
                    int value = rows.getInt(1);
                    Thread.sleep(300);
                    return value;
                  }
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        if (result.get(30, TimeUnit.SECONDS) != 1) {
          return "unexpected value";
        }
      }
      return "ok";
    } finally {
      executor.shutdownNow();
    }
  }

  private String cleanup() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      dropAll(statement);
      return "ok";
    }
  }

  private void dropAll(Statement statement) throws SQLException {
    switch (db) {
      case POSTGRESQL:
        statement.execute("DROP FUNCTION IF EXISTS item_count()");
        break;
      case MARIADB:
        statement.execute("DROP PROCEDURE IF EXISTS item_count");
        break;
      default:
        break;
    }
    statement.execute("DROP TABLE IF EXISTS items");
    statement.execute("DROP TABLE IF EXISTS customers");
  }

  /**
   * {@code error=<class> [sqlstate=<state>] [cause=<class> [cause-sqlstate=<state>]]}: no message,
   * no timing.
   */
  private static String describe(Throwable e) {
    StringBuilder line = new StringBuilder("error=").append(e.getClass().getName());
    if (e instanceof SQLException) {
      line.append(" sqlstate=").append(((SQLException) e).getSQLState());
    }
    Throwable cause = e.getCause();
    if (cause != null) {
      line.append(" cause=").append(cause.getClass().getName());
      if (cause instanceof SQLException) {
        line.append(" cause-sqlstate=").append(((SQLException) cause).getSQLState());
      }
    }
    return line.toString();
  }
}
