package dev.seamwatch.bootstrap;

/**
 * What advice tells the agent about one external call: plain facts in, a handle out.
 *
 * <p>Every method returns quickly and never throws; a {@code null} handle means "not recorded" (the
 * call is nested in another Seamwatch call of the same kind, was made by the agent itself, came
 * before the agent started, or its instrumentation is off) and advice then does nothing more.
 */
public interface CallRecorder {

  /**
   * Starts one outgoing HTTP request and makes it current on the calling thread.
   *
   * @param instrumentation the instrumentation's name, for example {@code java-http-client}
   * @param method the request method, for example {@code GET}
   * @param url the absolute request URL, as the client will send it (redacted by the recorder)
   */
  HttpClientCall startHttpClient(String instrumentation, String method, String url);

  /**
   * For clients whose request object lives across several method calls ({@code HttpURLConnection}:
   * connect, then write, then read): the call for this object, started on its first method and
   * current while each method runs. End it with {@link HttpClientCall#end} when the response is
   * known, or {@link HttpClientCall#leave} when the method returns before that. Null once the call
   * has ended, or when it is not recorded.
   */
  HttpClientCall enterHttpClient(String instrumentation, Object request);

  /**
   * For clients that hand a call to another thread ({@code OkHttp}'s {@code enqueue}): starts the
   * call for {@code request} (the client's call object, read by the instrumentation's adapter) when
   * the application makes it, without making it current; the thread that later runs it takes it
   * with {@link #runHttpClient}. A call that never runs ends, without a status, when {@code
   * request} is collected.
   */
  void queueHttpClient(String instrumentation, Object request);

  /**
   * The call for {@code request}, current on the calling thread until it ends: the one queued for
   * it, or, for a call the application runs on this thread, one started now. Null when not
   * recorded.
   */
  HttpClientCall runHttpClient(String instrumentation, Object request);

  /**
   * For asynchronous clients whose steps run on other threads and meet again at one object of
   * theirs, {@code key} (Apache HttpClient 5 async: the future it returns): starts the call, not
   * current, known by {@code key} to the advice of the later steps ({@link #httpClientFor}, {@link
   * #httpAttemptHeaders(Object)}). Does nothing when a call for {@code key} exists already.
   */
  void startHttpClient(String instrumentation, String method, String url, Object key);

  /** The call started for {@code key} and not ended yet; null otherwise. */
  HttpClientCall httpClientFor(Object key);

  /** {@link #httpAttemptHeaders()} for the call started for {@code key}. */
  String[] httpAttemptHeaders(Object key);

  /**
   * A client is about to put one request on the wire for the current call (the first attempt, a
   * retry or a redirect): counts it, and returns the request to send in its place, carrying the
   * trace-context headers, read and built by the current call's adapter. Returns {@code request}
   * itself when no Seamwatch HTTP call is current.
   */
  Object httpAttempt(Object request);

  /**
   * The same for clients whose request on the wire is mutable and not the application's object
   * (Apache HttpClient's exec chain copies or wraps it): counts the attempt and returns the
   * trace-context headers to set on it, as alternating names and values; null when no Seamwatch
   * HTTP call is current.
   */
  String[] httpAttemptHeaders();

  /**
   * Starts sending one message and makes it current on the calling thread.
   *
   * @param instrumentation the instrumentation's name, for example {@code kafka}
   * @param system {@code messaging.system}: {@code kafka}, {@code rabbitmq}, {@code jms}
   * @param destination the topic, exchange or queue name ({@code messaging.destination.name})
   * @param destinationKind {@code topic}, {@code queue}, {@code exchange}, or null
   * @param server the broker as {@code host:port} (the first bootstrap server), or null
   */
  MessageSend startMessageSend(
      String instrumentation,
      String system,
      String destination,
      String destinationKind,
      String server);

  /**
   * Starts sending one message, as {@link #startMessageSend(String, String, String, String,
   * String)}, for clients whose objects the instrumentation's adapter reads: {@code client} is the
   * producer, {@code args} the arguments of its send method. The context goes on the message.
   */
  MessageSend startMessageSend(String instrumentation, Object client, Object[] args);

