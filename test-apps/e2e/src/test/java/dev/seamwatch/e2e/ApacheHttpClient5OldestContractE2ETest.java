package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for apache-httpclient-5, on its oldest supported version. */
class ApacheHttpClient5OldestContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "apache-httpclient-5";
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

  @Override
  int attemptsOn503() {
    return 2;
  }

  /** Its default connect timeout is 3 minutes; the response timeout has none. */
  @Override
  List<String> readinessWithoutTimeouts() {
    return List.of("no_response_timeout");
  }
}
