package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.seamwatch.bootstrap.Bridge;
import java.sql.Connection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.sql.Connection} of any driver or pool: {@code prepareStatement(String, ...)} and
 * {@code prepareCall(String, ...)}, every overload, so that a prepared statement's executions know
 * their SQL. Tested with H2 2.x, PostgreSQL JDBC 42.7, MariaDB Connector/J 3.5 and HikariCP.
 */
public final class JdbcConnectionInstrumentation extends JdbcInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> types() {
    return not(isInterface()).and(hasSuperType(named("java.sql.Connection")));
  }

  @Override
  public boolean matchesLoaded(Class<?> type) {
    return !type.isInterface() && Connection.class.isAssignableFrom(type);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
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
