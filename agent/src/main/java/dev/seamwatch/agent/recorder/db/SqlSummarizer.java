package dev.seamwatch.agent.recorder.db;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the operations and their targets from the tokens of {@link SqlLexer}, for {@code
 * db.query.summary}, {@code db.operation.name} and {@code db.collection.name}. Not a parser: a
 * small state machine that knows where SQL puts table names (after FROM, JOIN, INTO, UPDATE, ...)
 * and skips everything else. Only words and quoted names ever reach its output, never literals.
 *
 * <p>Choices:
 *
 * <ul>
 *   <li>The summary lists operations and targets in the order written, as the semantic conventions
 *       show: {@code SELECT SELECT orders customers} for a subquery in FROM. Targets are as
 *       written, quotes included ({@code SELECT "song list"}); operations are upper case. Names of
 *       common table expressions are listed too, as what the statement reads.
 *   <li>The collection is the main operation's one table ({@code INSERT INTO t SELECT ... FROM u}
 *       gives {@code t}; {@code MERGE INTO t USING s} gives {@code t}). A join or a list of tables
 *       gives none. When the main operation reads only a derived table ({@code FROM (SELECT ...
 *       FROM t) x}) or a common table expression, the single table under it is taken, if there is
 *       exactly one. With several statements, only a table common to all of them is taken.
 *   <li>Operations other than SELECT count only at the start of a statement or of a parenthesis, so
 *       {@code ON DUPLICATE KEY UPDATE}, {@code FOR UPDATE} and {@code ON DELETE CASCADE} are not
 *       operations.
 * </ul>
 */
final class SqlSummarizer {

  static final int MAX_SUMMARY_LENGTH = 255;
  private static final int MAX_NAME_LENGTH = 128;
  private static final int MAX_DEPTH = 32;
  private static final int MAX_CTE_NAMES = 16;

  private static final Set<String> OPERATIONS =
      words(
          "SELECT INSERT UPDATE DELETE MERGE UPSERT REPLACE CALL EXEC EXECUTE "
              + "CREATE DROP ALTER TRUNCATE RENAME COMMENT GRANT REVOKE WITH BEGIN "
              + "START COMMIT ROLLBACK SAVEPOINT RELEASE END ABORT SET SHOW USE "
              + "DESCRIBE DESC EXPLAIN ANALYZE VACUUM REINDEX CLUSTER REFRESH LOCK "
              + "UNLOCK DECLARE FETCH CLOSE OPEN MOVE PREPARE DEALLOCATE DO COPY LOAD "
              + "VALUES TABLE LISTEN NOTIFY UNLISTEN DISCARD RESET CHECKPOINT OPTIMIZE "
              + "REPAIR FLUSH KILL PRAGMA ATTACH DETACH");

  /** Operations that can open a parenthesis: subqueries and PostgreSQL's writable CTEs. */
  private static final Set<String> NESTED_OPERATIONS = words("SELECT INSERT UPDATE DELETE MERGE");

  /** The statement after a WITH clause. */
  private static final Set<String> MAIN_OPERATIONS =
      words("SELECT INSERT UPDATE DELETE MERGE UPSERT REPLACE VALUES");

  /** Statements whose subqueries and FROM clauses are read. */
  private static final Set<String> QUERYING_OPERATIONS =
      words("SELECT INSERT UPDATE DELETE MERGE UPSERT REPLACE VALUES WITH EXPLAIN CREATE");

  private static final Set<String> EXPLAIN_OPTIONS =
      words("ANALYZE VERBOSE QUERY PLAN FOR EXTENDED PARTITIONS");

  /** Words that end a table reference instead of being its alias. */
  private static final Set<String> CLAUSES =
      words(
          "WHERE JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL STRAIGHT_JOIN ON "
              + "USING GROUP ORDER HAVING LIMIT OFFSET FETCH FOR UNION INTERSECT EXCEPT "
              + "MINUS WINDOW QUALIFY SET VALUES VALUE SELECT RETURNING OUTPUT INTO "
              + "WITH PARTITION TABLESAMPLE USE FORCE IGNORE LATERAL CONNECT START "
              + "PIVOT UNPIVOT LOCK WHEN DEFAULT OVERRIDING FROM AND OR DO NOWAIT SKIP "
              + "APPLY AS BEGIN END ONLY TABLE");

