package dev.seamwatch.bootstrap.loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent's own class loader: it defines the agent and its relocated dependencies from the {@code
 * inst/} entries of the agent jar, where classes are stored as {@code .classdata} so that no
 * application class loader, and no classpath scanner, ever sees them.
 *
 * <p>This class is not part of the bridge: the system class loader defines it, for the premain, and
 * only the classes directly in {@code dev.seamwatch.bootstrap} go to the bootstrap loader.
 *
 * <p>Its parent is the platform class loader: the agent sees the JDK (including {@code
 * java.net.http} and {@code java.sql}, which the platform loader defines) and the bridge (appended
 * to the bootstrap loader), and nothing of the application. An application that bundles its own
 * OpenTelemetry or Byte Buddy therefore never meets ours.
 *
 * <p>Resources are served too, because the OpenTelemetry SDK finds its exporters with {@link
 * java.util.ServiceLoader}, and Byte Buddy reads advice class files as {@code .class} resources.
 */
public final class AgentClassLoader extends ClassLoader {

  private static final String PREFIX = "inst/";

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(JarFile jar, URL jarLocation, ClassLoader parent) {
    super("seamwatch", parent);
    this.jar = jar;
    this.jarUrl = "jar:" + jarLocation.toExternalForm() + "!/";
    this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot <= 0) {
      return;
    }
    String pkg = className.substring(0, dot);
    if (getDefinedPackage(pkg) == null) {
      try {
        definePackage(pkg, null, null, null, null, null, null, null);
      } catch (IllegalArgumentException raced) {
        // Another thread defined it first.
      }
    }
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(Collections.singletonList(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    // Served straight from the open jar: no URL connection and no jar-URL cache for every advice
    // class Byte Buddy reads.
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
    }
    return super.getResourceAsStream(name);
  }

  private static String entryName(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    if (name.endsWith(".class")) {
      name = name.substring(0, name.length() - ".class".length()) + ".classdata";
    }
    return PREFIX + name;
  }
}
