package dev.seamwatch.agent.anomaly;

import java.nio.ByteBuffer;

/**
 * Learns the shape of a request or response body from the bytes the application reads, chunk by
 * chunk, without buffering it: its size, its kind, a fingerprint of its top-level JSON key set,
 * whether it is empty, and whether a successful response carries an error ({@code error}, {@code
 * errors} or {@code fault} key with a non-empty value, or a SOAP {@code Fault}).
 *
 * <p>Privacy: no content is kept. Keys are hashed byte by byte as they stream past and only a keyed
 * hash of the key <em>set</em> remains; values are looked at only to tell "empty" ({@code null},
 * {@code false}, {@code 0}, {@code ""}, {@code []}, {@code {}}) from not. The key of that hash is
 * the per-process salt given to the constructor, so a fingerprint cannot be matched against key
 * names guessed elsewhere: it is only comparable to fingerprints made with the same salt.
 *
 * <p>Fingerprint: each key's decoded UTF-8 bytes ({@code \u0041} and {@code A} are the same key) go
 * through 64-bit FNV-1a, which SipHash-2-4 keyed with the salt turns into a per-key value. The set
 * is the sum of the distinct per-key values (order-independent; a repeated key is dropped when it
 * repeats one of the first 16 distinct keys), finished by SipHash again with a different key for a
 * top-level object and for the first element of a top-level array. {@code {}} has a fingerprint; 0
 * means unknown.
 *
 * <p>Only the first {@code limit} bytes are scanned; the rest is counted. A top-level object (or
 * first array element) that does not close within them has no fingerprint. Content after the
 * top-level JSON value has closed is counted, not scanned. Nested JSON is checked only for string
 * and bracket structure (brackets matched to 64 levels below the key level), with an {@code int}
 * depth: no stack grows.
 *
 * <p>One instance per body, fed by one thread at a time: not thread-safe. No allocation after
 * construction.
 */
public final class BodySniffer {

  public static final int DEFAULT_LIMIT = 8192;

  /** What the body is, as far as the scanned prefix tells. */
  public enum Kind {
    UNKNOWN,
    EMPTY,
    OBJECT,
    ARRAY,
    SCALAR,
    XML,
    OTHER
  }

  static final int DEDUP_SLOTS = 16;

  // Prelude: byte order mark and whitespace before the first significant byte.
  private static final int S_INIT = 0;
  private static final int S_BOM1 = 1;
  private static final int S_BOM2 = 2;
  private static final int S_WS = 3;
  // JSON, at the key level (depth 1 of an object, depth 2 for an array's first element) or,
  // for a scalar body, at depth 0.
  private static final int ARR_FIRST = 4;
  private static final int OBJ_FIRST = 5;
  private static final int OBJ_NEXT = 6;
  private static final int KEY = 7;
  private static final int KEY_ESC = 8;
  private static final int KEY_HEX = 9;
  private static final int AFTER_KEY = 10;
  private static final int BEFORE_VALUE = 11;
  private static final int AFTER_VALUE = 12;
  private static final int STR_FIRST = 13;
  private static final int STR = 14;
  private static final int STR_ESC = 15;
  private static final int LIT = 16;
  private static final int NUM_MINUS = 17;
  private static final int NUM_ZERO = 18;
  private static final int NUM_INT = 19;
  private static final int NUM_DOT = 20;
  private static final int NUM_FRAC = 21;
  private static final int NUM_E = 22;
  private static final int NUM_ESIGN = 23;
  private static final int NUM_EXP = 24;
  private static final int TRAILING = 25;
  // JSON below the key level: skipped, strings and brackets only.
  private static final int NEST_FIRST = 26;
  private static final int SKIP = 27;
  private static final int SKIP_STR = 28;
  private static final int SKIP_ESC = 29;
  // XML.
  private static final int X_TEXT = 30;
  private static final int X_LT = 31;
  private static final int X_NAME = 32;
  private static final int X_ATTR = 33;
  private static final int X_ATTR_Q = 34;
  private static final int X_PI = 35;
  private static final int X_PI_Q = 36;
  private static final int X_BANG = 37;
  private static final int X_BANG_DASH = 38;
  private static final int X_COMMENT = 39;
  private static final int X_CDATA = 40;
  private static final int X_DECL_WORD = 41;
  private static final int X_DOCTYPE_NAME = 42;
  private static final int X_DECL = 43;

