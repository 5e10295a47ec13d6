package dev.seamwatch.agent.anomaly;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seamwatch.agent.anomaly.BodySniffer.Kind;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodySnifferTest {

  private static final long SALT = 0x1234_5678_9abc_def0L;
  private static final int BIG = Integer.MAX_VALUE;

  // ---- helpers ------------------------------------------------------------------------------

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static BodySniffer sniff(String body) {
    return sniff(utf8(body), BodySniffer.DEFAULT_LIMIT, SALT);
  }

  private static BodySniffer sniff(byte[] body, int limit, long salt) {
    BodySniffer s = new BodySniffer(limit, salt);
    s.feed(body, 0, body.length);
    s.finish();
    return s;
  }

  private static long fp(String body) {
    return sniff(body).fingerprint();
  }

  /** Everything a caller can observe, in one comparable string. */
  private static String outcome(BodySniffer s) {
    return s.kind()
        + " fp="
        + Long.toHexString(s.fingerprint())
        + " empty="
        + s.empty()
        + " marker="
        + s.errorMarker()
        + " bytes="
        + s.bytes()
        + " malformed="
        + s.malformed()
        + " done="
        + s.scanDone();
  }

  private interface Feeder {
    void feed(BodySniffer s, byte[] body, Random random);
  }

  /** Every way the agent may see a body's bytes; each must give the same outcome. */
  private static final Feeder[] FEEDERS = {
    (s, b, r) -> s.feed(b, 0, b.length),
    (s, b, r) -> {
      for (int i = 0; i < b.length; i++) {
        s.feed(b, i, 1);
      }
    },
    (s, b, r) -> {
      for (byte x : b) {
        s.feed(x & 0xFF);
      }
      s.feed(-1);
    },
    (s, b, r) -> {
      for (int i = 0; i < b.length; ) {
        int n = Math.min(b.length - i, 1 + r.nextInt(17));
        s.feed(b, i, n);
        i += n;
      }
    },
    (s, b, r) -> {
      // The body in the middle of a larger array, as a stream's read(buf, off, len) leaves it.
      byte[] padded = new byte[b.length + 20];
      Arrays.fill(padded, (byte) '{');
      System.arraycopy(b, 0, padded, 7, b.length);
      for (int i = 0; i < b.length; ) {
        int n = Math.min(b.length - i, 1 + r.nextInt(64));
        s.feed(padded, 7 + i, n);
        i += n;
      }
    },
    (s, b, r) -> feedBuffers(s, b, r, false, false),
    (s, b, r) -> feedBuffers(s, b, r, true, false),
    (s, b, r) -> feedBuffers(s, b, r, false, true),
  };

  private static void feedBuffers(
      BodySniffer s, byte[] b, Random r, boolean direct, boolean readOnly) {
    for (int i = 0; i < b.length; ) {
      int n = Math.min(b.length - i, 1 + r.nextInt(33));
      ByteBuffer buf = direct ? ByteBuffer.allocateDirect(n + 8) : ByteBuffer.allocate(n + 8);
      buf.put(new byte[] {'[', '[', '['});
      buf.put(b, i, n);
      buf.position(3).limit(3 + n);
      buf.mark();
      if (readOnly) {
        buf = buf.asReadOnlyBuffer();
      }
      s.feed(buf);
      assertThat(buf.position()).isEqualTo(3);
      assertThat(buf.limit()).isEqualTo(3 + n);
      assertThat(buf.reset().position()).isEqualTo(3); // the mark survived
      i += n;
    }
  }

  private static String outcome(byte[] body, int limit, long salt, Feeder feeder, Random r) {
    BodySniffer s = new BodySniffer(limit, salt);
    feeder.feed(s, body, r);
    s.finish();
    return outcome(s);
  }

  /** Asserts that every feeder and every two-chunk split gives the whole-array outcome. */
  private static String assertSameWhateverTheChunks(byte[] body, int limit) {
    String expected = outcome(body, limit, SALT, FEEDERS[0], null);
    Random r = new Random(body.length * 31L + limit);
    for (int f = 1; f < FEEDERS.length; f++) {
      assertThat(outcome(body, limit, SALT, FEEDERS[f], r))
          .as("feeder %d on %s", f, new String(body, UTF_8))
          .isEqualTo(expected);
    }
    for (int split = 0; split <= body.length; split++) {
      BodySniffer s = new BodySniffer(limit, SALT);
      s.feed(body, 0, split);
      s.feed(body, split, body.length - split);
      s.finish();
      assertThat(outcome(s))
          .as("split at %d of %s", split, new String(body, UTF_8))
          .isEqualTo(expected);
    }
    return expected;
  }

  // ---- fingerprints -------------------------------------------------------------------------

  @Test
  void keyOrderDoesNotChangeTheFingerprint() {
    long ab = fp("{\"a\":1,\"b\":2}");
    assertThat(ab).isNotZero();
    assertThat(fp("{\"b\":3,\"a\":[1,2]}")).isEqualTo(ab);
    assertThat(fp("{\"id\":1,\"name\":\"x\",\"tags\":[],\"owner\":{}}"))
        .isEqualTo(fp("{\"owner\":{},\"tags\":[],\"id\":1,\"name\":\"x\"}"))
        .isEqualTo(fp("{\"tags\":null,\"name\":1,\"owner\":2,\"id\":3}"));
  }

  @Test
  void valuesDoNotChangeTheFingerprint() {
    long expected = fp("{\"a\":1,\"b\":2}");
    String[] values = {
      "null",
      "true",
      "false",
      "0",
      "-1.5e+10",
      "\"\"",
      "\"text\"",
      "[]",
      "{}",
      "[1,[2,[3]]]",
      "{\"x\":{\"y\":[{\"z\":null}]}}",
      "\"\\\"}{:,\"",
      "12345678901234567890"
    };
    for (String v : values) {
      assertThat(fp("{\"a\":" + v + ",\"b\":" + v + "}")).as(v).isEqualTo(expected);
    }
  }

  @Test
  void nestedKeysAreIgnored() {
    long outer = fp("{\"a\":{\"x\":1},\"b\":[{\"y\":2}]}");
    assertThat(outer)
        .isEqualTo(fp("{\"a\":{\"q\":1,\"r\":{\"s\":2}},\"b\":[]}"))
        .isEqualTo(fp("{\"a\":1,\"b\":2}"))
        .isNotEqualTo(fp("{\"a\":1,\"b\":2,\"x\":1}"))
        .isNotEqualTo(fp("{\"a\":1,\"b\":2,\"y\":1}"));
  }

  @Test
  void differentKeySetsGiveDifferentFingerprints() {
    String[] bodies = {
      "{}",
      "{\"a\":1}",
      "{\"b\":1}",
      "{\"A\":1}",
      "{\"a\":1,\"b\":1}",
      "{\"a\":1,\"b\":1,\"c\":1}",
      "{\"ab\":1}",
      "{\"a\":1,\"bc\":1}",
      "{\"ab\":1,\"c\":1}",
      "{\"\":1}",
      "{\"data\":1}",
      "{\"data\":1,\"errors\":1}",
      "{\"error\":1}",
      "{\"errors\":1}",
      "{\"a \":1}",
      "{\"a\\n\":1}",
      "[{\"a\":1}]",
      "[{}]",
      "[{\"a\":1,\"b\":1}]",
    };
    Set<Long> seen = new HashSet<>();
    for (String body : bodies) {
      long fp = fp(body);
      assertThat(fp).as(body).isNotZero();
      assertThat(seen.add(fp)).as("collision for %s", body).isTrue();
    }
  }

  @Test
  void manyRandomKeySetsDoNotCollide() {
    Random r = new Random(7);
    Set<String> sets = new HashSet<>();
    Set<Long> fps = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      StringBuilder body = new StringBuilder("{");
      List<String> keys = new ArrayList<>();
      for (int k = 0, n = r.nextInt(12); k < n; k++) {
        String key = "k" + r.nextInt(40);
        if (!keys.contains(key)) {
          keys.add(key);
        }
      }
      for (int k = 0; k < keys.size(); k++) {
        body.append(k == 0 ? "" : ",").append('"').append(keys.get(k)).append("\":0");
      }
      keys.sort(null);
      if (sets.add(keys.toString())) {
        assertThat(fps.add(fp(body.append('}').toString()))).as(body.toString()).isTrue();
      }
    }
    assertThat(fps.size()).isEqualTo(sets.size()).isGreaterThan(1000);
  }

  @Test
  void duplicateKeysDoNotChangeTheFingerprint() {
    long ab = fp("{\"a\":1,\"b\":2}");
    assertThat(fp("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo(ab);
    assertThat(fp("{\"a\":1,\"a\":1,\"a\":1,\"b\":2,\"b\":{}}")).isEqualTo(ab);
    assertThat(fp("{\"a\":1,\"\\u0061\":2,\"b\":2}")).isEqualTo(ab);
  }

  @Test
  void duplicatesOfTheFirstSixteenDistinctKeysAreDroppedBeyondThemTheyCount() {
    StringBuilder sixteen = new StringBuilder("{");
    for (int i = 0; i < BodySniffer.DEDUP_SLOTS; i++) {
      sixteen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
    }
    long base = fp(sixteen + "}");
    assertThat(fp(sixteen + ",\"k0\":1,\"k15\":2}")).isEqualTo(base);
    long seventeen = fp(sixteen + ",\"k16\":0}");
    // The documented limit of constant memory: a repeat of the 17th distinct key counts twice.
    assertThat(fp(sixteen + ",\"k16\":0,\"k16\":1}")).isNotEqualTo(seventeen);
  }

  @Test
  void theSaltKeysTheFingerprint() {
    byte[] body = utf8("{\"a\":1,\"b\":2}");
    long one = sniff(body, BIG, 1).fingerprint();
    assertThat(sniff(body, BIG, 1).fingerprint()).isEqualTo(one);
    assertThat(sniff(body, BIG, 2).fingerprint()).isNotEqualTo(one).isNotZero();
    assertThat(sniff(body, BIG, 0).fingerprint()).isNotEqualTo(one).isNotZero();
    assertThat(sniff(utf8("{}"), BIG, 1).fingerprint())
        .isNotEqualTo(sniff(utf8("{}"), BIG, 2).fingerprint());
  }

  @Test
  void sipHashMatchesTheReferenceVector() {
    // Key 00..0f, message 00..07: vector 8 of the SipHash-2-4 reference implementation.
    assertThat(BodySniffer.sipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 0x0706050403020100L))
        .isEqualTo(0x93f5f5799a932462L);
  }

  @Test
  void anArrayIsFingerprintedByItsFirstObjectAndNotLikeAnObject() {
    long array = fp("[{\"a\":1,\"b\":2},{\"c\":3}]");
    assertThat(array).isNotZero();
    assertThat(fp("[ {\"b\":[], \"a\":{\"z\":1}} ]")).isEqualTo(array);
    assertThat(fp("[{\"a\":1,\"b\":2},\"anything\", ] garbage after the first element"))
        .isEqualTo(array);
    assertThat(fp("{\"a\":1,\"b\":2}")).isNotEqualTo(array);
    assertThat(fp("[{}]")).isNotEqualTo(fp("{}"));

    BodySniffer s = sniff("[{\"a\":1,\"b\":2}]");
    assertThat(s.kind()).isEqualTo(Kind.ARRAY);
    assertThat(s.empty()).isFalse();
    assertThat(s.errorMarker()).isNull();
  }

  @Test
  void anArrayOfNonObjectsHasNoFingerprint() {
    for (String body : new String[] {"[1,2]", "[\"a\"]", "[[{\"a\":1}]]", "[null]", "[-1]"}) {
      BodySniffer s = sniff(body);
      assertThat(s.kind()).as(body).isEqualTo(Kind.ARRAY);
      assertThat(s.fingerprint()).as(body).isZero();
      assertThat(s.empty()).as(body).isFalse();
    }
  }

  @Test
  void anArrayOfErrorObjectsIsNotAnErrorMarker() {
    assertThat(sniff("[{\"error\":\"x\"}]").errorMarker()).isNull();
  }

  // ---- emptiness ----------------------------------------------------------------------------

  @Test
  void emptyBodiesAreEmptyAfterFinish() {
    String[] empties = {
      "", " ", "\r\n\t ", "\uFEFF", "\uFEFF \n", "{}", " { \n } ", "[]", "\t[ ]\n"
    };
    for (String body : empties) {
      BodySniffer s = new BodySniffer(BodySniffer.DEFAULT_LIMIT, SALT);
      byte[] b = utf8(body);
      s.feed(b, 0, b.length);
      assertThat(s.empty()).as("before finish: %s", body).isFalse();
      s.finish();
      assertThat(s.empty()).as(body).isTrue();
    }
    assertThat(sniff("").kind()).isEqualTo(Kind.EMPTY);
    assertThat(sniff(" \n").kind()).isEqualTo(Kind.EMPTY);
    assertThat(sniff("\uFEFF").kind()).isEqualTo(Kind.EMPTY);
    assertThat(sniff("{}").kind()).isEqualTo(Kind.OBJECT);
    assertThat(sniff("[]").kind()).isEqualTo(Kind.ARRAY);
    assertThat(sniff("[]").fingerprint()).isZero();
  }

  @Test
  void bodiesWithContentAreNotEmpty() {
    String[] full = {
      "{\"a\":1}", "[1]", "[{}]", "[[]]", "null", "0", "\"\"", "x", "<a/>", "{\"\":null}", "{} x"
    };
    for (String body : full) {
      assertThat(sniff(body).empty()).as(body).isEqualTo(body.equals("{} x"));
    }
  }

  @Test
  void anEmptyBodyWithALimitOfZeroIsStillEmpty() {
    BodySniffer s = new BodySniffer(0, SALT);
    s.finish();
    assertThat(s.empty()).isTrue();
    assertThat(s.kind()).isEqualTo(Kind.EMPTY);

    BodySniffer blank = sniff(utf8("  "), 0, SALT);
    assertThat(blank.empty()).isFalse();
    assertThat(blank.kind()).isEqualTo(Kind.UNKNOWN);
  }

  @Test
  void whitespaceBeyondTheLimitIsNotKnownToBeEmpty() {
    byte[] spaces = new byte[100];
    Arrays.fill(spaces, (byte) ' ');
    assertThat(sniff(spaces, 100, SALT).empty()).isTrue();
    BodySniffer s = sniff(spaces, 99, SALT);
    assertThat(s.empty()).isFalse();
    assertThat(s.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(s.bytes()).isEqualTo(100);
  }

  // ---- error markers ------------------------------------------------------------------------

  @Test
  void errorKeysWithRealValuesAreMarkers() {
    String[][] cases = {
      {"{\"error\":\"invalid_token\"}", "error"},
      {"{\"error\":{\"code\":500}}", "error"},
      {"{\"error\":true}", "error"},
      {"{\"error\":1}", "error"},
      {"{\"error\":-0.5}", "error"},
      {"{\"error\":-12}", "error"},
      {"{\"error\":-1}", "error"},
      {"{\"error\":10}", "error"},
      {"{\"error\":-0.0e1,\"fault\":5e-1}", "fault"},
      {"{\"error\":0.01}", "error"},
      {"{\"error\":[null]}", "error"},
      {"{\"error\":[[]]}", "error"},
      {"{\"error\":{\"\":null}}", "error"},
      {"{\"error\":\" \"}", "error"},
      {"{\"errors\":[{\"message\":\"x\"}]}", "errors"},
      {"{\"fault\":{\"faultstring\":\"Invalid ApiKey\"}}", "fault"},
      {"{\"Error\":\"x\"}", "error"},
      {"{\"ERRORS\":[1]}", "errors"},
      {"{\"Fault\":\"x\"}", "fault"},
      {"{\"\\u0065rror\":\"x\"}", "error"},
      {"{\"ok\":true,\"error\":\"late\"}", "error"},
      {"{\"error\":null,\"errors\":[\"second\"]}", "errors"},
      {"{\"errors\":[1],\"error\":\"x\"}", "errors"},
    };
    for (String[] c : cases) {
      assertThat(sniff(c[0]).errorMarker()).as(c[0]).isEqualTo(c[1]);
      assertThat(sniff(c[0]).kind()).as(c[0]).isEqualTo(Kind.OBJECT);
    }
  }

  @Test
  void errorKeysWithEmptyValuesAreNotMarkers() {
    String[] cases = {
      "{\"error\":null}",
      "{\"errors\":[]}",
      "{\"errors\":[ ]}",
      "{\"error\":{}}",
      "{\"error\":{ \n }}",
      "{\"error\":false}",
      "{\"error\":\"\"}",
      "{\"error\":0}",
      "{\"error\":-0}",
      "{\"error\":0.0}",
      "{\"error\":0e7}",
      "{\"error\":0.00E-3}",
      "{\"fault\":null,\"error\":[],\"errors\":{}}",
      "{\"data\":{\"error\":\"x\"}}",
      "{\"data\":[{\"errors\":[1]}]}",
      "{\"errorCode\":5,\"err\":1,\"my_error\":\"x\",\"faults\":1}",
      "{\"message\":\"error\",\"x\":\"errors\"}",
      "{\"data\":{\"user\":{\"id\":1}}}",
    };
    for (String c : cases) {
      BodySniffer s = sniff(c);
      assertThat(s.errorMarker()).as(c).isNull();
      assertThat(s.fingerprint()).as(c).isNotZero();
    }
  }

  @Test
  void graphQlErrorsNextToDataAreAMarker() {
    BodySniffer s =
        sniff(
            "{\"data\":{\"user\":null},\"errors\":[{\"message\":\"x\",\"path\":[\"user\"],"
                + "\"extensions\":{\"code\":\"NOT_FOUND\"}}]}");
    assertThat(s.errorMarker()).isEqualTo("errors");
    assertThat(s.fingerprint()).isEqualTo(fp("{\"errors\":1,\"data\":2}"));
    assertThat(sniff("{\"data\":{\"user\":{\"id\":\"1\"}}}").errorMarker()).isNull();
  }

  @Test
  void soapFaultsAreMarkersWhateverThePrefix() {
    String[] faults = {
      // SOAP 1.1
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<soap:Body><soap:Fault><faultcode>soap:Server</faultcode>"
          + "<faultstring>boom</faultstring></soap:Fault></soap:Body></soap:Envelope>",
      "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
          + "  <SOAP-ENV:Header/>\n  <SOAP-ENV:Body>\n    <SOAP-ENV:Fault>\n"
          + "      <faultcode>SOAP-ENV:Client</faultcode>\n    </SOAP-ENV:Fault>\n"
          + "  </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>",
      "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'>"
          + "<soapenv:Body><soapenv:Fault>x</soapenv:Fault></soapenv:Body></soapenv:Envelope>",
      // SOAP 1.2
      "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body>"
          + "<env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code></env:Fault>"
          + "</env:Body></env:Envelope>",
      "<S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\"><S:Body>"
          + "<S:Fault xmlns:ns4=\"http://x\"><S:Code/></S:Fault></S:Body></S:Envelope>",
      "\uFEFF  <!-- a comment --><Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\">"
          + "<Body a=\"<Body>\"><Fault/></Body></Envelope>",
    };
    for (String body : faults) {
      BodySniffer s = sniff(body);
      assertThat(s.kind()).as(body).isEqualTo(Kind.XML);
      assertThat(s.errorMarker()).as(body).isEqualTo("soap_fault");
      assertThat(s.fingerprint()).as(body).isZero();
    }
  }

  @Test
  void soapResponsesWithoutAFaultUnderTheBodyAreNotMarkers() {
    String[] fine = {
      "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<soap:Body><m:GetPriceResponse xmlns:m=\"https://x\"><m:Price>1.90</m:Price>"
          + "</m:GetPriceResponse></soap:Body></soap:Envelope>",
      // Fault elements that are data, not the SOAP fault: deeper in the body, or in the header.
      "<s:Envelope><s:Body><r:ListFaultsResponse><r:Fault>disk</r:Fault></r:ListFaultsResponse>"
          + "</s:Body></s:Envelope>",
      "<s:Envelope><s:Header><s:Fault/></s:Header><s:Body><ok/></s:Body></s:Envelope>",
      "<s:Envelope><s:Body><ok/></s:Body><s:Fault/></s:Envelope>",
      // The text of a Fault in a comment, a CDATA section, an attribute value or text.
      "<s:Envelope><s:Body><!-- <s:Fault> --><![CDATA[<s:Fault>]]><r a=\"<s:Fault>\"/>"
          + "Fault</s:Body></s:Envelope>",
      "<s:Envelope><s:Body><s:Faulty/><s:FaultX/><Faul/></s:Body></s:Envelope>",
      "<Fault><Body/></Fault>",
    };
    for (String body : fine) {
      BodySniffer s = sniff(body);
      assertThat(s.kind()).as(body).isEqualTo(Kind.XML);
      assertThat(s.errorMarker()).as(body).isNull();
    }
  }

  @Test
  void htmlIsOtherNotXml() {
    String[] html = {
      "<!DOCTYPE html><title>x</title><body>Fault</body>",
      "<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html><body></body></html>",
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n</body></html>",
      "\n\n<HTML><HEAD>",
      "<!-- served by x --><html lang=\"en\">",
      "<head><meta charset=utf-8>",
    };
    for (String body : html) {
      assertThat(sniff(body).kind()).as(body).isEqualTo(Kind.OTHER);
      assertThat(sniff(body).errorMarker()).as(body).isNull();
    }
    assertThat(sniff("<!DOCTYPE note SYSTEM \"note.dtd\"><note/>").kind()).isEqualTo(Kind.XML);
    assertThat(sniff("<htmlx/>").kind()).isEqualTo(Kind.XML);
  }

  // ---- escapes ------------------------------------------------------------------------------

  @Test
  void escapedKeysHashAsTheirDecodedText() {
    assertThat(fp("{\"\\u0041\":1}")).isEqualTo(fp("{\"A\":1}")).isNotEqualTo(fp("{\"a\":1}"));
    assertThat(fp("{\"a\\\"b\":1}")).isEqualTo(fp("{\"a\\u0022b\":1}"));
    assertThat(fp("{\"a\\/b\":1}")).isEqualTo(fp("{\"a/b\":1}"));
    assertThat(fp("{\"\\u00e9t\\u00C9\":1}")).isEqualTo(fp("{\"étÉ\":1}"));
    assertThat(fp("{\"\\u20AC\":1}")).isEqualTo(fp("{\"€\":1}"));
    assertThat(fp("{\"\\ud83d\\ude00\":1}")).isEqualTo(fp("{\"\uD83D\uDE00\":1}"));
    assertThat(fp("{\"\\t\\n\\r\\b\\f\\\\\":1}"))
        .isEqualTo(fp("{\"\\u0009\\u000a\\u000D\\u0008\\u000C\\u005c\":1}"));
    // A lone high surrogate is hashed by itself, before what follows it.
    assertThat(fp("{\"\\ud83dx\":1}")).isEqualTo(fp("{\"\\ud83d\\u0078\":1}")).isNotZero();
  }

  @Test
  void stringBoundariesSurviveEscapesAndStructuralCharactersInStrings() {
    long ab = fp("{\"a\":1,\"b\":2}");
    assertThat(fp("{\"a\":\"x\\\"}{:,\\\\\",\"b\":\"]\"}")).isEqualTo(ab);
    assertThat(fp("{\"a\":{\"s\":\"\\\"}]\\\\\"},\"b\":[\"{\",\"\\\"\"]}")).isEqualTo(ab);
    assertThat(fp("{\"a\\\\\":1}")).isEqualTo(fp("{\"a\\u005C\":2}"));
    assertThat(fp("{\"a\\\\\":1}")).isNotEqualTo(fp("{\"a\":1}"));
    assertThat(fp("{\"a\\\"\":1}")).isNotZero();
    assertThat(fp("{\"a,b\":1,\"c:d\":2,\"{e}\":3}"))
        .isNotEqualTo(fp("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1}"))
        .isNotZero();
  }

  // ---- chunking -----------------------------------------------------------------------------

  private static final String[] CORPUS = {
    "",
    "  ",
    "\uFEFF{\"a\":1}",
    "{}",
    "[]",
    "{\"a\":1,\"b\":[1,2,{\"c\":\"}\"}],\"error\":null,\"errors\":[{\"m\":\"x\"}]}",
    "[{\"a\":\"\\u0041\\\"\",\"b\":-1.5e-3},2]",
    "{\"\\ud83d\\ude00\":true,\"\\u00e9\":false,\"x\\\\\":0.0}",
    "{\"error\":\"boom\"",
    "{\"a\":tru}",
    "{\"a\":1,}",
    "\"just a string\"",
    "12.5e3",
    "404 page not found",
    "null",
    "<?xml version='1.0'?><s:Envelope><s:Body><s:Fault/></s:Body></s:Envelope>",
    "<!DOCTYPE html><html></html>",
    "\u001f\u008b\u0008\u0000binary",
    "{\"deep\":[[[[[[[[[[{\"x\":[]}]]]]]]]]]],\"z\":{}}",
  };

  @Test
  void everySplitAndEveryFeedGiveTheSameOutcome() {
    for (String body : CORPUS) {
      assertSameWhateverTheChunks(utf8(body), BIG);
      assertSameWhateverTheChunks(utf8(body), 7);
    }
  }

  @Test
  void aByteBufferIsReadWithoutMovingItsPositionLimitOrMark() {
    byte[] body = utf8("xx{\"a\":1,\"error\":\"y\"}yy");
    for (boolean direct : new boolean[] {false, true}) {
      ByteBuffer buf = direct ? ByteBuffer.allocateDirect(body.length) : ByteBuffer.allocate(64);
      buf.put(body).position(2).limit(body.length - 2);
      buf.mark();
      BodySniffer s = new BodySniffer(BIG, SALT);
      s.feed(buf);
      s.finish();
      assertThat(buf.position()).isEqualTo(2);
      assertThat(buf.limit()).isEqualTo(body.length - 2);
      assertThat(buf.reset().position()).isEqualTo(2);
      assertThat(s.fingerprint()).isEqualTo(fp("{\"error\":0,\"a\":0}"));
      assertThat(s.errorMarker()).isEqualTo("error");
      assertThat(s.bytes()).isEqualTo(body.length - 4);
    }
    BodySniffer s = new BodySniffer(BIG, SALT);
    s.feed(ByteBuffer.allocate(0));
    s.feed((ByteBuffer) null);
    assertThat(s.bytes()).isZero();
  }

  @Test
  void oddArgumentsAreIgnoredNotThrown() {
    BodySniffer s = new BodySniffer(BIG, SALT);
    s.feed(null, 0, 5);
    s.feed(new byte[3], 0, 0);
    s.feed(new byte[3], 0, -1);
    s.feed(new byte[3], -1, 2);
    s.feed(new byte[3], 3, 2);
    s.feed(-1);
    s.count(0);
    s.count(-5);
    assertThat(s.bytes()).isZero();
    s.feed(utf8("{}"), 1, 10); // only the in-range byte
    assertThat(s.bytes()).isEqualTo(1);
    assertThat(s.kind()).isEqualTo(Kind.OTHER);
    assertThat(new BodySniffer(-3, SALT).scanDone()).isTrue();
  }

  // ---- the scan limit -----------------------------------------------------------------------

  @Test
  void anObjectClosingAfterTheLimitHasNoFingerprintButIsCountedExactly() {
    String body = "{\"error\":\"quota\",\"padding\":\"" + "x".repeat(10_000) + "\"}";
    byte[] b = utf8(body);
    BodySniffer s = sniff(b, BodySniffer.DEFAULT_LIMIT, SALT);
    assertThat(s.fingerprint()).isZero();
    assertThat(s.bytes()).isEqualTo(b.length);
    assertThat(s.errorMarker()).isEqualTo("error");
    assertThat(s.kind()).isEqualTo(Kind.OBJECT);
    assertThat(s.scanDone()).isTrue();
    assertThat(s.empty()).isFalse();
    assertThat(assertSameWhateverTheChunks(b, BodySniffer.DEFAULT_LIMIT)).contains("fp=0 ");

    assertThat(sniff(b, b.length, SALT).fingerprint()).isEqualTo(fp("{\"padding\":0,\"error\":0}"));
    assertThat(sniff(b, b.length - 1, SALT).fingerprint()).isZero();
  }

  @Test
  void anObjectClosingExactlyAtTheLimitIsComplete() {
    byte[] b = utf8("{\"a\":1}   more bytes that are only counted");
    BodySniffer s = new BodySniffer(7, SALT);
    s.feed(b, 0, 7);
    assertThat(s.scanDone()).isTrue();
    assertThat(s.fingerprint()).isEqualTo(fp("{\"a\":2}"));
    s.feed(b, 7, b.length - 7);
    s.finish();
    assertThat(s.fingerprint()).isEqualTo(fp("{\"a\":2}"));
    assertThat(s.bytes()).isEqualTo(b.length);
  }

  @Test
  void aMarkerWhoseValueStartsBeforeTheLimitCounts() {
    byte[] b = utf8("{\"errors\":[{\"message\":\"x\"}]}");
    assertThat(sniff(b, 12, SALT).errorMarker()).isEqualTo("errors"); // limit after "[{"
    assertThat(sniff(b, 11, SALT).errorMarker()).isNull(); // limit after "[": maybe []
    assertThat(sniff(b, 11, SALT).kind()).isEqualTo(Kind.OBJECT);
  }

  @Test
  void scanDoneOnceTheShapeIsDecided() {
    BodySniffer s = new BodySniffer(BIG, SALT);
    s.feed(utf8("{\"a\":"), 0, 5);
    assertThat(s.scanDone()).isFalse();
    s.feed(utf8("1}"), 0, 2);
    assertThat(s.scanDone()).isTrue();
    s.count(1_000_000);
    s.finish();
    assertThat(s.bytes()).isEqualTo(1_000_007);
    assertThat(s.fingerprint()).isEqualTo(fp("{\"a\":0}"));

    BodySniffer text = new BodySniffer(BIG, SALT);
    text.feed('h');
    assertThat(text.scanDone()).isTrue();
    assertThat(text.kind()).isEqualTo(Kind.OTHER);
  }

  @Test
  void countingBeforeTheShapeIsDecidedStopsTheScan() {
    BodySniffer s = new BodySniffer(BIG, SALT);
    s.feed(utf8("{\"a\":1"), 0, 6);
    s.count(10);
    assertThat(s.scanDone()).isTrue();
    s.feed(utf8("}"), 0, 1); // not the continuation of what was scanned
    s.finish();
    assertThat(s.fingerprint()).isZero();
    assertThat(s.bytes()).isEqualTo(17);

    BodySniffer blank = new BodySniffer(BIG, SALT);
    blank.count(3);
    blank.finish();
    assertThat(blank.empty()).isFalse();
  }

  @Test
  void finishIsIdempotentAndLaterBytesAreOnlyCounted() {
    BodySniffer s = sniff("{\"a\":1");
    assertThat(s.finished()).isTrue();
    assertThat(s.fingerprint()).isZero();
    s.feed(utf8("}"), 0, 1);
    s.finish();
    assertThat(s.fingerprint()).isZero();
    assertThat(s.bytes()).isEqualTo(7);
    assertThat(s.kind()).isEqualTo(Kind.OBJECT);
  }

  // ---- kinds, non-JSON and malformed bodies -------------------------------------------------

  @Test
  void scalarsAreScalars() {
    for (String body :
        new String[] {
          "\"x\"", "\"\"", "123", "-1.5e3", "0", "true", "false", "null", " 42 \n", "\"a\\\"b\""
        }) {
      BodySniffer s = sniff(body);
      assertThat(s.kind()).as(body).isEqualTo(Kind.SCALAR);
      assertThat(s.fingerprint()).as(body).isZero();
      assertThat(s.errorMarker()).as(body).isNull();
      assertThat(s.malformed()).as(body).isFalse();
    }
  }

  @Test
  void textThatStartsLikeAScalarIsOther() {
    for (String body :
        new String[] {
          "404 page not found", "null pointer", "tru", "-", "\"open", "01", "1.", "true\"", "nul"
        }) {
      BodySniffer s = sniff(body);
      assertThat(s.kind()).as(body).isEqualTo(Kind.OTHER);
      assertThat(s.malformed()).as(body).isTrue();
    }
  }

  @Test
  void nonJsonBodiesAreOtherAtOnce() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(utf8("{\"a\":1}"));
    }
    byte[][] bodies = {
      utf8("OK"),
      utf8("Internal Server Error"),
      utf8("\u00e9t\u00e9"),
      gz.toByteArray(),
      {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
      {0x08, (byte) 0x96, 0x01},
      {(byte) 0xEF, (byte) 0xBB, 'x'},
      {(byte) 0xEF},
      {(byte) 0xFE, (byte) 0xFF, 0, '{'},
    };
    for (byte[] body : bodies) {
      BodySniffer s = new BodySniffer(BIG, SALT);
      s.feed(body, 0, body.length);
      assertThat(s.scanDone()).isEqualTo(body.length > 1);
      s.finish();
      assertThat(s.kind()).as(Arrays.toString(body)).isEqualTo(Kind.OTHER);
      assertThat(s.fingerprint()).isZero();
      assertThat(s.errorMarker()).isNull();
      assertThat(s.malformed()).isFalse();
      assertThat(s.bytes()).isEqualTo(body.length);
    }
  }

  @Test
  void malformedJsonHasNoFingerprintNoMarkerAndIsOther() {
    String[] bad = {
      "{\"a\":1,}",
      "{\"a\" 1}",
      "{a:1}",
      "{\"a\":1 \"b\":2}",
      "{\"a\":tru}",
      "{\"a\":nul}",
      "{\"a\":01}",
      "{\"a\":1.}",
      "{\"a\":1e}",
      "{\"a\":-}",
      "{\"a\":+1}",
      "{\"a\":[1}",
      "{\"a\":{\"b\":1]}",
      "{\"a\":'x'}",
      "{\"a\\x\":1}",
      "{\"a\\u00g0\":1}",
      "{\"a\nb\":1}",
      "{\"error\":\"x\",]",
      "{\"error\":\"x\"]",
      "{,}",
      "{\"a\":}",
      "[{\"a\":1,}]",
      "[x]",
      "[{\"error\":1 2}]",
      "{\"a\":[]]}",
      "{\"a\":{]}",
      "{\"a\":[ }}",
    };
    for (String body : bad) {
      BodySniffer s = sniff(body);
      assertThat(s.fingerprint()).as(body).isZero();
      assertThat(s.errorMarker()).as(body).isNull();
      assertThat(s.empty()).as(body).isFalse();
      assertThat(s.kind()).as(body).isEqualTo(Kind.OTHER);
      assertThat(s.malformed()).as(body).isTrue();
    }
  }

  @Test
  void truncatedJsonHasNoFingerprintButKeepsItsKind() {
    String whole = "{\"a\":{\"b\":[1,\"x\\\"y\"]},\"error\":\"e\",\"c\":true}";
    for (int cut = 1; cut < whole.length(); cut++) {
      String body = whole.substring(0, cut);
      BodySniffer s = sniff(body);
      assertThat(s.fingerprint()).as(body).isZero();
      assertThat(s.kind()).as(body).isEqualTo(Kind.OBJECT);
      assertThat(s.malformed()).as(body).isFalse();
      assertThat(s.errorMarker())
          .as(body)
          .isEqualTo(body.contains("\"error\":\"e") ? "error" : null);
    }
  }

  @Test
  void deepNestingNeedsNoStack() {
    int n = 200_000;
    StringBuilder b = new StringBuilder("{\"a\":");
    for (int i = 0; i < n; i++) {
      b.append(i % 2 == 0 ? "[" : "{\"k\":");
    }
    b.append('0');
    for (int i = n - 1; i >= 0; i--) {
      b.append(i % 2 == 0 ? "]" : "}");
    }
    BodySniffer s = sniff(utf8(b.append(",\"b\":1}").toString()), BIG, SALT);
    assertThat(s.malformed()).isFalse();
    assertThat(s.fingerprint()).isEqualTo(fp("{\"b\":0,\"a\":0}"));

    // Brackets are matched to 64 levels below the key level, counted beyond.
    String mismatch = "{\"a\":" + "[".repeat(10) + "}" + "]".repeat(9) + "}";
    assertThat(sniff(mismatch).malformed()).isTrue();
    String deepMismatch = "{\"a\":" + "[".repeat(70) + "}" + "]".repeat(69) + "}";
    assertThat(sniff(deepMismatch).fingerprint()).isEqualTo(fp("{\"a\":0}"));
  }

  // ---- robustness ---------------------------------------------------------------------------

  @Test
  void randomBytesNeverThrowAndChunkingNeverMatters() {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] body = new byte[r.nextInt(64)];
      r.nextBytes(body);
      if (r.nextBoolean() && body.length > 0) {
        body[0] = (byte) "{[<\"-1tfn ".charAt(r.nextInt(10));
      }
      String outcome = outcome(body, BIG, SALT, FEEDERS[0], r);
      for (int f = 1; f < FEEDERS.length; f++) {
        assertThat(outcome(body, BIG, SALT, FEEDERS[f], r)).isEqualTo(outcome);
      }
    }
  }

  @Test
  void mutatedJsonNeverThrowsAndKeepsTheInvariants() {
    String[] seeds = {
      CORPUS[5],
      CORPUS[6],
      CORPUS[7],
      CORPUS[15],
      CORPUS[18],
      "{\"data\":{\"a\":[1,2,3]},\"errors\":[{\"message\":\"x\",\"locations\":[{\"line\":1}]}]}",
      "[{\"id\":1,\"name\":\"\\u00e9\"},{\"id\":2}]",
    };
    byte[] alphabet = utf8("{}[]\":,\\u0aE-.e+ tfnlrs<>/!?x\u00e9");
    Random r = new Random(4242);
    Set<String> reached = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] body = utf8(seeds[r.nextInt(seeds.length)]);
      for (int m = 0, mutations = 1 + r.nextInt(4); m < mutations && body.length > 0; m++) {
        int at = r.nextInt(body.length);
        switch (r.nextInt(4)) {
          case 0:
            body[at] = alphabet[r.nextInt(alphabet.length)];
            break;
          case 1:
            body =
                concat(
                    Arrays.copyOf(body, at),
                    new byte[] {alphabet[r.nextInt(alphabet.length)]},
                    Arrays.copyOfRange(body, at, body.length));
            break;
          case 2:
            body = concat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, at + 1, body.length));
            break;
          default:
            body = Arrays.copyOf(body, at);
        }
      }
      int limit = r.nextBoolean() ? BIG : r.nextInt(body.length + 2);
      BodySniffer s = sniff(body, limit, SALT);
      reached.add(s.kind() + (s.fingerprint() != 0 ? "+fp" : "") + (s.malformed() ? "!" : ""));
      reached.add(String.valueOf(s.errorMarker()));
      assertThat(s.bytes()).isEqualTo(body.length);
      if (s.fingerprint() != 0) {
        assertThat(s.kind()).isIn(Kind.OBJECT, Kind.ARRAY);
      }
      if (s.errorMarker() != null) {
        assertThat(s.kind()).isIn(Kind.OBJECT, Kind.XML);
      }
      if (s.malformed()) {
        assertThat(s.kind()).isEqualTo(Kind.OTHER);
      }
      if (i % 50 == 0) {
        assertThat(outcome(body, limit, SALT, FEEDERS[1 + r.nextInt(FEEDERS.length - 1)], r))
            .isEqualTo(outcome(s));
      }
    }
    // The mutations reach every outcome, not only "malformed".
    assertThat(reached)
        .contains("OBJECT+fp", "ARRAY+fp", "OBJECT", "XML", "OTHER!", "SCALAR", "OTHER")
        .contains("errors", "soap_fault", "null");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  // ---- cost ---------------------------------------------------------------------------------

  @Test
  void feedingAMegabyteAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; json.length() < 1 << 20; i++) {
      json.append("\"k\\u00e9y").append(i % 100).append("\":{\"v\":[1,\"s\\\"\",null]},");
    }
    byte[] body = utf8(json.append("\"end\":0}").toString());
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length);
    direct.put(body).flip();
    ByteBuffer heap = ByteBuffer.wrap(body);

    // Warm up (class loading, JIT) so that only the sniffer's own allocations remain.
    for (int i = 0; i < 5; i++) {
      runAll(body, direct, heap);
    }
    BodySniffer scanAll = new BodySniffer(BIG, SALT);
    BodySniffer countMost = new BodySniffer(BodySniffer.DEFAULT_LIMIT, SALT);
    long before = threads.getThreadAllocatedBytes(thread);
    feedAll(scanAll, body, direct, heap);
    feedAll(countMost, body, direct, heap);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(allocated).isLessThan(1024);
    assertThat(scanAll.bytes()).isEqualTo(5L * body.length);
    assertThat(scanAll.fingerprint()).isNotZero();
  }

  private static void runAll(byte[] body, ByteBuffer direct, ByteBuffer heap) {
    feedAll(new BodySniffer(BIG, SALT), body, direct, heap);
    feedAll(new BodySniffer(BodySniffer.DEFAULT_LIMIT, SALT), body, direct, heap);
  }

  /** The same megabyte five ways; once the object closes the rest is only counted. */
  private static void feedAll(BodySniffer s, byte[] body, ByteBuffer direct, ByteBuffer heap) {
    for (int i = 0; i < body.length; i += 4096) {
      s.feed(body, i, Math.min(4096, body.length - i));
    }
    for (int i = 0; i < body.length; i++) {
      s.feed(body[i] & 0xFF);
    }
    s.feed(direct);
    s.feed(heap);
    s.count(body.length);
    s.finish();
  }
}
