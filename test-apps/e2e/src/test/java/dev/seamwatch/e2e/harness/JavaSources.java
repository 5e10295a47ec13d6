package dev.seamwatch.e2e.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Classes a test writes as Java sources and compiles with the JDK's compiler, for Java 11. */
public final class JavaSources {

  private JavaSources() {}

  /**
   * Writes {@code sources} (by path, {@code probe/App.java}) under {@code work/name/src}, compiles
   * them into {@code work/name/classes} and returns that directory.
   */
  public static Path compile(Path work, String name, Map<String, String> sources) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new AssertionError("no system Java compiler: run the tests on a JDK, not a JRE");
    }
    Path src = work.resolve(name).resolve("src");
    Path classes = work.resolve(name).resolve("classes");
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(classes);
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path file = src.resolve(source.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
        files.add(file);
      }
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager fileManager =
          compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        boolean compiled =
            compiler
                .getTask(
                    null,
                    fileManager,
                    diagnostics,
                    List.of("--release", "11", "-proc:none", "-d", classes.toString()),
                    null,
                    fileManager.getJavaFileObjectsFromPaths(files))
                .call();
        if (!compiled) {
          throw new AssertionError(
              "the test's sources " + name + " do not compile: " + diagnostics.getDiagnostics());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test's sources " + name, e);
    }
    return classes;
  }

  /**
   * Packs {@code classes} into an agent jar whose {@code Premain-Class} is {@code premainClass}.
   */
  public static Path agentJar(Path classes, String premainClass, Path jar) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), premainClass);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent jar " + jar, e);
    }
    return jar;
  }
}