  /** Nothing more to scan: decided, malformed, limit reached, gap, or finished. */
  private static final int DONE = 44;

  private static final String[] MARKERS = {null, "error", "errors", "fault", "soap_fault"};
  private static final int M_SOAP_FAULT = 4;

  private static final byte[][] LITERALS = {
    {'t', 'r', 'u', 'e'}, {'f', 'a', 'l', 's', 'e'}, {'n', 'u', 'l', 'l'}
  };

  private static final long ERROR = pack("error");
  private static final long ERRORS = pack("errors");
  private static final long FAULT = pack("fault");
  private static final long BODY = pack("body");
  private static final long HTML = pack("html");
  private static final long HEAD = pack("head");
  private static final long DOCTYPE = pack("doctype");

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  // Finishing keys: a top-level object and an array's first element never share a fingerprint.
  private static final long OBJECT_DOMAIN = 0x4f424a4543542d31L;
  private static final long ARRAY_DOMAIN = 0x41525241592d3031L;

  private final int limit;
  private final long k0;
  private final long k1;
  private final long[] seenKeys = new long[DEDUP_SLOTS];

  private long bytes;
  private int scanned;
  private int state;
  private Kind kind = Kind.UNKNOWN;
  private int depth;

  /** State-specific scratch: hex digits, literal progress, quote char, dash or bracket count. */
  private int aux;

  private long keyHash;

  /** The first 8 bytes of the current key or XML local name, lower-cased, for exact matching. */
  private long namePack;

  /** Length of the current name, saturating at 9 (only "more than 8" matters). */
  private int nameLen;

  private int pendingHighSurrogate;
  private long keySum;
  private int distinctKeys;
  private boolean anyKey;

  /** Bracket types below the key level, one bit per level, 1 for an object. */
  private long nesting;

  private int candidate;
  private int marker;
  private long fingerprint;
  private boolean emptyBody;
  private boolean malformed;
  private boolean finished;

  private int xmlDepth;
  private int bodyDepth;
  private boolean xmlRootSeen;
  private boolean xmlClosing;
  private boolean xmlSlash;
  private boolean xmlBodyTag;

  /**
   * @param limit how many leading bytes to scan; the rest is only counted
   * @param salt the per-process secret that keys the fingerprint
   */
  public BodySniffer(int limit, long salt) {
    this.limit = Math.max(0, limit);
    this.k0 = salt;
    this.k1 = mix(salt ^ 0x5eed5eed5eed5eedL);
  }

  /** Feeds {@code len} bytes of {@code b} from {@code off}; out-of-range parts are ignored. */
  public void feed(byte[] b, int off, int len) {
    if (b == null || len <= 0 || off < 0 || off >= b.length) {
      return;
    }
    len = Math.min(len, b.length - off);
    bytes += len;
    if (state == DONE) {
      return;
    }
    int n = Math.min(len, limit - scanned);
    int i = 0;
    while (i < n) {
      scan(b[off + i++] & 0xFF);
      if (state == DONE) {
        break;
      }
    }
    scannedSome(i, len);
  }

  /** Feeds one byte as {@link java.io.InputStream#read()} returns it; a negative value is EOF. */
  public void feed(int oneByte) {
    if (oneByte < 0) {
      return;
    }
    bytes++;
    if (state == DONE) {
      return;
    }
    if (scanned < limit) {
      scan(oneByte & 0xFF);
      scannedSome(1, 1);
    } else {
      scannedSome(0, 1);
    }
  }

  /**
   * Feeds the bytes from the buffer's position to its limit, by absolute reads: its position, limit
   * and mark stay as they were.
   */
  public void feed(ByteBuffer buffer) {
    if (buffer == null) {
      return;
    }
    int pos = buffer.position();
    int len = buffer.limit() - pos;
    if (len <= 0) {
      return;
    }
    if (buffer.hasArray()) {
      feed(buffer.array(), buffer.arrayOffset() + pos, len);
      return;
    }
    bytes += len;
    if (state == DONE) {
      return;
    }
    int n = Math.min(len, limit - scanned);
    int i = 0;
    while (i < n) {
      scan(buffer.get(pos + i++) & 0xFF);
      if (state == DONE) {
        break;
      }
    }
    scannedSome(i, len);
  }

