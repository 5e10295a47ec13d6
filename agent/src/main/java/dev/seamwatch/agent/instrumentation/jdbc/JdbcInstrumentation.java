package dev.seamwatch.agent.instrumentation.jdbc;

import dev.seamwatch.agent.instrumentation.ClientInstrumentation;
import java.util.Set;

/**
 * What the JDBC instrumentations share: one setting ({@code seamwatch.instrumentation.jdbc}), and
 * matching by interface rather than by name, since every driver and pool has its own classes. Only
 * classes whose constant pool mentions {@code java/sql/} are considered, which is every class
 * implementing or calling into JDBC and few others.
 */
abstract class JdbcInstrumentation implements ClientInstrumentation {

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
