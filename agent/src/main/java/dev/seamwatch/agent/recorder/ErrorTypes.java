package dev.seamwatch.agent.recorder;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@code error.type} for a failed call: the fully-qualified class name of the exception, as the
 * semantic conventions recommend, after unwrapping the wrappers that futures add, so that {@code
 * send} and {@code sendAsync} report the same failure the same way.
 */
public final class ErrorTypes {

  private ErrorTypes() {}

  public static Throwable unwrap(Throwable error) {
    Throwable current = error;
    for (int i = 0; i < 8 && current.getCause() != null; i++) {
      if (current instanceof CompletionException || current instanceof ExecutionException) {
        current = current.getCause();
      } else {
        break;
      }
    }
    return current;
  }

  public static String of(Throwable error) {
    return unwrap(error).getClass().getName();
  }
}