  /**
   * Counts {@code n} bytes the caller did not feed. Scanning stops here: what follows is no longer
   * the continuation of what was scanned, so an open top-level value stays unknown.
   */
  public void count(long n) {
    if (n <= 0) {
      return;
    }
    bytes += n;
    state = DONE;
  }

  /**
   * End of the body (EOF or close). Idempotent. Bytes fed later are counted, not scanned. Settles
   * an all-whitespace body as {@link Kind#EMPTY}, and a scalar body that does not end as a JSON
   * value as {@link Kind#OTHER}.
   */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    switch (state) {
      case S_INIT:
      case S_WS:
        // Only reachable when every byte was scanned: a byte past the limit or a count() gap
        // ends in DONE.
        kind = Kind.EMPTY;
        emptyBody = true;
        break;
      case S_BOM1:
      case S_BOM2:
        other();
        break;
      case AFTER_VALUE:
      case TRAILING:
      case NUM_ZERO:
      case NUM_INT:
      case NUM_FRAC:
      case NUM_EXP:
      case DONE:
        break; // a complete value, an object cut short by EOF, or nothing left to settle
      default:
        if (kind == Kind.SCALAR) {
          setMalformed(); // "tru", "-", an unclosed string
        }
        break;
    }
    state = DONE;
  }

  public boolean finished() {
    return finished;
  }

  /** Every byte fed or counted, scanned or not. */
  public long bytes() {
    return bytes;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The salted fingerprint of the top-level object's key set, or of the first element's key set of
   * a top-level array whose first element is an object; 0 while not known, and for every other body
   * (not JSON, scalar, an array of non-objects, truncated, malformed).
   */
  public long fingerprint() {
    return fingerprint;
  }

  /**
   * After {@link #finish()}: true for a body of no bytes, only a byte order mark and whitespace, or
   * a top-level {@code {}} or {@code []} (whitespace allowed). False before {@code finish()}.
   */
  public boolean empty() {
    return finished && emptyBody;
  }

  /**
   * {@code "error"}, {@code "errors"} or {@code "fault"} for the first such top-level key
   * (case-insensitive) of a JSON object whose value is not empty; {@code "soap_fault"} for XML with
   * a {@code Fault} element (any prefix) directly inside a {@code Body}; else null. Seen within the
   * scanned prefix, so a truncated body can still have one; a malformed one has none.
   */
  public String errorMarker() {
    return MARKERS[marker];
  }

  /**
   * True once feeding more content cannot change anything but {@link #bytes()}: the shape is
   * decided, the scan limit is reached, or the body is finished. The caller may then {@link
   * #count(long)} instead of feeding.
   */
  public boolean scanDone() {
    return state == DONE || scanned >= limit;
  }

  /** True when the body looked like JSON but the scanned prefix is not (then kind is OTHER). */
  public boolean malformed() {
    return malformed;
  }

  private void scannedSome(int n, int len) {
    scanned += n;
    if (n < len && state != DONE) {
      state = DONE; // a byte went unscanned: whatever is still open stays unknown
    }
  }

  private void scan(int b) {
    for (; ; ) {
      switch (state) {
        case S_INIT:
          if (b == 0xEF) {
            state = S_BOM1;
            return;
          }
          state = S_WS;
          continue;
        case S_BOM1:
          if (b == 0xBB) {
            state = S_BOM2;
          } else {
            other();
          }
          return;
        case S_BOM2:
          if (b == 0xBF) {
            state = S_WS;
          } else {
            other();
          }
          return;
        case S_WS:
          if (isWhitespace(b)) {
            return;
          }
          if (b == '{') {
            kind = Kind.OBJECT;
            depth = 1;
            state = OBJ_FIRST;
          } else if (b == '[') {
            kind = Kind.ARRAY;
            depth = 1;
            state = ARR_FIRST;
          } else if (b == '<') {
            kind = Kind.XML;
            state = X_LT;
          } else if (isValueStart(b)) {
            kind = Kind.SCALAR;
            state = BEFORE_VALUE;
            continue;
          } else {
            other();
          }
          return;

        case ARR_FIRST:
          if (isWhitespace(b)) {
            return;
          }
          if (b == ']') {
            emptyBody = true;
            state = DONE;
          } else if (b == '{') {
            depth = 2;
            state = OBJ_FIRST;
          } else if (isValueStart(b)) {
            state = DONE; // an array of non-objects: no key set
          } else {
            setMalformed();
          }
          return;
        case OBJ_FIRST:
          if (isWhitespace(b)) {
            return;
          }
          if (b == '"') {
            beginKey();
          } else if (b == '}') {
            closeKeyLevel();
          } else {
            setMalformed();
          }
          return;
        case OBJ_NEXT:
          if (isWhitespace(b)) {
            return;
          }
          if (b == '"') {
            beginKey();
          } else {
            setMalformed();
          }
          return;
        case KEY:
          if (b == '"') {
            endKey();
            state = AFTER_KEY;
          } else if (b == '\\') {
            state = KEY_ESC;
          } else if (b < 0x20) {
            setMalformed();
          } else {
            flushHighSurrogate();
            keyByte(b);
          }
          return;
        case KEY_ESC:
          keyEscape(b);
          return;
        case KEY_HEX:
          keyHexDigit(b);
          return;
        case AFTER_KEY:
          if (b == ':') {
            state = BEFORE_VALUE;
          } else if (!isWhitespace(b)) {
            setMalformed();
          }
          return;
        case BEFORE_VALUE:
          beginValue(b);
          return;
        case AFTER_VALUE:
          if (depth == 0) {
            state = TRAILING;
            continue;
          }
          if (b == ',') {
            state = OBJ_NEXT;
          } else if (b == '}') {
            closeKeyLevel();
          } else if (!isWhitespace(b)) {
            setMalformed();
          }
          return;
        case TRAILING:
          if (!isWhitespace(b)) {
            setMalformed(); // "404 Not Found", "null pointer": text, not a JSON scalar
          }
          return;
        case STR_FIRST:
          if (b == '"') {
            valueDone();
            return;
          }
          nonEmptyValue();
          state = STR;
          continue;
        case STR:
          if (b == '"') {
            valueDone();
          } else if (b == '\\') {
            state = STR_ESC;
          }
          return;
        case STR_ESC:
          state = STR;
          return;
        case LIT:
          literal(b);
          return;
        case NUM_MINUS:
          if (b == '0') {
            state = NUM_ZERO;
          } else if (b >= '1' && b <= '9') {
            nonEmptyValue();
            state = NUM_INT;
          } else {
            setMalformed();
          }
          return;
        case NUM_ZERO:
        case NUM_INT:
        case NUM_FRAC:
          if (b >= '0' && b <= '9' && state != NUM_ZERO) {
            if (b != '0') {
              nonEmptyValue();
            }
            return;
          }
          if (b == '.' && state != NUM_FRAC) {
            state = NUM_DOT;
            return;
          }
          if (b == 'e' || b == 'E') {
            state = NUM_E;
            return;
          }
          valueDone(); // the byte after a number belongs to what follows it
          continue;
        case NUM_DOT:
          if (b >= '0' && b <= '9') {
            if (b != '0') {
              nonEmptyValue();
            }
            state = NUM_FRAC;
          } else {
            setMalformed();
          }
          return;
        case NUM_E:
          if (b == '+' || b == '-') {
            state = NUM_ESIGN;
            return;
          }
        // fall through: a digit right after the 'e'
        case NUM_ESIGN:
          if (b >= '0' && b <= '9') {
            state = NUM_EXP;
          } else {
            setMalformed();
          }
          return;
        case NUM_EXP:
          if (b >= '0' && b <= '9') {
            return;
          }
          valueDone();
          continue;

        case NEST_FIRST:
          if (isWhitespace(b)) {
            return;
          }
          if ((b == '}' || b == ']') && closeNested(b)) {
            valueDone(); // {} or []
            return;
          }
          if (state == DONE) {
            return;
          }
          nonEmptyValue();
          state = SKIP;
          continue;
        case SKIP:
          if (b == '"') {
            state = SKIP_STR;
          } else if (b == '{' || b == '[') {
            openNested(b);
          } else if ((b == '}' || b == ']') && closeNested(b) && depth == keyDepth()) {
            valueDone();
          }
          return;
        case SKIP_STR:
          if (b == '"') {
            state = SKIP;
          } else if (b == '\\') {
            state = SKIP_ESC;
          }
          return;
        case SKIP_ESC:
          state = SKIP_STR;
          return;

        case X_TEXT:
          if (b == '<') {
            state = X_LT;
          }
          return;
        case X_LT:
          if (b == '/' || isNameStart(b)) {
            xmlClosing = b == '/';
            namePack = 0;
            nameLen = 0;
            state = X_NAME;
            if (xmlClosing) {
              return;
            }
            continue;
          }
          if (b == '?') {
            state = X_PI;
          } else if (b == '!') {
            state = X_BANG;
          } else {
            state = X_TEXT; // a stray '<': not a tag
            continue;
          }
          return;
        case X_NAME:
          if (b == '>' || b == '/' || isWhitespace(b)) {
            xmlNameEnd();
            if (state == DONE) {
              return;
            }
            xmlSlash = false;
            state = X_ATTR;
            continue;
          }
          if (b == ':') {
            namePack = 0; // the prefix does not count: soap:Fault, env:Fault, Fault
            nameLen = 0;
          } else {
            nameByte(b);
          }
          return;
        case X_ATTR:
          if (b == '>') {
            xmlTagEnd();
          } else if (b == '"' || b == '\'') {
            aux = b;
            state = X_ATTR_Q;
          } else if (b == '/') {
            xmlSlash = true;
          } else if (!isWhitespace(b)) {
            xmlSlash = false;
          }
          return;
        case X_ATTR_Q:
          if (b == aux) {
            state = X_ATTR;
          }
          return;
        case X_PI:
          if (b == '?') {
            state = X_PI_Q;
          }
          return;
        case X_PI_Q:
          if (b == '>') {
            state = X_TEXT;
          } else if (b != '?') {
            state = X_PI;
          }
          return;
        case X_BANG:
          aux = 0;
          if (b == '-') {
            state = X_BANG_DASH;
            return;
          }
          if (b == '[') {
            state = X_CDATA;
            return;
          }
          namePack = 0;
          nameLen = 0;
          state = X_DECL_WORD;
          continue;
        case X_BANG_DASH:
          state = b == '-' ? X_COMMENT : X_DECL;
          return;
        case X_COMMENT:
          if (b == '>' && aux >= 2) {
            state = X_TEXT;
          } else {
            aux = b == '-' ? aux + 1 : 0;
          }
          return;
        case X_CDATA:
          if (b == '>' && aux >= 2) {
            state = X_TEXT;
          } else {
            aux = b == ']' ? aux + 1 : 0;
          }
          return;
        case X_DECL_WORD:
          if (isWhitespace(b) && nameLen == 7 && namePack == DOCTYPE) {
            namePack = 0;
            nameLen = 0;
            state = X_DOCTYPE_NAME;
            return;
          }
          if (isWhitespace(b) || b == '>' || b == '[') {
            state = X_DECL;
            continue;
          }
          nameByte(b);
          return;
        case X_DOCTYPE_NAME:
          if (isWhitespace(b) && nameLen == 0) {
            return;
          }
          if (isWhitespace(b) || b == '>' || b == '[') {
            if (nameLen == 4 && namePack == HTML) {
              other();
              return;
            }
            state = X_DECL;
            continue;
          }
          nameByte(b);
          return;
        case X_DECL:
          if (b == '[') {
            aux++;
          } else if (b == ']') {
            aux--;
          } else if (b == '>' && aux <= 0) {
            state = X_TEXT;
          }
          return;
        default: // DONE
          return;
      }
    }
  }

  private void beginValue(int b) {
    switch (b) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        return;
      case '"':
        state = STR_FIRST;
        return;
      case '{':
      case '[':
        openNested(b);
        state = NEST_FIRST;
        return;
      case 't':
        aux = 1; // literal 0, one byte matched
        state = LIT;
        return;
      case 'f':
        aux = 1 << 8 | 1;
        state = LIT;
        return;
      case 'n':
        aux = 2 << 8 | 1;
        state = LIT;
        return;
      case '-':
        state = NUM_MINUS;
        return;
      case '0':
        state = NUM_ZERO;
        return;
      default:
        if (b >= '1' && b <= '9') {
          nonEmptyValue();
          state = NUM_INT;
        } else {
          setMalformed();
        }
    }
  }

  private void literal(int b) {
    int which = aux >>> 8;
    int matched = aux & 0xFF;
    byte[] word = LITERALS[which];
    if (b != word[matched]) {
      setMalformed();
    } else if (++matched < word.length) {
      aux = which << 8 | matched;
    } else {
      if (which == 0) {
        nonEmptyValue(); // true
      }
      valueDone();
    }
  }

  private void valueDone() {
    candidate = 0;
    state = AFTER_VALUE;
  }

  /** The value of the current top-level key is not empty: if that key is a marker, it counts. */
  private void nonEmptyValue() {
    if (candidate != 0) {
      if (marker == 0) {
        marker = candidate;
      }
      candidate = 0;
    }
  }

  private int keyDepth() {
    return kind == Kind.ARRAY ? 2 : 1;
  }

  private void openNested(int b) {
    depth++;
    int level = depth - keyDepth() - 1;
    if (level < 64) {
      if (b == '{') {
        nesting |= 1L << level;
      } else {
        nesting &= ~(1L << level);
      }
    }
  }

  /** Closes one nested level; false (and malformed) when the bracket does not match. */
  private boolean closeNested(int b) {
    int level = depth - keyDepth() - 1;
    if (level < 64 && ((nesting >>> level & 1) == 1) != (b == '}')) {
      setMalformed();
      return false;
    }
    depth--;
    return true;
  }

  /** The key-level object closed: its key set is complete. */
  private void closeKeyLevel() {
    boolean object = kind == Kind.OBJECT;
    emptyBody = object && !anyKey;
    long fp = sipHash(k0 ^ (object ? OBJECT_DOMAIN : ARRAY_DOMAIN), k1, keySum);
    fingerprint = fp == 0 ? 1 : fp;
    state = DONE;
  }

  private void beginKey() {
    keyHash = FNV_OFFSET;
    namePack = 0;
    nameLen = 0;
    pendingHighSurrogate = 0;
    state = KEY;
  }

  private void endKey() {
    flushHighSurrogate();
    if (kind == Kind.OBJECT) {
      candidate = markerFor(nameLen, namePack);
    }
    anyKey = true;
    long v = sipHash(k0, k1, keyHash);
    for (int i = 0; i < distinctKeys; i++) {
      if (seenKeys[i] == v) {
        return;
      }
    }
    if (distinctKeys < DEDUP_SLOTS) {
      seenKeys[distinctKeys++] = v;
    }
    keySum += v;
  }

  private static int markerFor(int len, long packed) {
    if (len == 5 && packed == ERROR) {
      return 1;
    }
    if (len == 6 && packed == ERRORS) {
      return 2;
    }
    if (len == 5 && packed == FAULT) {
      return 3;
    }
    return 0;
  }

  private void keyEscape(int b) {
    int c;
    switch (b) {
      case '"':
      case '\\':
      case '/':
        c = b;
        break;
      case 'b':
        c = '\b';
        break;
      case 'f':
        c = '\f';
        break;
      case 'n':
        c = '\n';
        break;
      case 'r':
        c = '\r';
        break;
      case 't':
        c = '\t';
        break;
      case 'u':
        aux = 0;
        state = KEY_HEX;
        return;
      default:
        setMalformed();
        return;
    }
    flushHighSurrogate();
    keyByte(c);
    state = KEY;
  }

  /** aux holds the digit count in its high half and the code unit so far in its low half. */
  private void keyHexDigit(int b) {
    int digit = hexValue(b);
    if (digit < 0) {
      setMalformed();
      return;
    }
    int digits = (aux >>> 16) + 1;
    int unit = (aux & 0xFFFF) << 4 | digit;
    if (digits < 4) {
      aux = digits << 16 | unit;
      return;
    }
    state = KEY;
    if (pendingHighSurrogate != 0 && unit >= 0xDC00 && unit <= 0xDFFF) {
      keyCodePoint(0x10000 + ((pendingHighSurrogate - 0xD800) << 10) + (unit - 0xDC00));
      pendingHighSurrogate = 0;
      return;
    }
    flushHighSurrogate();
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      pendingHighSurrogate = unit;
    } else {
      keyCodePoint(unit);
    }
  }

  /** A high surrogate not followed by an escaped low one is hashed on its own. */
  private void flushHighSurrogate() {
    if (pendingHighSurrogate != 0) {
      keyCodePoint(pendingHighSurrogate);
      pendingHighSurrogate = 0;
    }
  }

  /** Hashes a code point as the UTF-8 bytes it has when it is not escaped. */
  private void keyCodePoint(int cp) {
    if (cp < 0x80) {
      keyByte(cp);
    } else if (cp < 0x800) {
      keyByte(0xC0 | cp >>> 6);
      keyByte(0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      keyByte(0xE0 | cp >>> 12);
      keyByte(0x80 | cp >>> 6 & 0x3F);
      keyByte(0x80 | cp & 0x3F);
    } else {
      keyByte(0xF0 | cp >>> 18);
      keyByte(0x80 | cp >>> 12 & 0x3F);
      keyByte(0x80 | cp >>> 6 & 0x3F);
      keyByte(0x80 | cp & 0x3F);
    }
  }

  private void keyByte(int b) {
    keyHash = (keyHash ^ b) * FNV_PRIME;
    nameByte(b);
  }

  private void nameByte(int b) {
    if (nameLen < 8) {
      namePack = namePack << 8 | lowerAscii(b);
    }
    if (nameLen <= 8) {
      nameLen++;
    }
  }

  private void xmlNameEnd() {
    if (xmlClosing) {
      return;
    }
    boolean root = !xmlRootSeen;
    xmlRootSeen = true;
    if (root && nameLen == 4 && (namePack == HTML || namePack == HEAD || namePack == BODY)) {
      other();
      return;
    }
    xmlBodyTag = nameLen == 4 && namePack == BODY;
    if (nameLen == 5 && namePack == FAULT && bodyDepth > 0 && xmlDepth == bodyDepth) {
      marker = M_SOAP_FAULT;
      state = DONE;
    }
  }

  private void xmlTagEnd() {
    state = X_TEXT;
    if (xmlClosing) {
      xmlDepth--;
      if (xmlDepth < bodyDepth) {
        bodyDepth = 0;
      }
      if (xmlDepth <= 0) {
        state = DONE; // the root closed
      }
    } else if (xmlSlash) {
      if (xmlDepth == 0) {
        state = DONE;
      }
    } else {
      xmlDepth++;
      if (xmlBodyTag) {
        bodyDepth = xmlDepth;
      }
    }
  }

  private void other() {
    kind = Kind.OTHER;
    state = DONE;
  }

  private void setMalformed() {
    malformed = true;
    kind = Kind.OTHER;
    marker = 0;
    candidate = 0;
    fingerprint = 0;
    emptyBody = false;
    state = DONE;
  }

  private static boolean isWhitespace(int b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static boolean isValueStart(int b) {
    return b == '"'
        || b == '{'
        || b == '['
        || b == 't'
        || b == 'f'
        || b == 'n'
        || b == '-'
        || (b >= '0' && b <= '9');
  }

  private static boolean isNameStart(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == ':' || b >= 0x80;
  }

  private static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  private static int lowerAscii(int b) {
    return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
  }

  private static long pack(String ascii) {
    long p = 0;
    for (int i = 0; i < ascii.length(); i++) {
      p = p << 8 | ascii.charAt(i);
    }
    return p;
  }

  /** SplitMix64's finaliser: derives the second SipHash key half from the salt. */
  private static long mix(long z) {
    z = (z ^ z >>> 30) * 0xbf58476d1ce4e5b9L;
    z = (z ^ z >>> 27) * 0x94d049bb133111ebL;
    return z ^ z >>> 31;
  }

  /** SipHash-2-4 of one 8-byte little-endian message {@code m}, keyed by (k0, k1). */
  static long sipHash(long k0, long k1, long m) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    long last = 8L << 56; // length byte of the final (otherwise empty) block
    for (int round = 0; round < 8; round++) {
      if (round == 0) {
        v3 ^= m;
      } else if (round == 2) {
        v0 ^= m;
        v3 ^= last;
      } else if (round == 4) {
        v0 ^= last;
        v2 ^= 0xff;
      }
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