  /** The send current on the calling thread (inside the send method), or null. */
  MessageSend currentMessageSend();

  /**
   * The send bound to {@code key} and not ended yet, or null; the binding is removed, so each
   * binding is taken once (the outcome is reported once) and nothing is kept per send after it.
   */
  MessageSend takeMessageSend(Object key);

  /**
   * The broker confirmed ({@code failed} false) or refused (a RabbitMQ nack) the send bound to
   * {@code sequence} on {@code key}, or with {@code multiple}, every one up to it: they end.
   */
  void messagesConfirmed(Object key, long sequence, boolean multiple, boolean failed);

  /**
   * {@code key} (a channel) closed with sends still awaiting the broker's confirmation: they will
   * never get one, and fail with {@code cause}.
   */
  void messagesUnconfirmed(Object key, Throwable cause);

  /**
   * Starts one statement execution against a database and makes it current.
   *
   * @param instrumentation the instrumentation's name, for example {@code jdbc}
   * @param statement the driver's statement object (a {@code java.sql.Statement})
   * @param sql the SQL text passed to the method, or null when the statement was prepared with it
   * @param batch whether this executes the statements added to a batch
   */
  DbCall startDbStatement(String instrumentation, Object statement, String sql, boolean batch);

  /**
   * A connection is being taken from a {@code javax.sql.DataSource}, typically a pool. The handle
   * ends with the connection or the exception; null when nested in another data source.
   */
  DbCall startDbConnectionWait(Object dataSource);

  /**
   * A driver is opening a connection ({@code java.sql.Driver.connect}). The handle ends with the
   * connection or the exception; null when nested in another driver (a wrapping driver).
   */
  DbCall startDbConnect(Object driver, String url);

  /** A statement was prepared with this SQL ({@code Connection.prepareStatement}, prepareCall). */
  void dbStatementPrepared(Object statement, String sql);

  /** A statement was added to the batch of {@code statement}; {@code sql} is null if prepared. */
  void dbBatchAdded(Object statement, String sql);

  /** {@code ResultSet.next()} returned {@code hasRow}: counts the rows the application reads. */
  void dbRowRead(Object resultSet, boolean hasRow);

  /** A result set or a statement was closed: rows read so far are final. */
  void dbClosed(Object resultSetOrStatement);

  /**
   * The application read {@code n} bytes into {@code b} at {@code off} from a response body stream
   * (see {@link HttpClientCall#responseStream}); {@code n} is -1 at the end of the body. Streams
   * the recorder was not told of are ignored.
   */
  void bodyRead(Object stream, byte[] b, int off, int n);

  /** The application read one byte ({@code value}, or -1 at the end) from a body stream. */
  void bodyReadByte(Object stream, int value);

  /**
   * A request of the HTTP call current on this thread got a response with status {@code status}
   * whose body is {@code stream} (clients that report each attempt): the last one is the body the
   * application gets, earlier ones (a redirect's) are the client's own.
   */
  void httpResponseBody(Object stream, int status);

  /**
   * For body sources that read into a buffer of the client's (OkHttp's): the buffer's size before a
   * read from {@code stream}, or -1 when the stream is not watched.
   */
  long bodyBufferMark(Object stream, Object buffer);

  /**
   * A body source read {@code n} bytes into {@code buffer}, appended at {@code offset} (its mark);
   * {@code n} is -1 at the end of the body.
   */
  void bodyReadInto(Object stream, Object buffer, long offset, long n);

  /**
   * True the first time {@code object} is passed here, false after (weakly held): lets advice check
   * a client's configuration once per client object rather than on every call.
   */
  boolean firstSeen(Object object);

  /**
   * The timeouts of the HTTP call current on this thread, for clients whose advice learns them
   * inside the call (see {@link HttpClientCall#timeouts}).
   */
  void httpTimeouts(long connectMillis, long responseMillis);

  /** The application closed a body stream, read to its end or not. */
  void bodyClosed(Object stream);
}
