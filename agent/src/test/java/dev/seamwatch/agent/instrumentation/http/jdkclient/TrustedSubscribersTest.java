package dev.seamwatch.agent.instrumentation.http.jdkclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * The watched subscriber answers the JDK's "does getBody need an executor?" as the application's
 * own subscriber would. The surefire argLine exports {@code jdk.internal.net.http} to the tests'
 * module, as the agent exports it to its own at run time.
 */
class TrustedSubscribersTest {

  /** What the JDK asks before deciding where a body is delivered. */
  private static boolean jdkNeedsExecutor(BodySubscriber<?> subscriber) throws Exception {
    Class<?> trusted = Class.forName("jdk.internal.net.http.ResponseSubscribers$TrustedSubscriber");
    return (boolean)
        trusted.getMethod("needsExecutor", BodySubscriber.class).invoke(null, subscriber);
  }

  @Test
  void aWatchedJdkSubscriberStaysOnTheFastPath() throws Exception {
    for (BodySubscriber<?> app :
        List.of(
            BodySubscribers.ofString(StandardCharsets.UTF_8),
            BodySubscribers.ofByteArray(),
            BodySubscribers.discarding())) {
      assertThat(jdkNeedsExecutor(app)).as("the JDK's own %s", app).isFalse();
      BodySubscriber<?> watched = TrustedSubscribers.watch(app, null);
      assertThat(watched).isInstanceOf(WatchedBodyHandler.Subscriber.class).isNotSameAs(app);
      assertThat(jdkNeedsExecutor(watched)).as("watched %s", app).isFalse();
    }
  }

  @Test
  void aWatchedForeignSubscriberStillGoesThroughTheExecutor() throws Exception {
    BodySubscriber<String> foreign = new Foreign();
    assertThat(jdkNeedsExecutor(foreign)).isTrue();
    assertThat(jdkNeedsExecutor(TrustedSubscribers.watch(foreign, null))).isTrue();
  }

  @Test
  void theWatchedSubscriberHandsOverTheApplicationsBody() throws Exception {
    BodySubscriber<String> app = BodySubscribers.ofString(StandardCharsets.UTF_8);
    HttpResponse.BodySubscriber<String> watched = TrustedSubscribers.watch(app, null);
    assertThat(watched.getBody()).isSameAs(app.getBody());
  }

  private static final class Foreign implements BodySubscriber<String> {
    private final CompletableFuture<String> body = new CompletableFuture<>();

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {}

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
