package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.DbCall;
import java.sql.Connection;
import javax.sql.DataSource;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * {@code javax.sql.DataSource} of any pool or driver: {@code getConnection()} and {@code
 * getConnection(String, String)}, to time the wait for a connection, which is how a pool that runs
 * dry shows. Tested with HikariCP 7.1.
 */
public final class JdbcDataSourceInstrumentation extends JdbcInstrumentation {

  public JdbcDataSourceInstrumentation() {
    super(DataSource.class);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder.visit(
        Advice.to(GetConnectionAdvice.class)
            .on(isPublic().and(named("getConnection")).and(returns(Connection.class))));
  }

  public static final class GetConnectionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object dataSource) {
      return Bridge.recorder().startDbConnectionWait(dataSource);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter DbCall wait,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable error) {
      if (wait != null) {
        wait.end(connection, error);
      }
    }
  }
}
