package dev.seamwatch.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/** The recorder until the agent has started: counts calls and records nothing. */
final class BeforeStart implements CallRecorder {

  static final BeforeStart INSTANCE = new BeforeStart();

  final LongAdder calls = new LongAdder();

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    calls.increment();
    return null;
  }

  @Override
  public HttpClientCall enterHttpClient(String instrumentation, Object request) {
    calls.increment();
    return null;
  }

  @Override
  public void queueHttpClient(String instrumentation, Object request) {
    calls.increment();
  }

  @Override
  public HttpClientCall runHttpClient(String instrumentation, Object request) {
    calls.increment();
    return null;
  }

  @Override
  public Object httpAttempt(Object request) {
    return request;
  }

  @Override
  public String[] httpAttemptHeaders() {
    return null;
  }

  @Override
  public void startHttpClient(String instrumentation, String method, String url, Object key) {
    calls.increment();
  }

  @Override
  public HttpClientCall httpClientFor(Object key) {
    return null;
  }

  @Override
  public String[] httpAttemptHeaders(Object key) {
    return null;
  }

  @Override
  public MessageSend startMessageSend(
      String instrumentation,
      String system,
      String destination,
      String destinationKind,
      String server) {
    calls.increment();
    return null;
  }

  @Override
  public MessageSend startMessageSend(String instrumentation, Object client, Object[] args) {
    calls.increment();
    return null;
  }

  @Override
  public MessageSend currentMessageSend() {
    return null;
  }

  @Override
  public MessageSend messageSendFor(Object key) {
    return null;
  }

  @Override
  public void messagesConfirmed(Object key, long sequence, boolean multiple, boolean failed) {}

  @Override
  public void messagesUnconfirmed(Object key, Throwable cause) {}

  @Override
  public DbCall startDbStatement(
      String instrumentation, Object statement, String sql, boolean batch) {
    calls.increment();
    return null;
  }

  @Override
  public DbCall startDbConnectionWait(Object dataSource) {
    return null;
  }

  @Override
  public DbCall startDbConnect(Object driver, String url) {
    return null;
  }

  @Override
  public void dbStatementPrepared(Object statement, String sql) {}

  @Override
  public void dbBatchAdded(Object statement, String sql) {}

  @Override
  public void dbRowRead(Object resultSet, boolean hasRow) {}

  @Override
  public void dbClosed(Object resultSetOrStatement) {}

  @Override
  public void bodyRead(Object stream, byte[] b, int off, int n) {}

  @Override
  public void bodyReadByte(Object stream, int value) {}

  @Override
  public void bodyClosed(Object stream) {}

  @Override
  public void httpResponseBody(Object stream, int status) {}

  @Override
  public void httpTimeouts(long connectMillis, long responseMillis) {}

  @Override
  public boolean firstSeen(Object object) {
    return false;
  }

  @Override
  public long bodyBufferMark(Object stream, Object buffer) {
    return -1;
  }

  @Override
  public void bodyReadInto(Object stream, Object buffer, long offset, long n) {}
}
