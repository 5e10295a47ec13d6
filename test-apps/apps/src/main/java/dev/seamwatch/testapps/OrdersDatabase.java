package dev.seamwatch.testapps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo's database: an embedded H2 behind a HikariCP pool of two connections. It writes orders
 * in a batch, reads them back one by one (the N+1 pattern) and all at once, runs a report that
 * returns many rows, trips a constraint, and has four workers contend for the pool.
 */
final class OrdersDatabase {

  private OrdersDatabase() {}

  static void run() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    config.setPoolName("orders-pool");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2))");
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
          for (int id = 1; id <= 500; id++) {
            insert.setInt(1, id);
            insert.setString(2, "customer-" + (id % 37));
            insert.setBigDecimal(3, java.math.BigDecimal.valueOf(id * 3, 1));
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      int found = 0;
      try (Connection connection = pool.getConnection();
          PreparedStatement byId =
              connection.prepareStatement("SELECT customer FROM orders WHERE id = ?")) {
        for (int id = 1; id <= 20; id++) {
          byId.setInt(1, id);
          try (ResultSet row = byId.executeQuery()) {
            found += row.next() ? 1 : 0;
          }
        }
      }
      int reportRows = 0;
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT customer, SUM(total) FROM orders WHERE total > 10.5 GROUP BY customer")) {
        while (rows.next()) {
          reportRows++;
        }
      }
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.executeUpdate("INSERT INTO orders VALUES (1, 'duplicate', 0)");
      } catch (SQLException e) {
        System.out.println("duplicate order rejected: SQLState " + e.getSQLState());
      }
      ExecutorService workers = Executors.newFixedThreadPool(4);
      for (int i = 0; i < 4; i++) {
        workers.submit(
            () -> {
              try (Connection connection = pool.getConnection();
                  Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT COUNT(*) FROM orders").close();
                Thread.sleep(250);
              }
              return null;
            });
      }
      workers.shutdown();
      workers.awaitTermination(10, TimeUnit.SECONDS);
      System.out.println(
          "orders database: 500 orders written, "
              + found
              + " read by id, "
              + reportRows
              + " report rows, 4 workers through a pool of 2");
    }
  }
}
