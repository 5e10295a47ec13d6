package dev.seamwatch.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * The recorder until the agent has started. With {@code seamwatch.startup=sync} (the default) a
 * call that begins before then waits for the start (see {@link Bridge#awaitStart}) and is recorded
 * by the agent's recorder; otherwise, or if the start does not come in time, it is counted and not
 * recorded.
 */
final class BeforeStart implements CallRecorder {

  static final BeforeStart INSTANCE = new BeforeStart();

  final LongAdder calls = new LongAdder();

  @Override
  public HttpClientCall startHttpClient(String instrumentation, String method, String url) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startHttpClient(instrumentation, method, url);
    }
    calls.increment();
    return null;
  }

  @Override
  public HttpClientCall enterHttpClient(String instrumentation, Object request) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.enterHttpClient(instrumentation, request);
    }
    calls.increment();
    return null;
  }

  @Override
  public void queueHttpClient(String instrumentation, Object request) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.queueHttpClient(instrumentation, request);
      return;
    }
    calls.increment();
  }

  @Override
  public HttpClientCall runHttpClient(String instrumentation, Object request) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.runHttpClient(instrumentation, request);
    }
    calls.increment();
    return null;
  }

  @Override
  public Object httpAttempt(Object request) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.httpAttempt(request);
    }
    return request;
  }

  @Override
  public String[] httpAttemptHeaders() {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.httpAttemptHeaders();
    }
    return null;
  }

  @Override
  public void startHttpClient(String instrumentation, String method, String url, Object key) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.startHttpClient(instrumentation, method, url, key);
      return;
    }
    calls.increment();
  }

  @Override
  public HttpClientCall httpClientFor(Object key) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.httpClientFor(key);
    }
    return null;
  }

  @Override
  public String[] httpAttemptHeaders(Object key) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.httpAttemptHeaders(key);
    }
    return null;
  }

  @Override
  public MessageSend startMessageSend(
      String instrumentation,
      String system,
      String destination,
      String destinationKind,
      String server) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startMessageSend(
          instrumentation, system, destination, destinationKind, server);
    }
    calls.increment();
    return null;
  }

  @Override
  public MessageSend startMessageSend(String instrumentation, Object client, Object[] args) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startMessageSend(instrumentation, client, args);
    }
    calls.increment();
    return null;
  }

  @Override
  public MessageSend currentMessageSend() {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.currentMessageSend();
    }
    return null;
  }

  @Override
  public MessageSend takeMessageSend(Object key) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.takeMessageSend(key);
    }
    return null;
  }

  @Override
  public void messagesConfirmed(Object key, long sequence, boolean multiple, boolean failed) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.messagesConfirmed(key, sequence, multiple, failed);
    }
  }

  @Override
  public void messagesUnconfirmed(Object key, Throwable cause) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.messagesUnconfirmed(key, cause);
    }
  }

  @Override
  public DbCall startDbStatement(
      String instrumentation, Object statement, String sql, boolean batch) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startDbStatement(instrumentation, statement, sql, batch);
    }
    calls.increment();
    return null;
  }

  @Override
  public DbCall startDbConnectionWait(Object dataSource) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startDbConnectionWait(dataSource);
    }
    return null;
  }

  @Override
  public DbCall startDbConnect(Object driver, String url) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.startDbConnect(driver, url);
    }
    return null;
  }

  @Override
  public void dbStatementPrepared(Object statement, String sql) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.dbStatementPrepared(statement, sql);
    }
  }

  @Override
  public void dbBatchAdded(Object statement, String sql) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.dbBatchAdded(statement, sql);
    }
  }

  @Override
  public void dbRowRead(Object resultSet, boolean hasRow) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.dbRowRead(resultSet, hasRow);
    }
  }

  @Override
  public void dbClosed(Object resultSetOrStatement) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.dbClosed(resultSetOrStatement);
    }
  }

  @Override
  public void bodyRead(Object stream, byte[] b, int off, int n) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.bodyRead(stream, b, off, n);
    }
  }

  @Override
  public void bodyReadByte(Object stream, int value) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.bodyReadByte(stream, value);
    }
  }

  @Override
  public void bodyClosed(Object stream) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.bodyClosed(stream);
    }
  }

  @Override
  public void httpResponseBody(Object stream, int status) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.httpResponseBody(stream, status);
    }
  }

  @Override
  public void httpTimeouts(long connectMillis, long responseMillis) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.httpTimeouts(connectMillis, responseMillis);
    }
  }

  @Override
  public boolean firstSeen(Object object) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.firstSeen(object);
    }
    return false;
  }

  @Override
  public long bodyBufferMark(Object stream, Object buffer) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      return started.bodyBufferMark(stream, buffer);
    }
    return -1;
  }

  @Override
  public void bodyReadInto(Object stream, Object buffer, long offset, long n) {
    CallRecorder started = Bridge.awaitStart();
    if (started != null) {
      started.bodyReadInto(stream, buffer, offset, n);
    }
  }
}
