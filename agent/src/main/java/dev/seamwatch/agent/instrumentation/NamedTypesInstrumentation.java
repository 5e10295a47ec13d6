package dev.seamwatch.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * An instrumentation of classes known by name (a client's implementation classes): its name, family
 * and classes are all it has to say before its advice. The JDBC instrumentations, which match by
 * interface, have their own base.
 */
public abstract class NamedTypesInstrumentation implements ClientInstrumentation {

  private final String name;
  private final String family;
  private final Set<String> typeNames;

  protected NamedTypesInstrumentation(String name, String family, String... typeNames) {
    this.name = name;
    this.family = family;
    this.typeNames = Set.of(typeNames);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String family() {
    return family;
  }

  @Override
  public final Set<String> typeNames() {
    return typeNames;
  }

  @Override
  public final ElementMatcher<TypeDescription> types() {
    return namedOneOf(typeNames.toArray(new String[0]));
  }
}
