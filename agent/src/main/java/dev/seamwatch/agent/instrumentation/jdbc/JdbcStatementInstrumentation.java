package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.seamwatch.bootstrap.Bridge;
import dev.seamwatch.bootstrap.DbCall;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code java.sql.Statement}, {@code PreparedStatement} and {@code CallableStatement} of any driver
 * or pool: {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate}
 * with SQL (every overload) and without (prepared), {@code executeBatch}, {@code
 * executeLargeBatch}, {@code addBatch()}, {@code addBatch(String)}, {@code close()}. Tested with H2
 * 2.x, PostgreSQL JDBC 42.7, MariaDB Connector/J 3.5 and HikariCP proxies.
 *
 * <p>A pool's proxy delegating to the driver's statement, or a driver's {@code execute} calling its
 * own {@code executeQuery}, makes one span: the recorder's nesting rule keeps the outer one.
 */
public final class JdbcStatementInstrumentation extends JdbcInstrumentation {

  public JdbcStatementInstrumentation() {
    super(Statement.class);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, ClassLoader target) {
    return builder
        .visit(
            Advice.to(ExecuteSqlAdvice.class, EndAdvice.class)
                .on(isPublic().and(namedOneOf(EXECUTE)).and(takesArgument(0, String.class))))
        .visit(
            Advice.to(ExecutePreparedAdvice.class, EndAdvice.class)
                .on(isPublic().and(namedOneOf(EXECUTE)).and(takesArguments(0))))
        .visit(
            Advice.to(ExecuteBatchAdvice.class, EndAdvice.class)
                .on(
                    isPublic()
                        .and(namedOneOf("executeBatch", "executeLargeBatch"))
                        .and(takesArguments(0))))
        .visit(
            Advice.to(AddPreparedBatchAdvice.class)
                .on(isPublic().and(named("addBatch")).and(takesArguments(0))))
        .visit(
            Advice.to(AddSqlBatchAdvice.class)
                .on(isPublic().and(named("addBatch")).and(takesArguments(String.class))))
        .visit(
            Advice.to(CloseAdvice.class).on(isPublic().and(named("close")).and(takesArguments(0))));
  }

  private static final String[] EXECUTE = {
    "execute", "executeQuery", "executeUpdate", "executeLargeUpdate"
  };

  public static final class ExecuteSqlAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      return Bridge.recorder().startDbStatement("jdbc", statement, sql, false);
    }
  }

  public static final class ExecutePreparedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement) {
      return Bridge.recorder().startDbStatement("jdbc", statement, null, false);
    }
  }

  public static final class ExecuteBatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement) {
      return Bridge.recorder().startDbStatement("jdbc", statement, null, true);
    }
  }

  public static final class EndAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter DbCall call,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      if (call != null) {
        call.end(result, error);
      }
    }
  }

  public static final class AddPreparedBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
      Bridge.recorder().dbBatchAdded(statement, null);
    }
  }

  public static final class AddSqlBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      Bridge.recorder().dbBatchAdded(statement, sql);
    }
  }

  public static final class CloseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object statement) {
      Bridge.recorder().dbClosed(statement);
    }
  }
}