  private static final Set<String> INSERT_MODIFIERS =
      words(
          "INTO IGNORE LOW_PRIORITY DELAYED HIGH_PRIORITY OR REPLACE ABORT FAIL "
              + "ROLLBACK OVERWRITE TABLE");
  private static final Set<String> UPDATE_MODIFIERS = words("ONLY LOW_PRIORITY IGNORE");
  private static final Set<String> DELETE_MODIFIERS = words("FROM ONLY LOW_PRIORITY QUICK IGNORE");
  private static final Set<String> FROM_MODIFIERS = words("ONLY LATERAL");
  private static final Set<String> INTO_MODIFIERS = words("INTO");
  private static final Set<String> DDL_NAME_MODIFIERS = words("IF NOT EXISTS ONLY");
  private static final Set<String> TRUNCATE_MODIFIERS = words("TABLE ONLY IF EXISTS");
  private static final Set<String> CALL_MODIFIERS = words("PROCEDURE PROC");
  private static final Set<String> NO_MODIFIERS = words("");

  /** Words between CREATE/DROP/ALTER and the kind of object. */
  private static final Set<String> DDL_QUALIFIERS =
      words(
          "OR REPLACE TEMP TEMPORARY UNLOGGED GLOBAL LOCAL MATERIALIZED UNIQUE "
              + "CLUSTERED NONCLUSTERED FULLTEXT SPATIAL EXTERNAL VIRTUAL RECURSIVE "
              + "FOREIGN TRANSIENT VOLATILE IF NOT EXISTS CONCURRENTLY");

  // What the next tokens mean.
  private static final int IDLE = 0;
  private static final int DDL = 1;
  private static final int DDL_INDEX = 2;
  private static final int EXPECT_NAME = 3;
  private static final int IN_NAME = 4;
  private static final int NAME_DOT = 5;
  private static final int IN_BRACKETS = 6;
  private static final int AFTER_LIST_ITEM = 7;

  // What a name is.
  private static final int COLLECTION = 0;
  private static final int SOURCE = 1;
  private static final int PROCEDURE = 2;

  private final String sql;

  private final StringBuilder summary = new StringBuilder();
  private boolean summaryFull;
  private String lastTarget;

  private String firstOperation;
  private int statements;
  private boolean statementHasTokens;

  private int mainOperation = -1;
  private String mainCollection;
  private boolean mainAmbiguous;
  private boolean mainDerived;
  private String anyCollection;
  private boolean anyAmbiguous;
  private final String[] cteNames = new String[MAX_CTE_NAMES];
  private int cteCount;

  // The statement being read.
  private String statementOp;
  private boolean atStart = true;
  private boolean afterBrace;
  private boolean explainOptions;
  private int depth;
  private final boolean[] queryLevel = new boolean[MAX_DEPTH];
  private final int[] operationAt = new int[MAX_DEPTH];
  private int operations;
  private String currentOperationWord;
  private int withDepth = -1;
  private boolean expectCteName;
  private String previousWord;

  // The name being read.
  private int mode = IDLE;
  private int nameKind;
  private boolean nameList;
  private boolean nameFunctionCheck;
  private Set<String> nameModifiers = NO_MODIFIERS;
  private int listDepth;
  private boolean aliasSeen;
  private boolean nameValid;
  private final StringBuilder rawName = new StringBuilder();
  private final StringBuilder cleanName = new StringBuilder();
  private final StringBuilder bracketText = new StringBuilder();

  SqlSummarizer(String sql) {
    this.sql = sql;
    queryLevel[0] = true;
    Arrays.fill(operationAt, -1);
  }

  void accept(SqlLexer token) {
    int type = token.type;
    char punct = type == SqlLexer.PUNCT ? sql.charAt(token.start) : 0;
    boolean singlePunct = type == SqlLexer.PUNCT && token.end - token.start == 1;
    if (singlePunct && punct == ';') {
      endStatement();
      return;
    }
    statementHasTokens = true;
    String word = type == SqlLexer.WORD ? token.upper : null;
    try {
      // The token that ends a name is read again in the mode that follows (a list's comma).
      int before;
      do {
        before = mode;
        if (mode != IDLE && readName(token, word, singlePunct ? punct : 0)) {
          return;
        }
      } while (mode != IDLE && mode != before);
      structure(token, word, singlePunct ? punct : 0);
    } finally {
      previousWord = word;
    }
  }

