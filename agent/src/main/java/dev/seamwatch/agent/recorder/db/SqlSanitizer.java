package dev.seamwatch.agent.recorder.db;

/**
 * Turns SQL text into what is safe to export: literals become {@code ?}, comments go (they often
 * carry literals or customer data), whitespace collapses, and the operation and tables are read for
 * {@code db.query.summary}. One hand-written pass over the text, no regular expressions, so a
 * statement of any size costs linear time; it never throws.
 *
 * <p>Two kinds of list are collapsed so that the text stays low in cardinality when the number of
 * values changes:
 *
 * <ul>
 *   <li>{@code IN (?, ?, ?)} becomes {@code IN (?)}.
 *   <li>{@code VALUES (?, ?), (?, ?)} becomes {@code VALUES (?, ?)}: rows after the first that hold
 *       only values are dropped. The first row stays whole, so the column count is still visible; a
 *       row with anything else in it ({@code NOW()}, {@code DEFAULT}) is kept.
 * </ul>
 *
 * <p>Lists of {@code $1} or {@code :name} placeholders are kept as written: their names are the
 * application's, and collapsing would hide which parameters a statement takes.
 */
public final class SqlSanitizer {

  /** The most characters of sanitized text kept; a cut text ends with {@code "..."}. */
  public static final int MAX_QUERY_TEXT_LENGTH = 4096;

  static final String TRUNCATION_MARK = "...";

  private SqlSanitizer() {}

  /**
   * Sanitizes with the dialect unknown: ambiguous backslashes in literals redact everything after
   * them, and {@code "..."} is read as an identifier.
   */
  public static SqlStatementInfo sanitize(String sql) {
    return sanitize(sql, SqlDialect.UNKNOWN);
  }

  /** Sanitizes with the quoting and comment rules of {@code dialect}. */
  public static SqlStatementInfo sanitize(String sql, SqlDialect dialect) {
    if (sql == null || sql.isEmpty()) {
      return SqlStatementInfo.EMPTY;
    }
    try {
      SqlLexer lexer = new SqlLexer(sql, dialect == null ? SqlDialect.UNKNOWN : dialect);
      TextWriter text = new TextWriter(sql);
      SqlSummarizer summary = new SqlSummarizer(sql);
      while (lexer.next()) {
        text.accept(lexer);
        summary.accept(lexer);
      }
      summary.finish();
      return new SqlStatementInfo(
          text.result(), summary.operationName(), summary.collectionName(), summary.querySummary());
    } catch (RuntimeException e) {
      // A defect here must not reach the application, nor export the raw text.
      return SqlStatementInfo.EMPTY;
    }
  }

  /**
   * Writes tokens with single spaces where the source had whitespace or comments, literals as
   * {@code ?}. List collapsing rewinds the output to a mark: the values of a list are written as
   * they come and cut back when the list closes, so no token ever needs to be held back.
   */
  private static final class TextWriter {

    private static final int IN_NONE = 0;
    private static final int IN_KEYWORD = 1;
    private static final int IN_LIST = 2;

    private static final int VALUES_NONE = 0;
    private static final int VALUES_KEYWORD = 1;
    private static final int VALUES_FIRST_ROW = 2;
    private static final int VALUES_AFTER_ROW = 3;
    private static final int VALUES_AFTER_COMMA = 4;
    private static final int VALUES_ROW = 5;

    private final String sql;
    private final StringBuilder out;
    private boolean overflow;

    private int inState;
    private int inMark;
    private boolean inMarkOverflow;
    private boolean inExpectValue;

    private int valuesState;
    private int valuesDepth;
    private int valuesMark;
    private boolean valuesMarkOverflow;
    private boolean valuesExpectValue;

    TextWriter(String sql) {
      this.sql = sql;
      this.out = new StringBuilder(Math.min(sql.length(), MAX_QUERY_TEXT_LENGTH) + 8);
    }

    void accept(SqlLexer token) {
      boolean space = token.spaceBefore && out.length() > 0;
      boolean value = token.type == SqlLexer.LITERAL || token.type == SqlLexer.PLACEHOLDER;
      char punct =
          token.type == SqlLexer.PUNCT && token.end - token.start == 1
              ? sql.charAt(token.start)
              : 0;
      if (value) {
        append("?", 0, 1, space);
      } else {
        append(sql, token.start, token.end, space);
      }
      inList(token, value, punct);
      valuesRows(token, value, punct);
    }

    private void inList(SqlLexer token, boolean value, char punct) {
      if (inState == IN_KEYWORD) {
        inState = IN_NONE;
        if (punct == '(') {
          inState = IN_LIST;
          inMark = out.length();
          inMarkOverflow = overflow;
          inExpectValue = true;
          return;
        }
      } else if (inState == IN_LIST) {
        if (value && inExpectValue) {
          inExpectValue = false;
          return;
        }
        if (punct == ',' && !inExpectValue) {
          inExpectValue = true;
          return;
        }
        inState = IN_NONE;
        if (punct == ')' && !inExpectValue) {
          rewind(inMark, inMarkOverflow);
          append("?)", 0, 2, false);
          return;
        }
      }
      if (token.type == SqlLexer.WORD && "IN".equals(token.upper)) {
        inState = IN_KEYWORD;
      }
    }

    private void valuesRows(SqlLexer token, boolean value, char punct) {
      switch (valuesState) {
        case VALUES_KEYWORD:
          valuesState = VALUES_NONE;
          if (punct == '(') {
            valuesState = VALUES_FIRST_ROW;
            valuesDepth = 1;
            return;
          }
          break;
        case VALUES_FIRST_ROW:
          if (punct == '(') {
            valuesDepth++;
          } else if (punct == ')' && --valuesDepth == 0) {
            valuesState = VALUES_AFTER_ROW;
            valuesMark = out.length();
            valuesMarkOverflow = overflow;
          }
          return;
        case VALUES_AFTER_ROW:
          valuesState = punct == ',' ? VALUES_AFTER_COMMA : VALUES_NONE;
          break;
        case VALUES_AFTER_COMMA:
          if (punct == '(') {
            valuesState = VALUES_ROW;
            valuesExpectValue = true;
            return;
          }
          valuesState = VALUES_NONE;
          break;
        case VALUES_ROW:
          if (value && valuesExpectValue) {
            valuesExpectValue = false;
            return;
          }
          if (punct == ',' && !valuesExpectValue) {
            valuesExpectValue = true;
            return;
          }
          if (punct == ')' && !valuesExpectValue) {
            rewind(valuesMark, valuesMarkOverflow);
            valuesState = VALUES_AFTER_ROW;
            return;
          }
          valuesState = VALUES_NONE;
          break;
        default:
          break;
      }
      if (token.type == SqlLexer.WORD
          && ("VALUES".equals(token.upper) || "VALUE".equals(token.upper))) {
        valuesState = VALUES_KEYWORD;
      }
    }

    private void rewind(int mark, boolean markOverflow) {
      out.setLength(mark);
      overflow = markOverflow;
    }

    private void append(CharSequence text, int from, int to, boolean space) {
      if (overflow) {
        return;
      }
      int needed = to - from + (space ? 1 : 0);
      if (out.length() + needed > MAX_QUERY_TEXT_LENGTH) {
        // Cut between tokens, never inside one.
        overflow = true;
        return;
      }
      if (space) {
        out.append(' ');
      }
      out.append(text, from, to);
    }

    String result() {
      return overflow ? out + TRUNCATION_MARK : out.toString();
    }
  }
}
