package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for apache-httpclient-4, on its oldest supported version. */
class ApacheHttpClient4OldestContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "apache-httpclient-4";
  }

  @Override
  List<String> classpath() {
    return ChildJvm.oldestHttpClientsClasspath();
  }

  @Override
  boolean hasAsyncApi() {
    return false;
  }

  @Override
  boolean countsResends() {
    return true;
  }
}
