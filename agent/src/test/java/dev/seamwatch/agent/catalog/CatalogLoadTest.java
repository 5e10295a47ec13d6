package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the file that {@code seamwatch.config.file} names, and what happens when it cannot be.
 */
class CatalogLoadTest {

  @TempDir Path dir;

  private final LogCapture log = new LogCapture();
  private final Map<String, String> props = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final AgentConfig config = new AgentConfig(props::get, env);

  @AfterEach
  void restoreLog() {
    log.close();
  }

  private Path write(String name, String text) throws IOException {
    return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fileIsReadAndItsPathNamesItInProblemLines() throws IOException {
    Path file =
        write(
            "seamwatch.yaml",
            "integrations:\n"
                + "  - name: a\n"
                + "    owner: team-a\n"
                + "    match: {http: {host: a.example, port: eighty}}\n"
                + "  - name: b\n"
                + "    match: {http: {host: b.example}}\n");

    Catalog catalog = Catalog.load(file);

    assertThat(catalog.integrations()).extracting(Integration::name).containsExactly("b");
    assertThat(log.lines())
        .containsExactly(
            "catalog "
                + file
                + " line 4: integrations[0].match.http.port: expected a port from 1 to 65535, got"
                + " \"eighty\"; this rule is ignored",
            "catalog "
                + file
                + " line 4: integrations[0].match: no usable rule left (http, jdbc or messaging);"
                + " this integration is ignored");
  }

  @Test
  void missingFileIsOneLineAndAnEmptyCatalog() {
    Path file = dir.resolve("nowhere.yaml");

    Catalog catalog = Catalog.load(file);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            "catalog " + file + ": cannot read the file (no such file); no catalog is used");
  }

  @Test
  void directoryIsOneLineAndAnEmptyCatalog() {
    Catalog catalog = Catalog.load(dir);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0))
        .startsWith("catalog " + dir + ": cannot read the file (")
        .endsWith("); no catalog is used");
  }

  @Test
  void fileThatIsNotUtf8IsOneLine() throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});

    Catalog catalog = Catalog.load(file);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            "catalog " + file + ": cannot read the file (not UTF-8 text); no catalog is used");
  }

  @Test
  void hugeFileIsNotRead() throws IOException {
    Path file = write("huge.yaml", "#".repeat((int) Catalog.MAX_FILE_BYTES + 1));

    Catalog catalog = Catalog.load(file);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            "catalog "
                + file
                + ": cannot read the file (larger than 1024 KiB); no catalog is used");
  }

  @Test
  void emptyFileIsAnEmptyCatalogWithoutAWord() throws IOException {
    Catalog catalog = Catalog.load(write("empty.yaml", ""));

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void fromConfigWithoutTheSettingIsEmptyAndReadsNothing() {
    Catalog catalog = Catalog.fromConfig(config);

    assertThat(catalog).isSameAs(Catalog.empty());
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void fromConfigReadsTheFileNamedByTheSystemProperty() throws IOException {
    Path file = write("c.yaml", "integrations:\n  - {name: a, match: {http: {host: a}}}\n");
    props.put("seamwatch.config.file", file.toString());

    Catalog catalog = Catalog.fromConfig(config);

    assertThat(catalog.integrations()).extracting(Integration::name).containsExactly("a");
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void fromConfigReadsTheFileNamedByTheEnvironment() throws IOException {
    Path file = write("c.yaml", "integrations:\n  - {name: e, match: {http: {host: e}}}\n");
    env.put("SEAMWATCH_CONFIG_FILE", file.toString());

    Catalog catalog = Catalog.fromConfig(config);

    assertThat(catalog.integrations()).extracting(Integration::name).containsExactly("e");
  }

  @Test
  void fromConfigWithAMissingFileSaysSoOnce() {
    props.put("seamwatch.config.file", dir.resolve("missing.yaml").toString());

    Catalog catalog = Catalog.fromConfig(config);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0)).contains("missing.yaml").contains("no such file");
  }

  @Test
  void fromConfigWithAnImpossiblePathSaysSo() {
    props.put("seamwatch.config.file", "bad\u0000name.yaml");

    Catalog catalog = Catalog.fromConfig(config);

    assertThat(catalog.integrations()).isEmpty();
    assertThat(log.lines())
        .containsExactly(
            "setting seamwatch.config.file=bad\u0000name.yaml is not a valid path; no catalog is"
                + " used");
  }
}