  private void structure(SqlLexer token, String word, char punct) {
    int type = token.type;
    if (punct == '(') {
      depth++;
      if (depth < MAX_DEPTH) {
        queryLevel[depth] = false;
        operationAt[depth] = operationAt[depth - 1];
      }
      atStart = true;
      afterBrace = false;
      return;
    }
    if (punct == ')') {
      if (depth > 0) {
        depth--;
      }
      atStart = false;
      return;
    }
    if (punct == '{') {
      atStart = true;
      afterBrace = true;
      return;
    }
    if (atStart && afterBrace && (type == SqlLexer.PLACEHOLDER || punct == '=')) {
      return; // {? = call f(?)}
    }
    if (punct == ',' && withDepth >= 0 && depth == withDepth) {
      expectCteName = true;
    }
    if (type != SqlLexer.WORD) {
      if (expectCteName && type == SqlLexer.QUOTED_NAME) {
        addCteName(unquote(token.start, token.end));
        expectCteName = false;
      }
      atStart = false;
      return;
    }
    boolean start = atStart;
    atStart = false;
    if (word == null) {
      cteName(token);
      return;
    }
    if (start && explainOptions && EXPLAIN_OPTIONS.contains(word)) {
      atStart = true;
      return;
    }
    if (start && OPERATIONS.contains(word) && (depth == 0 || NESTED_OPERATIONS.contains(word))) {
      startOperation(word, false);
      return;
    }
    if (withDepth >= 0 && depth == withDepth && MAIN_OPERATIONS.contains(word)) {
      withDepth = -1;
      expectCteName = false;
      startOperation(word, true);
      return;
    }
    if (expectCteName && !"RECURSIVE".equals(word)) {
      cteName(token);
      return;
    }
    if (statementOp == null || !QUERYING_OPERATIONS.contains(statementOp)) {
      return;
    }
    switch (word) {
      case "SELECT":
        startOperation(word, false);
        break;
      case "FROM":
        if (isQueryLevel() && !"DISTINCT".equals(previousWord)) {
          expectName(COLLECTION, true, true, FROM_MODIFIERS);
        }
        break;
      case "JOIN":
      case "STRAIGHT_JOIN":
        if (isQueryLevel()) {
          expectName(COLLECTION, false, true, FROM_MODIFIERS);
        }
        break;
      case "USING":
        if ("MERGE".equals(currentOperationWord) || "DELETE".equals(currentOperationWord)) {
          expectName(SOURCE, false, true, NO_MODIFIERS);
        }
        break;
      default:
        break;
    }
  }

  /**
   * @param afterWith the statement that follows a WITH clause, which replaces WITH as the
   *     statement's operation
   */
  private void startOperation(String op, boolean afterWith) {
    boolean main = statementOp == null || afterWith;
    if (main) {
      statementOp = op;
      if (statements == 0) {
        firstOperation = op;
        mainOperation = operations;
      }
    } else if (!QUERYING_OPERATIONS.contains(statementOp)) {
      return;
    }
    int id = operations++;
    if (explainOptions && statements == 0) {
      mainOperation = id; // EXPLAIN SELECT ... FROM t is about t
    }
    if (depth < MAX_DEPTH) {
      queryLevel[depth] = true;
      operationAt[depth] = id;
    }
    currentOperationWord = op;
    explainOptions = false;
    if ("WITH".equals(op)) {
      withDepth = depth;
      expectCteName = true;
      return;
    }
    addPart(op, false);
    switch (op) {
      case "INSERT":
      case "UPSERT":
      case "REPLACE":
        expectName(COLLECTION, false, false, INSERT_MODIFIERS);
        break;
      case "UPDATE":
        expectName(COLLECTION, true, false, UPDATE_MODIFIERS);
        break;
      case "DELETE":
        expectName(COLLECTION, true, false, DELETE_MODIFIERS);
        break;
      case "MERGE":
        expectName(COLLECTION, false, false, INTO_MODIFIERS);
        break;
      case "TRUNCATE":
        expectName(COLLECTION, true, false, TRUNCATE_MODIFIERS);
        break;
      case "CREATE":
      case "DROP":
      case "ALTER":
        mode = DDL;
        break;
      case "CALL":
      case "EXEC":
      case "EXECUTE":
        expectName(PROCEDURE, false, false, CALL_MODIFIERS);
        break;
      case "EXPLAIN":
        explainOptions = true;
        atStart = true;
        break;
      default:
        break;
    }
  }

