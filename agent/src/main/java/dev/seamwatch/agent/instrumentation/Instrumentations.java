package dev.seamwatch.agent.instrumentation;

import dev.seamwatch.agent.instrumentation.http.jdkclient.JdkHttpClientInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every instrumentation Seamwatch has, in one list anyone can grep. */
public final class Instrumentations {

  private Instrumentations() {}

  public static List<ClientInstrumentation> all() {
    return Collections.unmodifiableList(
        Arrays.<ClientInstrumentation>asList(new JdkHttpClientInstrumentation()));
  }
}
