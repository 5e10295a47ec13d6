package dev.seamwatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 100,000 distinct URLs and 100,000 distinct SQL strings: the agent's memory stays flat (heap after
 * a full GC, measured in the application after the first 10,000 calls and at the end), because
 * operation keys are capped ({@code seamwatch.keys.max}) and everything past the cap counts under
 * the overflow key (part of #8).
 */
class CardinalityE2ETest {

  private static final Pattern HEAP =
      Pattern.compile("calls=100000 heapEarlyKiB=(\\d+) heapEndKiB=(\\d+)");

  @Test
  void oneHundredThousandDistinctUrlsAndStatementsKeepTheHeapFlat() {
    ChildJvm.Result result =
        ChildJvm.builder()
            .classpath(ChildJvm.appsClasspath())
            .mainClass("dev.seamwatch.testapps.CardinalityApp")
            .args("100000")
            .agent(ChildJvm.agentJar())
            .sysProp("otel.traces.exporter", "none")
            .sysProp("otel.metrics.exporter", "none")
            .sysProp("otel.logs.exporter", "none")
            .sysProp("seamwatch.report.file", "none")
            .timeout(Duration.ofSeconds(240))
            .run()
            .assertSuccess();
    Matcher heap = HEAP.matcher(result.stdout());
    assertThat(heap.find()).as(result.stdout()).isTrue();
    long early = Long.parseLong(heap.group(1));
    long end = Long.parseLong(heap.group(2));
    // A few hundred bytes kept per distinct URL or statement would be tens of MiB here, a dozen
    // bytes 2 MiB. The readings vary by about 0.15 MiB from run to run (see CardinalityApp).
    assertThat(end - early).as("heap growth in KiB from 10,000 to 100,000 calls").isLessThan(2048);
    // The keys past the cap were counted, under the overflow key: the report says so.
    assertThat(result.seamwatchLines())
        .anySatisfy(l -> assertThat(l).contains("_overflow"))
        // 100,000 of each kind, the table's creation and row, the connect, and six calls of
        // each kind (and their connects) that let the agent's weak maps settle between GCs.
        .anySatisfy(l -> assertThat(l).contains("200021 call(s)"))
        // The console table stays readable: 25 operations at most per integration.
        .anySatisfy(
            l -> assertThat(l).contains("... and 1971 more operation(s), in the JSON report"));
    assertThat(result.seamwatchLines()).hasSizeLessThan(50);
  }
}
