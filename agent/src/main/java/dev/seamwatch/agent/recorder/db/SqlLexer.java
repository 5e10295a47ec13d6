package dev.seamwatch.agent.recorder.db;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Splits SQL text into the tokens {@link SqlSanitizer} needs, in one forward pass: every character
 * is looked at a bounded number of times, so any input is handled in linear time. A token is only a
 * position in the text; nothing is copied except short words, which are upper-cased for keyword
 * checks.
 *
 * <p>Whatever cannot be read with certainty (an unterminated quote or comment, a literal or comment
 * whose end depends on the database's settings) ends the text: the rest becomes one literal or, for
 * a comment, nothing. The lexer may so hide more than a database would, never less.
 */
final class SqlLexer {

  static final int EOF = 0;

  /** An unquoted identifier or keyword. */
  static final int WORD = 1;

  /** A quoted identifier ({@code "..."}, {@code `...`}): exported as written. */
  static final int QUOTED_NAME = 2;

  /** A value of any kind: exported as {@code ?}. */
  static final int LITERAL = 3;

  /** A JDBC {@code ?}. */
  static final int PLACEHOLDER = 4;

  /** {@code $1}, {@code :name}: exported as written. */
  static final int NAMED_PLACEHOLDER = 5;

  /** An operator or punctuation: exported as written. */
  static final int PUNCT = 6;

  private static final int MAX_KEYWORD_LENGTH = 24;

  // PostgreSQL limits identifiers, and so dollar-quote tags, to 63 bytes; a longer tag is not
  // one, and searching for it could cost more than linear time.
  private static final int MAX_DOLLAR_TAG_LENGTH = 63;

  /** After these keywords a sign belongs to the number that follows ({@code LIMIT -1}). */
  private static final Set<String> UNARY_CONTEXT =
      words(
          "SELECT WHERE AND OR NOT IN BETWEEN WHEN THEN ELSE VALUES VALUE SET "
              + "LIMIT OFFSET RETURN CASE LIKE ILIKE ON HAVING BY IS DEFAULT TOP ANY "
              + "ALL SOME ESCAPE INTERVAL AS FETCH FIRST NEXT DISTINCT WITH INCREMENT "
              + "START MINVALUE MAXVALUE RESTART IF ELSIF ELSEIF DO CALL EXEC EXECUTE "
              + "PRINT");

  private static Set<String> words(String words) {
    return new HashSet<>(Arrays.asList(words.split(" ")));
  }

  private final String sql;
  private final int length;
  private final SqlDialect dialect;
  private int pos;

  int type = EOF;
  int start;
  int end;

  /** Whitespace or a comment came before this token. */
  boolean spaceBefore;

  /** Upper-case text of a {@link #WORD} short enough to be a keyword; null otherwise. */
  String upper;

  private int prevType = EOF;
  private char prevChar;
  private String prevUpper;
  private String prevPrevUpper;

  SqlLexer(String sql, SqlDialect dialect) {
    this.sql = sql;
    this.length = sql.length();
    this.dialect = dialect;
  }

  /** Moves to the next token; false at the end of the text. */
  boolean next() {
    spaceBefore = false;
    upper = null;
    if (!skipSpaceAndComments()) {
      type = EOF;
      start = end = length;
      return false;
    }
    start = pos;
    char c = sql.charAt(pos);
    if (c == '\'') {
      singleQuoted(pos + 1, dialect.backslashEscapes, !dialect.backslashEscapes);
    } else if (c == '"') {
      if (dialect.doubleQuotedStrings) {
        literalUntil(closingQuote(pos + 1, '"', dialect.backslashEscapes));
      } else {
        quotedName('"');
      }
    } else if (c == '`') {
      quotedName('`');
    } else if (isDigit(c) || (c == '.' && isDigitAt(pos + 1) && !prevEndsOperand())) {
      number(pos);
    } else if ((c == '-' || c == '+') && signedNumberFollows() && unaryContext()) {
      number(pos + 1);
    } else if (c == '$') {
      dollar();
    } else if (c == ':') {
      colon();
    } else if (c == '?') {
      single(PLACEHOLDER);
    } else if (c == '#') {
      if (isWordChar(charAt(pos + 1))) {
        word();
      } else {
        single(PUNCT);
      }
    } else if (isWordStart(c)) {
      word();
    } else {
      single(PUNCT);
    }
    prevPrevUpper = prevUpper;
    prevUpper = type == WORD ? upper : null;
    prevType = type;
    prevChar = type == PUNCT ? sql.charAt(start) : 0;
    return true;
  }

  private boolean skipSpaceAndComments() {
    while (pos < length) {
      char c = sql.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '-' && charAt(pos + 1) == '-' && dashDashComment()) {
        skipLine();
      } else if (c == '/' && charAt(pos + 1) == '*') {
        skipBlockComment();
      } else if (c == '#' && hashComment()) {
        skipLine();
      } else {
        return true;
      }
      spaceBefore = true;
    }
    return false;
  }

  private boolean dashDashComment() {
    // MySQL needs whitespace or a control character after "--"; "1--1" is arithmetic there.
    return !dialect.mysqlComments || pos + 2 >= length || sql.charAt(pos + 2) <= ' ';
  }

  private boolean hashComment() {
    if (dialect.mysqlComments) {
      return true;
    }
    // Elsewhere "# " is taken as a MySQL comment too, since hiding text is the safe mistake;
    // "#temp" (SQL Server) has no space. Only in STANDARD, where PostgreSQL's "a # b" operator
    // is likely, is # never a comment.
    return dialect != SqlDialect.STANDARD && (pos + 1 >= length || isSpace(sql.charAt(pos + 1)));
  }

  private void skipLine() {
    while (pos < length && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
      pos++;
    }
  }

  private void skipBlockComment() {
    int flat = sql.indexOf("*/", pos + 2);
    int flatEnd = flat < 0 ? -1 : flat + 2;
    // PostgreSQL and SQL Server nest block comments, MySQL and Oracle do not. When the two
    // readings end the comment at different places, the text in between is a comment for one
    // and could hold a literal for the other, so the rest is dropped, whatever the dialect.
    int depth = 1;
    int i = pos + 2;
    int nestedEnd = -1;
    while (i < length - 1) {
      char c = sql.charAt(i);
      if (c == '/' && sql.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else if (c == '*' && sql.charAt(i + 1) == '/') {
        i += 2;
        if (--depth == 0) {
          nestedEnd = i;
          break;
        }
      } else {
        i++;
      }
    }
    pos = flatEnd >= 0 && flatEnd == nestedEnd ? flatEnd : length;
  }

  private void single(int tokenType) {
    type = tokenType;
    end = ++pos;
  }

  private void literalUntil(int tokenEnd) {
    type = LITERAL;
    end = pos = tokenEnd < 0 ? length : tokenEnd;
  }

  private void quotedName(char quote) {
    int close = closingQuote(pos + 1, quote, false);
    if (close < 0) {
      // An unterminated identifier may be a literal the application never closed.
      literalUntil(-1);
      return;
    }
    type = QUOTED_NAME;
    end = pos = close;
  }

  /** A {@code '...'} literal whose content starts at {@code contentStart}. */
  private void singleQuoted(int contentStart, boolean backslashEscapes, boolean checkAmbiguity) {
    int close = closingQuote(contentStart, '\'', backslashEscapes);
    if (checkAmbiguity
        && close >= 0
        && hasBackslash(contentStart, close)
        && closingQuote(contentStart, '\'', true) != close) {
      // 'C:\' ends at its second quote in standard SQL, 'it\'s' at its third in MySQL. Outside
      // MySQL the dialect is a guess (PostgreSQL with standard_conforming_strings off reads
      // backslashes too), so when the two readings disagree nothing after the literal is exported.
      close = -1;
    }
    literalUntil(close);
  }

  /** The index just after the closing quote, or -1 when there is none. */
  private int closingQuote(int from, char quote, boolean backslashEscapes) {
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i += c == '\\' && backslashEscapes ? 2 : 1;
    }
    return -1;
  }

  private boolean hasBackslash(int from, int to) {
    for (int i = from; i < to; i++) {
      if (sql.charAt(i) == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Digits, decimals, exponents and hex or binary forms ({@code 0xFF}), all one literal. */
  private void number(int from) {
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if ((c == 'e' || c == 'E')
          && i + 2 < length
          && (sql.charAt(i + 1) == '+' || sql.charAt(i + 1) == '-')
          && isDigit(sql.charAt(i + 2))) {
        i += 3;
      } else if (isWordChar(c) || (c == '.' && (isDigitAt(i + 1) || !isWordChar(charAt(i + 1))))) {
        i++;
      } else {
        break;
      }
    }
    literalUntil(i);
  }

  private boolean signedNumberFollows() {
    char next = charAt(pos + 1);
    return isDigit(next) || (next == '.' && isDigitAt(pos + 2));
  }

  private boolean unaryContext() {
    switch (prevType) {
      case EOF:
        return true;
      case PUNCT:
        return prevChar != ')' && prevChar != ']' && prevChar != '}';
      case WORD:
        return prevUpper != null && UNARY_CONTEXT.contains(prevUpper);
      default:
        return false;
    }
  }

  private boolean prevEndsOperand() {
    return prevType == WORD
        || prevType == QUOTED_NAME
        || (prevType == PUNCT && (prevChar == ')' || prevChar == ']'));
  }

  private void dollar() {
    char next = charAt(pos + 1);
    if (isDigit(next)) {
      int i = pos + 1;
      while (i < length && isDigit(sql.charAt(i))) {
        i++;
      }
      type = NAMED_PLACEHOLDER;
      end = pos = i;
      return;
    }
    if (next == '$') {
      dollarQuoted(pos + 2);
      return;
    }
    if (Character.isLetter(next) || next == '_') {
      int i = pos + 1;
      while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
        i++;
      }
      if (i < length && sql.charAt(i) == '$') {
        if (i - pos - 1 > MAX_DOLLAR_TAG_LENGTH) {
          literalUntil(-1);
        } else {
          dollarQuoted(i + 1);
        }
        return;
      }
      // MySQL allows identifiers that start with $.
      word();
      return;
    }
    single(PUNCT);
  }

  /** A PostgreSQL {@code $tag$...$tag$} string; its opening tag ends just before contentStart. */
  private void dollarQuoted(int contentStart) {
    String tag = sql.substring(pos, contentStart);
    int close = sql.indexOf(tag, contentStart);
    literalUntil(close < 0 ? -1 : close + tag.length());
  }

  private void colon() {
    char next = charAt(pos + 1);
    if (next == ':') {
      type = PUNCT;
      end = pos += 2;
    } else if (Character.isLetter(next) || next == '_') {
      int i = pos + 1;
      while (i < length && isWordChar(sql.charAt(i))) {
        i++;
      }
      type = NAMED_PLACEHOLDER;
      end = pos = i;
    } else {
      single(PUNCT);
    }
  }

  private void word() {
    int i = pos + 1;
    while (i < length) {
      char c = sql.charAt(i);
      // SQL Server allows # inside names (#temp, a#b); in MySQL it always starts a comment.
      boolean hashInName = c == '#' && !dialect.mysqlComments && isWordChar(charAt(i + 1));
      if (isWordChar(c) || c == '$' || hashInName) {
        i++;
      } else {
        break;
      }
    }
    if (i < length && prefixedLiteral(i)) {
      return;
    }
    type = WORD;
    end = pos = i;
    if (i - start <= MAX_KEYWORD_LENGTH) {
      upper = sql.substring(start, i).toUpperCase(Locale.ROOT);
      if (("TRUE".equals(upper) || "FALSE".equals(upper)) && !afterIs()) {
        // A boolean value; "x IS TRUE" is a predicate and stays.
        type = LITERAL;
        upper = null;
      }
    }
  }

  /**
   * A literal written as a prefix and a quote, with no space: E'..', N'..', B'..', X'..', U&'..',
   * Oracle's q'[..]' and MySQL's _utf8mb4'..'. The prefix becomes part of the literal.
   */
  private boolean prefixedLiteral(int wordEnd) {
    char next = sql.charAt(wordEnd);
    int len = wordEnd - pos;
    char first = Character.toLowerCase(sql.charAt(pos));
    if (next == '&' && len == 1 && first == 'u' && charAt(wordEnd + 1) == '\'') {
      singleQuoted(wordEnd + 2, false, false);
      return true;
    }
    if (next != '\'') {
      return false;
    }
    if (len == 1 && first == 'e') {
      // PostgreSQL escape strings take backslash escapes whatever the other settings.
      singleQuoted(wordEnd + 1, true, false);
      return true;
    }
    if ((len == 1 && first == 'q')
        || (len == 2 && first == 'n' && Character.toLowerCase(sql.charAt(pos + 1)) == 'q')) {
      oracleQuoted(wordEnd + 1);
      return true;
    }
    if ((len == 1 && (first == 'n' || first == 'b' || first == 'x')) || first == '_') {
      singleQuoted(wordEnd + 1, dialect.backslashEscapes, !dialect.backslashEscapes);
      return true;
    }
    return false;
  }

  /** Oracle's q'X...X' where X is any delimiter; brackets close with their partner. */
  private void oracleQuoted(int delimiterAt) {
    if (delimiterAt >= length) {
      literalUntil(-1);
      return;
    }
    char open = sql.charAt(delimiterAt);
    char close =
        open == '[' ? ']' : open == '(' ? ')' : open == '{' ? '}' : open == '<' ? '>' : open;
    for (int i = delimiterAt + 1; i < length - 1; i++) {
      if (sql.charAt(i) == close && sql.charAt(i + 1) == '\'') {
        literalUntil(i + 2);
        return;
      }
    }
    literalUntil(-1);
  }

  private boolean afterIs() {
    return "IS".equals(prevUpper) || ("NOT".equals(prevUpper) && "IS".equals(prevPrevUpper));
  }

  private char charAt(int i) {
    return i < length ? sql.charAt(i) : 0;
  }

  private boolean isDigitAt(int i) {
    return i < length && isDigit(sql.charAt(i));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isSpace(char c) {
    return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '@' || (c >= 0x80 && !isSpace(c));
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '@' || (c >= 0x80 && !isSpace(c));
  }
}