  private void expectName(int kind, boolean list, boolean functionCheck, Set<String> modifiers) {
    mode = EXPECT_NAME;
    nameKind = kind;
    nameList = list;
    nameFunctionCheck = functionCheck;
    nameModifiers = modifiers;
    listDepth = depth;
  }

  /** Returns true when the token was part of a name (or skipped around one). */
  private boolean readName(SqlLexer token, String word, char punct) {
    int type = token.type;
    switch (mode) {
      case DDL:
        if ("TABLE".equals(word) || "VIEW".equals(word)) {
          expectName(COLLECTION, false, false, DDL_NAME_MODIFIERS);
          return true;
        }
        if ("INDEX".equals(word)) {
          mode = DDL_INDEX;
          return true;
        }
        if (word != null && DDL_QUALIFIERS.contains(word)) {
          return true;
        }
        mode = IDLE;
        return false;
      case DDL_INDEX:
        if ("ON".equals(word)) {
          expectName(COLLECTION, false, false, FROM_MODIFIERS);
        }
        return true;
      case EXPECT_NAME:
        if (word != null && nameModifiers.contains(word)) {
          return true;
        }
        if ((type == SqlLexer.WORD && (word == null || !CLAUSES.contains(word)))
            || type == SqlLexer.QUOTED_NAME) {
          rawName.setLength(0);
          cleanName.setLength(0);
          nameValid = true;
          appendPart(token);
          mode = IN_NAME;
          return true;
        }
        if (punct == '[') {
          rawName.setLength(0);
          cleanName.setLength(0);
          nameValid = true;
          bracketText.setLength(0);
          mode = IN_BRACKETS;
          return true;
        }
        if (punct == '(' && nameKind == COLLECTION && isMainOperation()) {
          mainDerived = true;
        }
        mode = IDLE;
        return false;
      case NAME_DOT:
        if (type == SqlLexer.WORD || type == SqlLexer.QUOTED_NAME) {
          appendPart(token);
          mode = IN_NAME;
          return true;
        }
        if (punct == '[') {
          bracketText.setLength(0);
          mode = IN_BRACKETS;
          return true;
        }
        rawName.setLength(rawName.length() - 1);
        cleanName.setLength(cleanName.length() - 1);
        return finishName(punct);
      case IN_BRACKETS:
        if (punct == ']') {
          rawName.append('[').append(bracketText).append(']');
          cleanName.append(bracketText);
          mode = IN_NAME;
          return true;
        }
        if (type == SqlLexer.WORD || type == SqlLexer.QUOTED_NAME || type == SqlLexer.PUNCT) {
          if (token.spaceBefore && bracketText.length() > 0) {
            bracketText.append(' ');
          }
          bracketText.append(sql, token.start, token.end);
        } else {
          nameValid = false;
        }
        if (bracketText.length() > MAX_NAME_LENGTH) {
          nameValid = false;
          bracketText.setLength(0);
        }
        return true;
      case IN_NAME:
        if (punct == '.') {
          rawName.append('.');
          cleanName.append('.');
          mode = NAME_DOT;
          return true;
        }
        return finishName(punct);
      case AFTER_LIST_ITEM:
        if ("AS".equals(word)) {
          return true;
        }
        if (!aliasSeen
            && ((type == SqlLexer.WORD && (word == null || !CLAUSES.contains(word)))
                || type == SqlLexer.QUOTED_NAME)) {
          aliasSeen = true;
          return true;
        }
        if (punct == ',' && depth == listDepth) {
          mode = EXPECT_NAME;
          return true;
        }
        mode = IDLE;
        return false;
      default:
        mode = IDLE;
        return false;
    }
  }

