package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.DbCall;
import java.sql.Driver;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code java.sql.Driver.connect(String, Properties)} of any driver: opening a connection, so that
 * a database that refuses connections is visible with its SQLState, whether the application uses
 * {@code DriverManager} or a pool. Tested with H2 2.x, PostgreSQL JDBC 42.7 and MariaDB Connector/J
 * 3.5.
 */
public final class JdbcDriverInstrumentation extends JdbcInstrumentation {

  public JdbcDriverInstrumentation() {
    super(Driver.class);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder.visit(
        Advice.to(ConnectAdvice.class)
            .on(
                isPublic()
                    .and(named("connect"))
                    .and(takesArguments(2))
                    .and(takesArgument(0, String.class))));
  }

  public static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object driver, @Advice.Argument(0) String url) {
      return Bridge.recorder().startDbConnect(driver, url);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter DbCall connect,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable error) {
      if (connect != null) {
        connect.end(connection, error);
      }
    }
  }
}
