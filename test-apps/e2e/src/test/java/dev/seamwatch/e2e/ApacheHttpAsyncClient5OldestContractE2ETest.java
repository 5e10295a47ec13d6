package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for apache-httpclient-5 async, on its oldest supported version. */
class ApacheHttpAsyncClient5OldestContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "apache-httpclient-5-async";
  }

  @Override
  List<String> classpath() {
    return ChildJvm.oldestHttpClientsClasspath();
  }

  @Override
  boolean hasAsyncApi() {
    return true;
  }

  @Override
  boolean countsResends() {
    return true;
  }

  @Override
  int attemptsOn503() {
    return 2;
  }

  /** Its bodies go to the application's async consumer, which the agent does not watch. */
  @Override
  boolean watchesBodies() {
    return false;
  }

  /** Its timeouts are not read: the async client has no readiness findings yet. */
  @Override
  List<String> readinessWithoutTimeouts() {
    return List.of();
  }
}
