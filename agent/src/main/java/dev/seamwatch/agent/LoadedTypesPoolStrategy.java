package dev.seamwatch.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's default type pool (lazy, fast reader mode), which also describes a type it finds no
 * class file for when the class loader has that type: reflectively, from the loaded class.
 *
 * <p>Needed beside another agent. The OpenTelemetry Java agent, attached first, adds interfaces of
 * its own to the classes it instruments as they load ({@code HttpURLConnection}, JDBC connections
 * and statements, every {@code Runnable}): a marker from the jar it appended to the bootstrap
 * search path, which the boot loader loads but does not serve as a resource, and accessor
 * interfaces it generates and defines with no class file at all. Byte Buddy reads the class file,
 * sees those interfaces, cannot locate them, and fails the class: the type matchers that walk the
 * hierarchy ({@code implements java.sql.Statement}) throw, and the class would go uninstrumented.
 *
 * <p>The fallback runs only for a type no class file was found for, where the pool would otherwise
 * fail. The types it meets there are normally loaded already (the other agent defined them before
 * it rewrote the class naming them), so {@code Class.forName} just finds them.
 */
final class LoadedTypesPoolStrategy implements AgentBuilder.PoolStrategy {

  @Override
  public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
    return new TypePool.LazyFacade(
        new TypePool.Default.WithLazyResolution(
            new FallbackCache(classLoader), classFileLocator, TypePool.Default.ReaderMode.FAST));
  }

  @Override
  public TypePool typePool(
      ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
    return typePool(classFileLocator, classLoader);
  }

  /**
   * The pool's cache, where the fallback lives: the lazy pool registers each type it has read (or
   * failed to find) here and works with what the registration returns, so every later lookup of the
   * name, its own lazy descriptions' included, sees the loaded class's description instead of the
   * failure.
   */
  static final class FallbackCache implements TypePool.CacheProvider {
    private final TypePool.CacheProvider cache = TypePool.CacheProvider.Simple.withObjectType();
    private final ClassLoader classLoader;

    FallbackCache(ClassLoader classLoader) {
      this.classLoader = classLoader;
    }

    @Override
    public TypePool.Resolution find(String name) {
      return cache.find(name);
    }

    @Override
    public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
      return cache.register(name, resolution.isResolved() ? resolution : loaded(name, resolution));
    }

    @Override
    public void clear() {
      cache.clear();
    }

    private TypePool.Resolution loaded(String name, TypePool.Resolution notFound) {
      try {
        return new TypePool.Resolution.Simple(
            TypeDescription.ForLoadedType.of(Class.forName(name, false, classLoader)));
      } catch (Throwable notLoadable) {
        // The type is missing indeed (an optional dependency left out): Byte Buddy reports it.
        return notFound;
      }
    }
  }
}
