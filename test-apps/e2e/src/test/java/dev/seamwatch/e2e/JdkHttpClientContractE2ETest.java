package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for java-http-client. */
class JdkHttpClientContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "java-http-client";
  }

  @Override
  List<String> classpath() {
    return ChildJvm.httpClientsAppClasspath();
  }

  @Override
  boolean hasAsyncApi() {
    return true;
  }

  @Override
  boolean countsResends() {
    return false;
  }
}
