package dev.seamwatch.agent.instrumentation;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls public methods of a library's objects whose types the agent must not name (OkHttp, whose
 * name the agent's relocated copy would capture; JMS, one API in two packages). Methods are looked
 * up once per class, name and arity, on the nearest public class or interface that declares them: a
 * library's objects are often of private classes, whose methods cannot be invoked through their own
 * {@code Class}. Arguments, when there are any, are strings.
 */
public final class Reflective {

  private static final Method MISSING;

  static {
    try {
      MISSING = Object.class.getMethod("hashCode");
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Looked-up methods by class, then name, then arity (0 to {@link #MAX_ARITY}). */
  private static final ClassValue<ConcurrentHashMap<String, Method[]>> METHODS =
      new ClassValue<ConcurrentHashMap<String, Method[]>>() {
        @Override
        protected ConcurrentHashMap<String, Method[]> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private static final int MAX_ARITY = 3;

  private Reflective() {}

  /** Whether {@code target} has the public method {@code name} with {@code arity} parameters. */
  public static boolean has(Object target, String name, int arity) {
    return method(target.getClass(), name, arity) != MISSING;
  }

  public static Object invoke(Object target, String name, Object... args)
      throws ReflectiveOperationException {
    Method method = method(target.getClass(), name, args.length);
    if (method == MISSING) {
      throw new NoSuchMethodException(target.getClass().getName() + "." + name);
    }
    return method.invoke(target, args);
  }

  /** Whether {@code type} or a supertype is, or implements, an interface named {@code name}. */
  public static boolean implementsNamed(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return true;
      }
      for (Class<?> i : c.getInterfaces()) {
        if (implementsNamed(i, name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A call site's method: one name and arity, on whatever class the site meets. */
  public static Site site(String name, int arity) {
    return new Site(name, arity);
  }

  /**
   * One public method, by name and arity, invoked on whatever class the call site meets. It
   * remembers the last class and its method: on a library's hot path that is always the same class
   * (OkHttp's {@code RealCall}, {@code Request}, {@code Response}), so a call costs one identity
   * check instead of a lookup in the class's table. Another class takes the slot over. The class is
   * held weakly, so that an undeployed application's classes can be unloaded.
   */
  public static final class Site {
    private final String name;
    private final int arity;
    private volatile Resolved last;

    private Site(String name, int arity) {
      this.name = name;
      this.arity = arity;
    }

    public Object invoke(Object target, Object... args) throws ReflectiveOperationException {
      if (args.length != arity) {
        throw new IllegalArgumentException(name + " takes " + arity + " arguments");
      }
      Class<?> type = target.getClass();
      Resolved known = last;
      Method method;
      if (known != null && known.type.get() == type) {
        method = known.method;
      } else {
        method = method(type, name, arity);
        last = new Resolved(type, method);
      }
      if (method == MISSING) {
        throw new NoSuchMethodException(type.getName() + "." + name);
      }
      return method.invoke(target, args);
    }
  }

  private static final class Resolved {
    final WeakReference<Class<?>> type;
    final Method method;

    Resolved(Class<?> type, Method method) {
      this.type = new WeakReference<>(type);
      this.method = method;
    }
  }

  private static Method method(Class<?> type, String name, int arity) {
    if (arity > MAX_ARITY) {
      return find(type, name, arity);
    }
    // Keyed by the name alone, so that a call on an instrumented client's path allocates nothing;
    // read before computeIfAbsent, which can lock the table's bin even when the name is there.
    ConcurrentHashMap<String, Method[]> byName = METHODS.get(type);
    Method[] byArity = byName.get(name);
    if (byArity == null) {
      byArity = byName.computeIfAbsent(name, n -> new Method[MAX_ARITY + 1]);
    }
    Method method = byArity[arity];
    if (method == null) {
      method = find(type, name, arity);
      byArity[arity] = method;
    }
    return method;
  }

  private static Method find(Class<?> type, String name, int arity) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      Method found = declared(c, name, arity);
      if (found != null) {
        return found;
      }
    }
    return MISSING;
  }

  /**
   * Spares each invocation the access check: the method is public on a public type, so the check
   * would pass anyway. Refused for a type in a package its module does not open; it is then checked
   * per call, as before.
   */
  private static void accessible(Method method) {
    try {
      method.setAccessible(true);
    } catch (RuntimeException refused) {
      // InaccessibleObjectException (Java 9+) or a security manager's refusal.
    }
  }

  /** The method on {@code c} if public, else on one of its public interfaces. */
  private static Method declared(Class<?> c, String name, int arity) {
    if (Modifier.isPublic(c.getModifiers())) {
      for (Method m : c.getMethods()) {
        if (m.getName().equals(name)
            && m.getParameterCount() == arity
            && (arity == 0 || m.getParameterTypes()[0] == String.class)) {
          accessible(m);
          return m;
        }
      }
    }
    for (Class<?> i : c.getInterfaces()) {
      Method found = declared(i, name, arity);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
