package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for okhttp. */
class OkHttp5ContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "okhttp";
  }

  @Override
  List<String> classpath() {
    return ChildJvm.okHttp5AppClasspath();
  }

  @Override
  boolean hasAsyncApi() {
    return true;
  }

  @Override
  boolean countsResends() {
    return true;
  }
}
