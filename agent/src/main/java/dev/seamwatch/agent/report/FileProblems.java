package dev.seamwatch.agent.report;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Words for a failed file operation. NIO's messages are often the bare path, which says nothing of
 * what went wrong. JDK types only: the diff command runs where the bridge is not loaded.
 */
final class FileProblems {

  private FileProblems() {}

  static String reason(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason().toLowerCase(Locale.ROOT);
    }
    return e.toString();
  }
}
