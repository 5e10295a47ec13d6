package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.bootstrap.Bridge;
import java.sql.ResultSet;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code java.sql.ResultSet} of any driver or pool: {@code next()} and {@code close()}, to count
 * the rows the application actually reads. Tested with H2 2.x, PostgreSQL JDBC 42.7, MariaDB
 * Connector/J 3.5 and HikariCP.
 */
public final class JdbcResultSetInstrumentation extends JdbcInstrumentation {

  public JdbcResultSetInstrumentation() {
    super(ResultSet.class);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(Advice.to(NextAdvice.class).on(isPublic().and(named("next")).and(takesArguments(0))))
        .visit(
            Advice.to(CloseAdvice.class).on(isPublic().and(named("close")).and(takesArguments(0))));
  }

  public static final class NextAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object resultSet, @Advice.Return boolean hasRow) {
      Bridge.recorder().dbRowRead(resultSet, hasRow);
    }
  }

  public static final class CloseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object resultSet) {
      Bridge.recorder().dbClosed(resultSet);
    }
  }
}
