package dev.seamwatch.agent.report;

import java.io.IOException;

/**
 * A report file that is not valid JSON, not a Seamwatch report, or of a newer version than this
 * agent reads. The message says where: a line and column for bad JSON, a field path (such as {@code
 * integrations[2].calls}) for a bad field.
 */
public final class ReportFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public ReportFormatException(String message) {
    super(message);
  }
}
