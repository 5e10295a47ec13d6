package dev.seamwatch.agent;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Statement;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What another agent does to a class before Seamwatch sees it: adds an interface it generated and
 * defined with no class file, the way the OpenTelemetry Java agent adds its virtual-field accessors
 * to JDBC statements.
 */
class LoadedTypesPoolStrategyTest {

  private static final String STATEMENT = "com.example.db.VendorStatement";

  private ClassLoader loader;
  private ClassFileLocator locator;

  @BeforeEach
  void otherAgentRewroteAStatement() throws Exception {
    // The generated interface: defined, and its bytes gone (no resource serves them).
    Class<?> accessor =
        new ByteBuddy()
            .makeInterface()
            .name("com.otheragent.field.Accessor$java$sql$Statement")
            .make()
            .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();
    loader = accessor.getClassLoader();
    assertThat(loader.getResource(accessor.getName().replace('.', '/') + ".class")).isNull();
    // The statement class as it is being loaded, its class file naming that interface (first, as
    // the other agent adds them, so that walking the interfaces meets it before Statement).
    byte[] statement =
        new ByteBuddy()
            .subclass(Object.class)
            .implement(accessor, Statement.class)
            .name(STATEMENT)
            .make()
            .getBytes();
    locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.Simple.of(STATEMENT, statement),
            ClassFileLocator.ForClassLoader.of(loader));
  }

  @Test
  void byteBuddysDefaultPoolCannotWalkPastTheGeneratedInterface() {
    TypeDescription type =
        AgentBuilder.PoolStrategy.Default.FAST
            .typePool(locator, loader)
            .describe(STATEMENT)
            .resolve();

    assertThatThrownBy(() -> hasSuperType(named("java.sql.Statement")).matches(type))
        .isInstanceOf(TypePool.Resolution.NoSuchTypeException.class);
  }

  @Test
  void aTypeWithoutClassFileIsDescribedFromTheLoadedClass() {
    TypeDescription type =
        new LoadedTypesPoolStrategy().typePool(locator, loader).describe(STATEMENT).resolve();

    assertThat(hasSuperType(named("java.sql.Statement")).matches(type)).isTrue();
    assertThat(type.getInterfaces().asErasures())
        .extracting(TypeDescription::getName)
        .containsExactly("com.otheragent.field.Accessor$java$sql$Statement", "java.sql.Statement");
  }

  @Test
  void aTypeThatDoesNotExistStaysUnresolved() {
    TypePool pool = new LoadedTypesPoolStrategy().typePool(locator, loader);

    assertThat(pool.describe("com.example.db.NoSuchDriver").isResolved()).isFalse();
  }
}