  private void appendPart(SqlLexer token) {
    rawName.append(sql, token.start, token.end);
    if (token.type == SqlLexer.QUOTED_NAME) {
      cleanName.append(unquote(token.start, token.end));
    } else {
      cleanName.append(sql, token.start, token.end);
    }
  }

  /** The name is complete; the token after it (given) is processed as usual. */
  private boolean finishName(char next) {
    boolean function = nameFunctionCheck && next == '(';
    if (nameValid && !function && rawName.length() > 0 && rawName.length() <= MAX_NAME_LENGTH) {
      commitName(rawName.toString(), cleanName.toString());
    }
    aliasSeen = false;
    mode = nameList && !function ? AFTER_LIST_ITEM : IDLE;
    return false;
  }

  private void commitName(String raw, String clean) {
    boolean cte = isCteName(clean);
    addPart(raw, nameKind != PROCEDURE);
    if (nameKind == PROCEDURE) {
      return;
    }
    if (!cte) {
      if (anyCollection == null) {
        anyCollection = clean;
      } else if (!anyCollection.equalsIgnoreCase(clean)) {
        anyAmbiguous = true;
      }
    }
    if (nameKind == COLLECTION && isMainOperation()) {
      if (cte) {
        mainDerived = true;
      } else if (mainCollection == null) {
        mainCollection = clean;
      } else if (!mainCollection.equalsIgnoreCase(clean)) {
        mainAmbiguous = true;
      }
    }
  }

  private boolean isMainOperation() {
    return statements == 0
        && mainOperation >= 0
        && depth < MAX_DEPTH
        && operationAt[depth] == mainOperation;
  }

  private boolean isQueryLevel() {
    return depth < MAX_DEPTH && queryLevel[depth];
  }

  private void cteName(SqlLexer token) {
    if (expectCteName) {
      addCteName(sql.substring(token.start, token.end));
      expectCteName = false;
    }
  }

  private void addCteName(String name) {
    if (cteCount < MAX_CTE_NAMES) {
      cteNames[cteCount++] = name;
    }
  }

  private boolean isCteName(String name) {
    for (int i = 0; i < cteCount; i++) {
      if (cteNames[i].equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private void addPart(String part, boolean target) {
    if (summaryFull) {
      return;
    }
    if (target && part.equals(lastTarget)) {
      return; // DELETE t FROM t: one target
    }
    lastTarget = target ? part : null;
    int needed = part.length() + (summary.length() > 0 ? 1 : 0);
    if (summary.length() + needed > MAX_SUMMARY_LENGTH) {
      summaryFull = true;
      return;
    }
    if (summary.length() > 0) {
      summary.append(' ');
    }
    summary.append(part);
  }

  private String unquote(int start, int end) {
    char quote = sql.charAt(start);
    String inner = sql.substring(start + 1, end - 1);
    String doubled = String.valueOf(quote) + quote;
    return inner.indexOf(doubled) >= 0 ? inner.replace(doubled, String.valueOf(quote)) : inner;
  }

  private void endStatement() {
    finishPendingName();
    if (statementHasTokens) {
      statements++;
    }
    statementHasTokens = false;
    statementOp = null;
    currentOperationWord = null;
    atStart = true;
    afterBrace = false;
    explainOptions = false;
    depth = 0;
    withDepth = -1;
    expectCteName = false;
    mode = IDLE;
    lastTarget = null;
  }

  private void finishPendingName() {
    if (mode == IN_NAME) {
      finishName((char) 0);
    }
    mode = IDLE;
  }

  void finish() {
    endStatement();
  }

  String operationName() {
    return firstOperation;
  }

  String collectionName() {
    if (statements > 1) {
      return anyAmbiguous ? null : anyCollection;
    }
    if (mainCollection != null) {
      return mainAmbiguous || mainDerived ? null : mainCollection;
    }
    return mainDerived && !anyAmbiguous ? anyCollection : null;
  }

  String querySummary() {
    if (summary.length() > 0) {
      return summary.toString();
    }
    return firstOperation;
  }

  /** A set from space-separated words; keeps the keyword lists readable. */
  private static Set<String> words(String words) {
    return new HashSet<>(
        words.isEmpty() ? Arrays.<String>asList() : Arrays.asList(words.split(" ")));
  }
}
