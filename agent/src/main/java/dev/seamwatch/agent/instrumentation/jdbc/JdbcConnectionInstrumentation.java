package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.seamwatch.bootstrap.Bridge;
import java.sql.Connection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code java.sql.Connection} of any driver or pool: {@code prepareStatement(String, ...)} and
 * {@code prepareCall(String, ...)}, every overload, so that a prepared statement's executions know
 * their SQL. Tested with H2 2.x, PostgreSQL JDBC 42.7, MariaDB Connector/J 3.5 and HikariCP.
 */
public final class JdbcConnectionInstrumentation extends JdbcInstrumentation {

  public JdbcConnectionInstrumentation() {
    super(Connection.class);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder.visit(
        Advice.to(PrepareAdvice.class)
            .on(
                isPublic()
                    .and(namedOneOf("prepareStatement", "prepareCall"))
                    .and(takesArgument(0, String.class))));
  }

  public static final class PrepareAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      Bridge.recorder().dbStatementPrepared(statement, sql);
    }
  }
}
