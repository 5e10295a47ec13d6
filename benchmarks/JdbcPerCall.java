import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * JDBC per-call cost on H2 in memory, in steady state: a prepared SELECT by primary key (one
 * row read), and a prepared SELECT reading 1,000 rows (the cost of counting rows). Prints the
 * best of seven rounds of each, in microseconds, as "pk=<us> rows1000=<us>".
 */
public final class JdbcPerCall {

  public static void main(String[] args) throws Exception {
    Connection connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50))");
      for (int i = 0; i < 1000; i++) {
        statement.execute("INSERT INTO t VALUES (" + i + ", 'n" + i + "')");
      }
    }
    PreparedStatement byId = connection.prepareStatement("SELECT name FROM t WHERE id = ?");
    PreparedStatement all = connection.prepareStatement("SELECT id FROM t WHERE id < 1000");
    long sink = 0;
    for (int i = 0; i < 200_000; i++) {
      sink += byId(byId, i % 1000);
    }
    for (int i = 0; i < 3_000; i++) {
      sink += all(all);
    }
    double pk = Double.MAX_VALUE;
    double rows = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < 200_000; i++) {
        sink += byId(byId, i % 1000);
      }
      pk = Math.min(pk, (System.nanoTime() - start) / 1000.0 / 200_000);
      start = System.nanoTime();
      for (int i = 0; i < 3_000; i++) {
        sink += all(all);
      }
      rows = Math.min(rows, (System.nanoTime() - start) / 1000.0 / 3_000);
    }
    System.out.printf("pk=%.2f rows1000=%.2f sink=%d%n", pk, rows, sink % 7);
    System.exit(0);
  }

  private static int byId(PreparedStatement statement, int id) throws SQLException {
    statement.setInt(1, id);
    try (ResultSet rows = statement.executeQuery()) {
      int length = 0;
      while (rows.next()) {
        length += rows.getString(1).length();
      }
      return length;
    }
  }

  private static int all(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      int sum = 0;
      while (rows.next()) {
        sum += rows.getInt(1);
      }
      return sum;
    }
  }
}
