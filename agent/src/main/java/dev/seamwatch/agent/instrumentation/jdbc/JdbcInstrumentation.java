package dev.seamwatch.agent.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What the JDBC instrumentations share: one setting ({@code seamwatch.instrumentation.jdbc}), and
 * matching by interface rather than by name, since every driver and pool has its own classes. Only
 * classes whose constant pool mentions {@code java/sql/} are considered, which is every class
 * implementing or calling into JDBC and few others.
 */
abstract class JdbcInstrumentation implements ClientInstrumentation {

  /** The JDBC interface whose implementations, any driver's or pool's, this one rewrites. */
  private final Class<?> jdbcInterface;

  JdbcInstrumentation(Class<?> jdbcInterface) {
    this.jdbcInterface = jdbcInterface;
  }

  @Override
  public final ElementMatcher<TypeDescription> types() {
    return not(isInterface()).and(hasSuperType(named(jdbcInterface.getName())));
  }

  @Override
  public final boolean matchesLoaded(Class<?> type) {
    return !type.isInterface() && jdbcInterface.isAssignableFrom(type);
  }

  @Override
  public final String name() {
    return "jdbc";
  }

  @Override
  public final String family() {
    return "jdbc";
  }

  @Override
  public final Set<String> referencedPackages() {
    return Set.of("java/sql/", "javax/sql/");
  }
}
