package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.anomaly.BodySniffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP response body, watched as the application reads it: its bytes are counted and the first
 * few KiB go through a {@link BodySniffer} (shape, emptiness, error markers) as they pass. The
 * agent never reads a body itself, so a body the application reads partly is read exactly as
 * without the agent; what it did not read is not known, and then neither is the size.
 *
 * <p>A body is read by one thread at a time (a stream's reader, or a subscriber's serialized {@code
 * onNext}), which is all the sniffer needs.
 */
public final class ResponseBody {

  final HttpCall call;
  private final BodySniffer sniffer;
  private final AtomicBoolean finished = new AtomicBoolean();

  /** The response status, once known: from the client's response, or at the call's end. */
  volatile int status;

  /** The length the response declared ({@code Content-Length}), or -1. */
  volatile long declaredLength = -1;

  ResponseBody(HttpCall call, BodySniffer sniffer) {
    this.call = call;
    this.sniffer = sniffer;
  }

  public void status(int status) {
    this.status = status;
  }

  /** Bytes the application was handed, left exactly as they were. */
  public void feed(ByteBuffer buffer) {
    try {
      if (finished.get()) {
        return;
      }
      if (sniffer.scanDone()) {
        sniffer.count(buffer.remaining());
      } else {
        sniffer.feed(buffer);
      }
    } catch (Throwable t) {
      call.recorder.internalFailure(t);
    }
  }

  void read(byte[] b, int off, int n) {
    if (n < 0) {
      finish(true);
    } else if (!finished.get()) {
      if (sniffer.scanDone()) {
        sniffer.count(n);
      } else {
        sniffer.feed(b, off, n);
      }
    }
  }

  /** Bytes a client's source appended to its buffer: the client's adapter copies them out. */
  void readInto(Object buffer, long offset, long n) {
    if (n < 0) {
      finish(true);
    } else if (!finished.get() && offset >= 0) {
      if (sniffer.scanDone()) {
        sniffer.count(n);
      } else {
        call.adapter.copyBody(buffer, offset, n, this);
      }
    }
  }

  /** Bytes copied out of a client's buffer (see {@link HttpClientAdapter#copyBody}). */
  public void feed(byte[] b, int off, int len) {
    sniffer.feed(b, off, len);
  }

  void readByte(int value) {
    if (value < 0) {
      finish(true);
    } else if (!finished.get()) {
      if (sniffer.scanDone()) {
        sniffer.count(1);
      } else {
        sniffer.feed(value);
      }
    }
  }

  /**
   * The body ended: at its end ({@code complete}), or closed or failed before it. Only a complete
   * body tells its size and whether it is empty.
   */
  public void finish(boolean complete) {
    try {
      if (finished.compareAndSet(false, true)) {
        sniffer.finish();
        call.recorder.bodyFinished(this, sniffer, complete);
      }
    } catch (Throwable t) {
      call.recorder.internalFailure(t);
    }
  }

  boolean finished() {
    return finished.get();
  }
}
