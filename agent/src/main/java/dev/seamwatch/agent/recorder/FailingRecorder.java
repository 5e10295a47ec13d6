package dev.seamwatch.agent.recorder;

import dev.seamwatch.bootstrap.CallRecorder;
import dev.seamwatch.bootstrap.DbCall;
import dev.seamwatch.bootstrap.HttpClientCall;
import dev.seamwatch.bootstrap.MessageSend;

/**
 * For robustness tests only ({@code seamwatch.debug.failing-recorder=true}): a recorder whose every
 * entry point throws, to prove that advice keeps the agent's failures away from the application.
 */
public final class FailingRecorder implements CallRecorder {

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    throw failure();
  }

  @Override
  public HttpClientCall enterHttpClient(String instrumentation, Object request) {
    throw failure();
  }

  @Override
  public void queueHttpClient(String instrumentation, Object request) {
    throw failure();
  }

  @Override
  public HttpClientCall runHttpClient(String instrumentation, Object request) {
    throw failure();
  }

  @Override
  public Object httpAttempt(Object request) {
    throw failure();
  }

  @Override
  public String[] httpAttemptHeaders() {
    throw failure();
  }

  @Override
  public void startHttpClient(String instrumentation, String method, String url, Object key) {
    throw failure();
  }

  @Override
  public HttpClientCall httpClientFor(Object key) {
    throw failure();
  }

  @Override
  public String[] httpAttemptHeaders(Object key) {
    throw failure();
  }

  @Override
  public MessageSend startMessageSend(
      String instrumentation,
      String system,
      String destination,
      String destinationKind,
      String server) {
    throw failure();
  }

  @Override
  public MessageSend startMessageSend(String instrumentation, Object client, Object[] args) {
    throw failure();
  }

  @Override
  public MessageSend currentMessageSend() {
    throw failure();
  }

  @Override
  public MessageSend takeMessageSend(Object key) {
    throw failure();
  }

  @Override
  public void messagesConfirmed(Object key, long sequence, boolean multiple, boolean failed) {
    throw failure();
  }

  @Override
  public void messagesUnconfirmed(Object key, Throwable cause) {
    throw failure();
  }

  @Override
  public DbCall startDbStatement(
      String instrumentation, Object statement, String sql, boolean batch) {
    throw failure();
  }

  @Override
  public DbCall startDbConnectionWait(Object dataSource) {
    throw failure();
  }

  @Override
  public DbCall startDbConnect(Object driver, String url) {
    throw failure();
  }

  @Override
  public void dbStatementPrepared(Object statement, String sql) {
    throw failure();
  }

  @Override
  public void dbBatchAdded(Object statement, String sql) {
    throw failure();
  }

  @Override
  public void dbRowRead(Object resultSet, boolean hasRow) {
    throw failure();
  }

  @Override
  public void dbClosed(Object resultSetOrStatement) {
    throw failure();
  }

  @Override
  public void bodyRead(Object stream, byte[] b, int off, int n) {
    throw failure();
  }

  @Override
  public void bodyReadByte(Object stream, int value) {
    throw failure();
  }

  @Override
  public void bodyClosed(Object stream) {
    throw failure();
  }

  @Override
  public void httpResponseBody(Object stream, int status) {
    throw failure();
  }

  @Override
  public void httpTimeouts(long connectMillis, long responseMillis) {
    throw failure();
  }

  @Override
  public boolean firstSeen(Object object) {
    throw failure();
  }

  @Override
  public long bodyBufferMark(Object stream, Object buffer) {
    throw failure();
  }

  @Override
  public void bodyReadInto(Object stream, Object buffer, long offset, long n) {
    throw failure();
  }

  private static IllegalStateException failure() {
    return new IllegalStateException("seamwatch.debug.failing-recorder: injected failure");
  }
}
