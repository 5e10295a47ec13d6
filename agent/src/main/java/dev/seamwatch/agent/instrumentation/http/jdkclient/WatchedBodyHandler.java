package dev.seamwatch.agent.instrumentation.http.jdkclient;

import dev.seamwatch.agent.recorder.ResponseBody;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Wraps the application's body handler so that the recorder sees the response body's bytes as the
 * application's own subscriber receives them: each buffer is looked at by absolute index (its
 * position and limit untouched) and then passed on, unchanged and in order. Nothing is read that
 * the application's subscriber would not have read, and its body object is the one it makes.
 *
 * <p>The JDK delivers to a subscriber of its own on the thread that read the bytes, and to any
 * other through the client's executor; {@link TrustedSubscribers} keeps the wrapper on the path the
 * application's own subscriber would have had.
 */
final class WatchedBodyHandler<T> implements HttpResponse.BodyHandler<T> {

  private final HttpResponse.BodyHandler<T> handler;
  private final ResponseBody body;

  WatchedBodyHandler(HttpResponse.BodyHandler<T> handler, ResponseBody body) {
    this.handler = handler;
    this.body = body;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo responseInfo) {
    body.status(responseInfo.statusCode());
    return TrustedSubscribers.watch(handler.apply(responseInfo), body);
  }

  /**
   * The watching subscriber. Not final, package-private: {@link TrustedSubscribers} subclasses it
   * at run time.
   */
  static class Subscriber<T> implements HttpResponse.BodySubscriber<T> {

    private final HttpResponse.BodySubscriber<T> subscriber;
    private final ResponseBody body;

    Subscriber(HttpResponse.BodySubscriber<T> subscriber, ResponseBody body) {
      this.subscriber = subscriber;
      this.body = body;
    }

    /**
     * What the JDK's {@code TrustedSubscriber.needsExecutor()} asks; the subclass made at run time
     * implements that interface with this method. The wrapper itself never blocks.
     */
    public boolean needsExecutor() {
      return TrustedSubscribers.needsExecutor(subscriber);
    }

    @Override
    public CompletionStage<T> getBody() {
      return subscriber.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscriber.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (int i = 0; i < items.size(); i++) {
        body.feed(items.get(i));
      }
      subscriber.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      body.finish(false);
      subscriber.onError(throwable);
    }

    @Override
    public void onComplete() {
      body.finish(true);
      subscriber.onComplete();
    }
  }
}
