package dev.seamwatch.agent.recorder.db;

import java.util.Objects;

/**
 * What may be exported about one SQL statement: its sanitized text and the names parsed from it.
 * Immutable; made by {@link SqlSanitizer}.
 *
 * <p>The current semantic conventions for SQL say {@code db.operation.name} and {@code
 * db.collection.name} SHOULD NOT be taken from the query text, and recommend {@code
 * db.query.summary} instead; the two are here for callers that want them anyway (a metric
 * dimension, a report column).
 */
public final class SqlStatementInfo {

  static final SqlStatementInfo EMPTY = new SqlStatementInfo("", null, null, null);

  private final String queryText;
  private final String operationName;
  private final String collectionName;
  private final String querySummary;

  SqlStatementInfo(
      String queryText, String operationName, String collectionName, String querySummary) {
    this.queryText = queryText;
    this.operationName = operationName;
    this.collectionName = collectionName;
    this.querySummary = querySummary;
  }

  /**
   * For {@code db.query.text}: literals replaced by {@code ?}, comments removed, whitespace
   * collapsed, at most {@link SqlSanitizer#MAX_QUERY_TEXT_LENGTH} characters plus a trailing {@code
   * "..."} when cut. Never null; empty for empty input.
   */
  public String queryText() {
    return queryText;
  }

  /**
   * The first statement's operation, upper case ({@code SELECT}, {@code INSERT}, {@code CALL},
   * {@code COMMIT}...); for {@code WITH ... SELECT}, the main statement's. Null when the first word
   * is not a known operation.
   */
  public String operationName() {
    return operationName;
  }

  /**
   * The table the statement is about, as written, quotes removed, schema qualification kept ({@code
   * public.users}); null when there is none or more than one (joins, several statements on
   * different tables).
   */
  public String collectionName() {
    return collectionName;
  }

  /**
   * For {@code db.query.summary}: operations and targets in the order written ({@code SELECT
   * users}, {@code INSERT orders SELECT carts}), at most 255 characters, cut between parts; null
   * when no operation was recognized.
   */
  public String querySummary() {
    return querySummary;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SqlStatementInfo)) {
      return false;
    }
    SqlStatementInfo that = (SqlStatementInfo) o;
    return queryText.equals(that.queryText)
        && Objects.equals(operationName, that.operationName)
        && Objects.equals(collectionName, that.collectionName)
        && Objects.equals(querySummary, that.querySummary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(queryText, operationName, collectionName, querySummary);
  }

  @Override
  public String toString() {
    return "SqlStatementInfo{queryText="
        + queryText
        + ", operationName="
        + operationName
        + ", collectionName="
        + collectionName
        + ", querySummary="
        + querySummary
        + '}';
  }
}
