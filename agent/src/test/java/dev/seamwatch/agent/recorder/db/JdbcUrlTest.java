package dev.seamwatch.agent.recorder.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** System, server, port and namespace from the URLs of each driver, never a credential. */
class JdbcUrlTest {

  /** URL, system, address, port, namespace, integration key. */
  static Stream<Arguments> urls() {
    return Stream.of(
        // PostgreSQL
        arguments(
            "jdbc:postgresql://h:5432/db?user=x&password=secret",
            "postgresql",
            "h",
            5432,
            "db",
            "postgresql://h:5432/db"),
        arguments(
            "jdbc:postgresql://db.example/orders",
            "postgresql",
            "db.example",
            5432,
            "orders",
            "postgresql://db.example:5432/orders"),
        arguments(
            "jdbc:postgresql://h1,h2/db",
            "postgresql",
            "h1",
            5432,
            "db",
            "postgresql://h1:5432/db"),
        arguments(
            "jdbc:postgresql://h1:5433,h2:5434/db?currentSchema=app,public",
            "postgresql",
            "h1",
            5433,
            "db|app",
            "postgresql://h1:5433/db|app"),
        arguments(
            "jdbc:postgresql://h/db?currentSchema=$user,public",
            "postgresql",
            "h",
            5432,
            "db",
            "postgresql://h:5432/db"),
        arguments(
            "jdbc:postgresql://[::1]:6432/db",
            "postgresql",
            "::1",
            6432,
            "db",
            "postgresql://[::1]:6432/db"),
        arguments("jdbc:postgresql://h/", "postgresql", "h", 5432, null, "postgresql://h:5432/"),
        arguments(
            "jdbc:postgresql:mydb",
            "postgresql",
            "localhost",
            5432,
            "mydb",
            "postgresql://localhost:5432/mydb"),
        arguments(
            "jdbc:postgresql:///db",
            "postgresql",
            "localhost",
            5432,
            "db",
            "postgresql://localhost:5432/db"),
        arguments(
            "JDBC:PostgreSQL://Host/DB",
            "postgresql",
            "Host",
            5432,
            "DB",
            "postgresql://Host:5432/DB"),
        arguments(
            "jdbc:pgsql://h:5433/db", "postgresql", "h", 5433, "db", "postgresql://h:5433/db"),
        // MySQL and MariaDB
        arguments("jdbc:mysql://user:pw@h/db", "mysql", "h", 3306, "db", "mysql://h:3306/db"),
        arguments(
            "jdbc:mysql://h:3307/db?useSSL=false", "mysql", "h", 3307, "db", "mysql://h:3307/db"),
        arguments("jdbc:mysql://h", "mysql", "h", 3306, null, "mysql://h:3306/"),
        arguments(
            "jdbc:mysql:loadbalance://h1:3307,h2:3308/db",
            "mysql",
            "h1",
            3307,
            "db",
            "mysql://h1:3307/db"),
        arguments(
            "jdbc:mysql:replication://primary,replica/db",
            "mysql",
            "primary",
            3306,
            "db",
            "mysql://primary:3306/db"),
        arguments(
            "jdbc:mysql://address=(host=myhost)(port=3310)(user=u)/db",
            "mysql",
            "myhost",
            3310,
            "db",
            "mysql://myhost:3310/db"),
        arguments(
            "jdbc:mysql://(host=myhost,port=3311)/db",
            "mysql",
            "myhost",
            3311,
            "db",
            "mysql://myhost:3311/db"),
        arguments(
            "jdbc:mysql+srv://cluster.example/db",
            "mysql",
            "cluster.example",
            -1,
            "db",
            "mysql://cluster.example/db"),
        arguments("jdbc:mysqlx://h/db", "mysql", "h", 33060, "db", "mysql://h:33060/db"),
        arguments(
            "jdbc:mariadb://127.0.0.1:3306/test",
            "mariadb",
            "127.0.0.1",
            3306,
            "test",
            "mariadb://127.0.0.1:3306/test"),
        arguments(
            "jdbc:mariadb:replication://primary,replica/app",
            "mariadb",
            "primary",
            3306,
            "app",
            "mariadb://primary:3306/app"),
        // H2
        arguments(
            "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1",
            "h2database",
            null,
            -1,
            "test",
            "h2database://embedded/test"),
        arguments("jdbc:h2:mem:", "h2database", null, -1, null, "h2database://embedded/"),
        arguments(
            "jdbc:h2:tcp://h:9092/~/test",
            "h2database",
            "h",
            9092,
            "~/test",
            "h2database://h:9092/~/test"),
        arguments(
            "jdbc:h2:tcp://h/mem:db",
            "h2database",
            "h",
            9092,
            "mem:db",
            "h2database://h:9092/mem:db"),
        arguments(
            "jdbc:h2:ssl://h:9093/db", "h2database", "h", 9093, "db", "h2database://h:9093/db"),
        arguments(
            "jdbc:h2:./file", "h2database", null, -1, "./file", "h2database://embedded/./file"),
        arguments(
            "jdbc:h2:file:/data/db;AUTO_SERVER=TRUE",
            "h2database",
            null,
            -1,
            "/data/db",
            "h2database://embedded//data/db"),
        // Oracle
        arguments(
            "jdbc:oracle:thin:@//h:1521/svc",
            "oracle.db",
            "h",
            1521,
            "svc",
            "oracle.db://h:1521/svc"),
        arguments(
            "jdbc:oracle:thin:@h:1521:SID",
            "oracle.db",
            "h",
            1521,
            "SID",
            "oracle.db://h:1521/SID"),
        arguments(
            "jdbc:oracle:thin:@h:1522/svc",
            "oracle.db",
            "h",
            1522,
            "svc",
            "oracle.db://h:1522/svc"),
        arguments(
            "jdbc:oracle:thin:@//h/svc", "oracle.db", "h", 1521, "svc", "oracle.db://h:1521/svc"),
        arguments(
            "jdbc:oracle:thin:@tcps://h:2484/svc?wallet_location=/w",
            "oracle.db",
            "h",
            2484,
            "svc",
            "oracle.db://h:2484/svc"),
        arguments(
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=dbhost)(PORT=1522))(CONNECT_DATA=(SERVICE_NAME=orcl)))",
            "oracle.db",
            "dbhost",
            1522,
            "orcl",
            "oracle.db://dbhost:1522/orcl"),
        arguments(
            "jdbc:oracle:thin:@(description=(address=(host = dbhost)(protocol=tcp))(connect_data=(sid=ORCL)))",
            "oracle.db",
            "dbhost",
            1521,
            "ORCL",
            "oracle.db://dbhost:1521/ORCL"),
        arguments(
            "jdbc:oracle:thin:@myalias", "oracle.db", "myalias", -1, null, "oracle.db://myalias/"),
        arguments(
            "jdbc:oracle:oci:@//h:1521/svc",
            "oracle.db",
            "h",
            1521,
            "svc",
            "oracle.db://h:1521/svc"),
        // SQL Server
        arguments(
            "jdbc:sqlserver://h:1433;databaseName=db;password=x",
            "microsoft.sql_server",
            "h",
            1433,
            "db",
            "microsoft.sql_server://h:1433/db"),
        arguments(
            "jdbc:sqlserver://h;database=db",
            "microsoft.sql_server",
            "h",
            1433,
            "db",
            "microsoft.sql_server://h:1433/db"),
        arguments(
            "jdbc:sqlserver://h:1500;DATABASENAME=db",
            "microsoft.sql_server",
            "h",
            1500,
            "db",
            "microsoft.sql_server://h:1500/db"),
        arguments(
            "jdbc:sqlserver://h\\inst;databaseName=db",
            "microsoft.sql_server",
            "h",
            -1,
            "inst|db",
            "microsoft.sql_server://h/inst|db"),
        arguments(
            "jdbc:sqlserver://h\\inst:1501;databaseName=db",
            "microsoft.sql_server",
            "h",
            1501,
            "inst|db",
            "microsoft.sql_server://h:1501/inst|db"),
        arguments(
            "jdbc:sqlserver://;serverName=srv;portNumber=1502;databaseName=db",
            "microsoft.sql_server",
            "srv",
            1502,
            "db",
            "microsoft.sql_server://srv:1502/db"),
        arguments(
            "jdbc:sqlserver://h",
            "microsoft.sql_server",
            "h",
            1433,
            null,
            "microsoft.sql_server://h:1433/"),
        arguments(
            "jdbc:jtds:sqlserver://h:1434/db;instance=i",
            "microsoft.sql_server",
            "h",
            1434,
            "i|db",
            "microsoft.sql_server://h:1434/i|db"),
        // Db2, SQLite, HSQLDB, Derby
        arguments("jdbc:db2://h:50000/db", "ibm.db2", "h", 50000, "db", "ibm.db2://h:50000/db"),
        arguments(
            "jdbc:db2://h/db:currentSchema=S;",
            "ibm.db2",
            "h",
            50000,
            "db",
            "ibm.db2://h:50000/db"),
        arguments("jdbc:db2:localdb", "ibm.db2", null, -1, "localdb", "ibm.db2://embedded/localdb"),
        arguments(
            "jdbc:sqlite:/path/file.db",
            "sqlite",
            null,
            -1,
            "/path/file.db",
            "sqlite://embedded//path/file.db"),
        arguments("jdbc:sqlite::memory:", "sqlite", null, -1, null, "sqlite://embedded/"),
        arguments("jdbc:sqlite:", "sqlite", null, -1, null, "sqlite://embedded/"),
        arguments("jdbc:hsqldb:mem:x", "hsqldb", null, -1, "x", "hsqldb://embedded/x"),
        arguments(
            "jdbc:hsqldb:file:/data/x;ifexists=true",
            "hsqldb",
            null,
            -1,
            "/data/x",
            "hsqldb://embedded//data/x"),
        arguments("jdbc:hsqldb:hsql://h/db", "hsqldb", "h", 9001, "db", "hsqldb://h:9001/db"),
        arguments("jdbc:hsqldb:hsqls://h:9002/db", "hsqldb", "h", 9002, "db", "hsqldb://h:9002/db"),
        arguments("jdbc:derby:memory:x;create=true", "derby", null, -1, "x", "derby://embedded/x"),
        arguments("jdbc:derby:mydb", "derby", null, -1, "mydb", "derby://embedded/mydb"),
        arguments(
            "jdbc:derby:directory:/d/db", "derby", null, -1, "/d/db", "derby://embedded//d/db"),
        arguments(
            "jdbc:derby://h:1528/db;create=true", "derby", "h", 1528, "db", "derby://h:1528/db"),
        arguments("jdbc:derby://h/db", "derby", "h", 1527, "db", "derby://h:1527/db"),
        // wrappers
        arguments(
            "jdbc:p6spy:postgresql://h/db",
            "postgresql",
            "h",
            5432,
            "db",
            "postgresql://h:5432/db"),
        arguments("jdbc:tracing:mysql://h:3307/db", "mysql", "h", 3307, "db", "mysql://h:3307/db"),
        arguments("jdbc:otel:h2:mem:x", "h2database", null, -1, "x", "h2database://embedded/x"),
        arguments(
            "jdbc:log4jdbc:mariadb://h/db", "mariadb", "h", 3306, "db", "mariadb://h:3306/db"),
        arguments(
            "jdbc:aws-wrapper:postgresql://h/db",
            "postgresql",
            "h",
            5432,
            "db",
            "postgresql://h:5432/db"),
        // other systems
        arguments(
            "jdbc:clickhouse://h/db", "clickhouse", "h", 8123, "db", "clickhouse://h:8123/db"),
        arguments(
            "jdbc:redshift://h:5440/db",
            "aws.redshift",
            "h",
            5440,
            "db",
            "aws.redshift://h:5440/db"),
        arguments("jdbc:foo://h:1/d", "other_sql", "h", 1, "d", "other_sql://h:1/d"),
        // garbage
        arguments("garbage", "other_sql", null, -1, null, "other_sql://embedded/"),
        arguments("", "other_sql", null, -1, null, "other_sql://embedded/"),
        arguments("jdbc:", "other_sql", null, -1, null, "other_sql://embedded/"),
        arguments("jdbc:foo", "other_sql", null, -1, null, "other_sql://embedded/"),
        arguments("jdbc:foo:bar", "other_sql", null, -1, null, "other_sql://embedded/"),
        arguments(
            "jdbc:postgresql://h:99999/db",
            "postgresql",
            "h",
            5432,
            "db",
            "postgresql://h:5432/db"),
        arguments("jdbc:mysql://h:abc/db", "mysql", "h", 3306, "db", "mysql://h:3306/db"),
        arguments(
            "jdbc:postgresql://bad host/db",
            "postgresql",
            null,
            -1,
            "db",
            "postgresql://embedded/db"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("urls")
  void parsesSystemServerPortAndNamespace(
      String url, String system, String address, int port, String namespace, String key) {
    JdbcUrl parsed = JdbcUrl.parse(url);

    assertThat(parsed.dbSystemName()).as("system").isEqualTo(system);
    assertThat(parsed.serverAddress()).as("address").isEqualTo(address);
    assertThat(parsed.serverPort()).as("port").isEqualTo(port);
    assertThat(parsed.namespace()).as("namespace").isEqualTo(namespace);
    assertThat(parsed.integrationKey()).as("key").isEqualTo(key);
    assertThat(parsed.toString()).isEqualTo(key);
  }

  @Test
  void nullUrlIsOtherSqlWithNothingKnown() {
    JdbcUrl parsed = JdbcUrl.parse(null);

    assertThat(parsed.dbSystemName()).isEqualTo("other_sql");
    assertThat(parsed.serverAddress()).isNull();
    assertThat(parsed.serverPort()).isEqualTo(-1);
    assertThat(parsed.namespace()).isNull();
    assertThat(parsed.integrationKey()).isEqualTo("other_sql://embedded/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://h:5432/db?user=x&password=S3cr3tPw",
        "jdbc:postgresql://h/db?password=S3cr3tPw&currentSchema=app",
        "jdbc:postgresql://alice:S3cr3tPw@h/db",
        "jdbc:mysql://alice:S3cr3tPw@h/db",
        "jdbc:mysql://alice:S3cr3tPw@h:3307/db?password=S3cr3tPw",
        "jdbc:mysql://alice:S3c/r3tPw@h/db",
        "jdbc:mysql://alice:S3cr3tPw@h1,h2/db",
        "jdbc:mysql://address=(host=h)(port=3306)(user=alice)(password=S3cr3tPw)/db",
        "jdbc:mysql://(host=h,user=alice,password=S3cr3tPw)/db",
        "jdbc:mariadb://alice:S3cr3tPw@h/db?password=S3cr3tPw",
        "jdbc:h2:mem:test;USER=alice;PASSWORD=S3cr3tPw",
        "jdbc:h2:tcp://h:9092/~/test;PASSWORD=S3cr3tPw",
        "jdbc:h2:./file;PASSWORD=S3cr3tPw",
        "jdbc:oracle:thin:alice/S3cr3tPw@//h:1521/svc",
        "jdbc:oracle:thin:alice/S3cr3tPw@h:1521:SID",
        "jdbc:oracle:thin:alice/\"S3cr@3tPw\"@h:1521:SID",
        "jdbc:sqlserver://h:1433;databaseName=db;user=alice;password=S3cr3tPw",
        "jdbc:sqlserver://h;password={S3cr3tPw;databaseName=S3cr3tPw};databaseName=db",
        "jdbc:sqlserver://h;password={S3cr3tPw}}databaseName=S3cr3tPw};database=db",
        "jdbc:jtds:sqlserver://h:1433/db;user=alice;password=S3cr3tPw",
        "jdbc:db2://h:50000/db:user=alice;password=S3cr3tPw;",
        "jdbc:db2://h:50000/db:password=S3c@r3tPw;",
        "jdbc:derby:memory:x;user=alice;password=S3cr3tPw",
        "jdbc:derby://h:1527/db;user=alice;password=S3cr3tPw",
        "jdbc:hsqldb:hsql://h/db;password=S3cr3tPw",
        "jdbc:p6spy:mysql://alice:S3cr3tPw@h/db",
        "jdbc:foo://alice:S3cr3tPw@h/db;password=S3cr3tPw",
        "jdbc:foo:alice/S3cr3tPw",
      })
  void credentialsNeverReachAnyField(String url) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    String[] fields = {
      parsed.dbSystemName(),
      parsed.serverAddress(),
      parsed.namespace(),
      parsed.integrationKey(),
      parsed.toString(),
      String.valueOf(parsed.serverPort())
    };

    for (String field : fields) {
      if (field != null) {
        assertThat(field).doesNotContain("S3c").doesNotContain("r3tPw").doesNotContain("alice");
      }
    }
    assertThat(parsed.integrationKey()).startsWith(parsed.dbSystemName() + "://");
  }

  @Test
  void dialectFollowsTheSystem() {
    assertThat(JdbcUrl.parse("jdbc:mysql://h/db").dialect()).isEqualTo(SqlDialect.MYSQL);
    assertThat(JdbcUrl.parse("jdbc:mariadb://h/db").dialect()).isEqualTo(SqlDialect.MYSQL);
    assertThat(JdbcUrl.parse("jdbc:postgresql://h/db").dialect()).isEqualTo(SqlDialect.STANDARD);
    assertThat(JdbcUrl.parse("jdbc:oracle:thin:@//h/s").dialect()).isEqualTo(SqlDialect.STANDARD);
    assertThat(JdbcUrl.parse("jdbc:sqlserver://h").dialect()).isEqualTo(SqlDialect.STANDARD);
    assertThat(JdbcUrl.parse("jdbc:h2:mem:x").dialect()).isEqualTo(SqlDialect.STANDARD);
    assertThat(JdbcUrl.parse("jdbc:sqlite:x.db").dialect()).isEqualTo(SqlDialect.SQLITE);
    assertThat(JdbcUrl.parse("jdbc:clickhouse://h/db").dialect()).isEqualTo(SqlDialect.UNKNOWN);
    assertThat(JdbcUrl.parse("garbage").dialect()).isEqualTo(SqlDialect.UNKNOWN);
    assertThat(SqlDialect.forDbSystem(null)).isEqualTo(SqlDialect.UNKNOWN);
  }

  @Test
  void integrationKeysStayFewForManyUrlsOfOneDatabase() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(
          JdbcUrl.parse(
                  "jdbc:postgresql://h1:5432,h2:5432/db?user=u"
                      + i
                      + "&password=p"
                      + i
                      + "&ApplicationName=app"
                      + i)
              .integrationKey());
    }

    assertThat(keys).containsExactly("postgresql://h1:5432/db");
  }
}
