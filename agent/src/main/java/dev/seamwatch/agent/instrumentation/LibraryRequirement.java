package dev.seamwatch.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * One thing an instrumentation's advice needs from a library: a class, and a method it declares or
 * a field the advice reads. Checked against the library's class files before any of its classes is
 * rewritten, so that a version that lacks it is left alone as a whole, with one line, rather than
 * half instrumented (or, for a field, refused by Byte Buddy class by class).
 */
public final class LibraryRequirement {

  private final String typeName;
  private final ElementMatcher<? super MethodDescription> method;
  private final String methodDescription;

  /** The method's name when the requirement gives its parameter types, else null. */
  private final String methodName;

  /** For a field requirement (then {@code method} is null): the field's name and type. */
  private final String fieldName;

  private final String fieldType;

  private LibraryRequirement(
      String typeName,
      ElementMatcher<? super MethodDescription> method,
      String description,
      String methodName) {
    this.typeName = typeName;
    this.method = method;
    this.methodDescription = description;
    this.methodName = methodName;
    this.fieldName = null;
    this.fieldType = null;
  }

  private LibraryRequirement(String typeName, String fieldName, String fieldType) {
    this.typeName = typeName;
    this.method = null;
    this.methodDescription = null;
    this.methodName = null;
    this.fieldName = fieldName;
    this.fieldType = fieldType;
  }

  /**
   * {@code typeName}, or a class it extends, must have a field {@code fieldName} of type {@code
   * fieldType} (by name: {@code "long"}, {@code "java.lang.String"}), for advice that reads it with
   * {@code @Advice.FieldValue}. Without this, a version lacking the field passes the method checks
   * and Byte Buddy then refuses each class it cannot bind, with a less telling line.
   */
  public static LibraryRequirement field(String typeName, String fieldName, String fieldType) {
    return new LibraryRequirement(typeName, fieldName, fieldType);
  }

  /** {@code typeName} must exist and declare a method {@code method}, described as given. */
  public static LibraryRequirement method(
      String typeName, ElementMatcher<? super MethodDescription> method, String description) {
    return new LibraryRequirement(typeName, method, description, null);
  }

  /**
   * {@code typeName} must declare {@code methodName} with exactly these parameter types, given by
   * name ({@code "int"}, {@code "byte[]"}, {@code "com.rabbitmq.client.AMQP$BasicProperties"}).
   *
   * <p>The types matter, not only their number: a version whose method of the same name and arity
   * takes other types would otherwise pass the check, and advice binding its arguments loosely
   * ({@code @AllArguments}, {@code Object}) would then read the wrong values without any error.
   * Names, not classes: the agent's class loader cannot load the library's types.
   */
  public static LibraryRequirement method(
      String typeName, String methodName, String... parameterTypes) {
    ElementMatcher.Junction<MethodDescription> matcher =
        named(methodName).and(takesArguments(parameterTypes.length));
    List<String> simpleNames = new ArrayList<>();
    for (int i = 0; i < parameterTypes.length; i++) {
      matcher = matcher.and(takesArgument(i, named(parameterTypes[i])));
      simpleNames.add(simpleName(parameterTypes[i]));
    }
    return new LibraryRequirement(
        typeName, matcher, signature(methodName, simpleNames), methodName);
  }

  /** Why {@code pool}'s classes do not meet this requirement, or null when they do. */
  String unmetIn(TypePool pool) {
    TypePool.Resolution resolution = pool.describe(typeName);
    if (!resolution.isResolved()) {
      return typeName + " not found";
    }
    if (fieldName != null) {
      return unmetField(resolution.resolve());
    }
    MethodList<MethodDescription.InDefinedShape> declared =
        resolution.resolve().getDeclaredMethods();
    if (!declared.filter(method).isEmpty()) {
      return null;
    }
    String unmet = typeName + " has no " + methodDescription;
    if (methodName == null) {
      return unmet;
    }
    // What the version has instead says what differs: a parameter type, one more or one less.
    List<String> instead = new ArrayList<>();
    for (MethodDescription other : declared.filter(named(methodName))) {
      List<String> parameters = new ArrayList<>();
      for (TypeDescription type : other.getParameters().asTypeList().asErasures()) {
        parameters.add(type.getSimpleName());
      }
      instead.add(signature(methodName, parameters));
    }
    return instead.isEmpty() ? unmet : unmet + "; it has " + String.join(", ", instead);
  }

  private String unmetField(TypeDescription type) {
    String wanted = fieldName + " (" + simpleName(fieldType) + ")";
    // Up the class hierarchy, as @Advice.FieldValue looks: the nearest field of that name counts.
    for (TypeDefinition current = type;
        current != null;
        current = current.getSuperClass() == null ? null : current.getSuperClass().asErasure()) {
      FieldList<FieldDescription.InDefinedShape> fields =
          current.asErasure().getDeclaredFields().filter(named(fieldName));
      // A superclass's private field is not the instrumented class's to read.
      if (!fields.isEmpty() && (current == type || !fields.getOnly().isPrivate())) {
        TypeDescription found = fields.getOnly().getType().asErasure();
        if (found.getName().equals(fieldType) || found.getActualName().equals(fieldType)) {
          return null;
        }
        return typeName
            + " has no field "
            + wanted
            + "; it has "
            + fieldName
            + " ("
            + found.getSimpleName()
            + ")";
      }
    }
    return typeName + " has no field " + wanted;
  }

  private static String signature(String methodName, List<String> parameterTypes) {
    return methodName + "(" + String.join(", ", parameterTypes) + ")";
  }

  private static String simpleName(String typeName) {
    return typeName.substring(Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$')) + 1);
  }
}
