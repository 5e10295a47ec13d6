package dev.seamwatch.e2e;

import dev.seamwatch.e2e.harness.ChildJvm;
import java.util.List;

/** The HTTP client contract for http-url-connection. */
class HttpUrlConnectionContractE2ETest extends HttpClientContract {

  @Override
  String client() {
    return "http-url-connection";
  }

  @Override
  List<String> classpath() {
    return ChildJvm.httpClientsAppClasspath();
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
