package dev.seamwatch.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTargetTest {

  @Test
  void theCacheParsesAUrlCalledAgainOnceAndKeepsEveryUrlApart() {
    HttpTarget.Cache cache = new HttpTarget.Cache(4);
    String url = "https://api.example.com/users/42?token=abc";
    HttpTarget first = cache.parse(url);
    // Another String with the same text, as a client builds one per call.
    assertThat(cache.parse(new String(url.toCharArray()))).isSameAs(first);

    // More distinct URLs than slots: each one still gets its own target, never a neighbour's.
    for (int i = 0; i < 1000; i++) {
      String other = "http://h" + (i % 37) + ":" + (8000 + i) + "/items/" + i + "?q=" + i;
      HttpTarget target = cache.parse(other);
      assertThat(target.redactedUrl).isEqualTo(HttpTarget.parse(other).redactedUrl);
      assertThat(target.port).isEqualTo(8000 + i);
      assertThat(target.host).isEqualTo("h" + (i % 37));
    }
    assertThat(cache.parse(url).redactedUrl).isEqualTo(first.redactedUrl);
  }

  @Test
  void theCacheKeepsNoLongUrlButParsesIt() {
    HttpTarget.Cache cache = new HttpTarget.Cache(4);
    String url = "https://h/p?q=" + "x".repeat(HttpTarget.Cache.MAX_CACHED_URL);
    HttpTarget first = cache.parse(url);
    assertThat(first.redactedUrl).isEqualTo("https://h/p?q=REDACTED");
    assertThat(cache.parse(url)).isNotSameAs(first);
    assertThat(cache.parse(null).host).isEqualTo("unknown");
  }

  @Test
  void parsesSchemeHostPortPathAndTemplate() {
    HttpTarget t = HttpTarget.parse("https://api.example.com:8443/users/42/orders?limit=10#top");

    assertThat(t.scheme).isEqualTo("https");
    assertThat(t.host).isEqualTo("api.example.com");
    assertThat(t.port).isEqualTo(8443);
    assertThat(t.pathTemplate).isEqualTo("/users/{id}/orders");
    assertThat(t.redactedUrl)
        .isEqualTo("https://api.example.com:8443/users/42/orders?limit=REDACTED");
    assertThat(t.integrationKey()).isEqualTo("https://api.example.com:8443");
  }

  @Test
  void pathParametersAreRedactedAndLeftOutOfTheTemplate() {
    HttpTarget t = HttpTarget.parse("http://shop.example/cart;jsessionid=ABC123/items;v=2;x?q=1");

    assertThat(t.redactedUrl)
        .isEqualTo("http://shop.example/cart;jsessionid=REDACTED/items;v=REDACTED;x?q=REDACTED")
        .doesNotContain("ABC123");
    assertThat(t.pathTemplate).isEqualTo("/cart/items");
  }

  @ParameterizedTest
  @CsvSource({
    "http://example.com/x, 80",
    "https://example.com/x, 443",
    "HTTP://example.com/x, 80",
    "HTTPS://example.com/x, 443",
    "http://example.com:8080/x, 8080",
    "https://example.com:80/x, 80",
    "http://example.com:65535/x, 65535",
  })
  void usesExplicitPortOrTheSchemeDefault(String url, int expectedPort) {
    assertThat(HttpTarget.parse(url).port).isEqualTo(expectedPort);
  }

  @Test
  void unknownSchemeWithoutPortHasPortZero() {
    assertThat(HttpTarget.parse("ftp://example.com/file").port).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://example.com:/x",
        "http://example.com:99999/x",
        "http://example.com:12ab/x",
        "http://example.com:123456/x"
      })
  void invalidPortFallsBackToTheSchemeDefault(String url) {
    HttpTarget t = HttpTarget.parse(url);
    assertThat(t.port).isEqualTo(80);
    assertThat(t.host).isEqualTo("example.com");
  }

  @Test
  void uppercaseSchemeAndHostAreLowerCased() {
    HttpTarget t = HttpTarget.parse("HTTPS://API.Example.COM/Users/Me");

    assertThat(t.scheme).isEqualTo("https");
    assertThat(t.host).isEqualTo("api.example.com");
    assertThat(t.port).isEqualTo(443);
    assertThat(t.redactedUrl).startsWith("https://");
    assertThat(t.pathTemplate).isEqualTo("/Users/Me");
    assertThat(t.integrationKey()).isEqualTo("https://api.example.com:443");
  }

  @Test
  void ipv6HostWithPortHasBracketsStripped() {
    HttpTarget t = HttpTarget.parse("http://[2001:DB8::1]:8080/a/1");

    assertThat(t.host).isEqualTo("2001:db8::1");
    assertThat(t.port).isEqualTo(8080);
    assertThat(t.redactedUrl).isEqualTo("http://[2001:DB8::1]:8080/a/1");
    assertThat(t.pathTemplate).isEqualTo("/a/{id}");
  }

  @Test
  void ipv6HostWithoutPortUsesDefaultPort() {
    HttpTarget t = HttpTarget.parse("https://[::1]/health");

    assertThat(t.host).isEqualTo("::1");
    assertThat(t.port).isEqualTo(443);
    assertThat(t.redactedUrl).isEqualTo("https://[::1]/health");
  }

  @Test
  void ipv6HostWithoutPathOrPort() {
    HttpTarget t = HttpTarget.parse("http://[fe80::1]");

    assertThat(t.host).isEqualTo("fe80::1");
    assertThat(t.port).isEqualTo(80);
    assertThat(t.redactedUrl).isEqualTo("http://[fe80::1]/");
    assertThat(t.pathTemplate).isEqualTo("/");
  }

  @Test
  void urlWithoutPathGetsSlash() {
    HttpTarget t = HttpTarget.parse("http://example.com");

    assertThat(t.host).isEqualTo("example.com");
    assertThat(t.redactedUrl).isEqualTo("http://example.com/");
    assertThat(t.pathTemplate).isEqualTo("/");
  }

  @Test
  void urlWithoutPathButWithQueryRedactsTheQuery() {
    HttpTarget t = HttpTarget.parse("http://example.com:81?token=abc123");

    assertThat(t.host).isEqualTo("example.com");
    assertThat(t.port).isEqualTo(81);
    assertThat(t.redactedUrl).isEqualTo("http://example.com:81/?token=REDACTED");
    assertThat(t.pathTemplate).isEqualTo("/");
  }

  @Test
  void queryValuesAreRedactedAndKeysKept() {
    HttpTarget t = HttpTarget.parse("http://h/p?a=1&b=secret&c=");

    assertThat(t.redactedUrl).isEqualTo("http://h/p?a=REDACTED&b=REDACTED&c=REDACTED");
  }

  @Test
  void queryParameterWithoutEqualsIsRedactedWhole() {
    HttpTarget t = HttpTarget.parse("http://h/p?sk_live_abcdef&a=1");

    assertThat(t.redactedUrl).isEqualTo("http://h/p?REDACTED&a=REDACTED");
  }

  @Test
  void emptyQueryKeepsOnlyTheQuestionMark() {
    assertThat(HttpTarget.parse("http://h/p?").redactedUrl).isEqualTo("http://h/p?");
  }

  @Test
  void repeatedAmpersandsAreCollapsed() {
    HttpTarget t = HttpTarget.parse("http://h/p?&&a=1&&&b=2&");

    assertThat(t.redactedUrl).isEqualTo("http://h/p?a=REDACTED&b=REDACTED");
  }

  @Test
  void valueContainingEqualsIsRedactedWhole() {
    HttpTarget t = HttpTarget.parse("http://h/p?sig=abc=def==&x=y");

    assertThat(t.redactedUrl).isEqualTo("http://h/p?sig=REDACTED&x=REDACTED");
  }

  @Test
  void encodedCharactersInValuesAreRedactedAndInPathAndKeysKept() {
    HttpTarget t = HttpTarget.parse("http://h/a%20b/c?na%6De=J%C3%B6rg%26x&q=%3D%3D");

    assertThat(t.redactedUrl).isEqualTo("http://h/a%20b/c?na%6De=REDACTED&q=REDACTED");
    assertThat(t.pathTemplate).isEqualTo("/a%20b/c");
  }

  @Test
  void fragmentIsDropped() {
    assertThat(HttpTarget.parse("http://h/p#section?x=1").redactedUrl).isEqualTo("http://h/p");
    assertThat(HttpTarget.parse("http://h/p?x=1#frag").redactedUrl)
        .isEqualTo("http://h/p?x=REDACTED");
    assertThat(HttpTarget.parse("http://h#frag").redactedUrl).isEqualTo("http://h/");
  }

  @Test
  void userInfoIsRedacted() {
    HttpTarget t = HttpTarget.parse("https://alice:hunter2@example.com/x");

    assertThat(t.redactedUrl).isEqualTo("https://REDACTED:REDACTED@example.com/x");
    assertThat(t.host).isEqualTo("example.com");
    assertThat(t.port).isEqualTo(443);
  }

  @Test
  void userInfoWithoutPasswordIsRedacted() {
    HttpTarget t = HttpTarget.parse("https://ghp_token123@github.com/repo");

    assertThat(t.redactedUrl).isEqualTo("https://REDACTED:REDACTED@github.com/repo");
    assertThat(t.host).isEqualTo("github.com");
  }

  @Test
  void userInfoWithAtSignInPasswordIsRedactedWhole() {
    HttpTarget t = HttpTarget.parse("http://bob:p@ss@w0rd@db.example.com:5984/x");

    assertThat(t.redactedUrl).isEqualTo("http://REDACTED:REDACTED@db.example.com:5984/x");
    assertThat(t.host).isEqualTo("db.example.com");
    assertThat(t.port).isEqualTo(5984);
  }

  @Test
  void atSignInQueryIsNotMistakenForUserInfo() {
    HttpTarget t = HttpTarget.parse("http://h.example/p?email=a@b.c");

    assertThat(t.host).isEqualTo("h.example");
    assertThat(t.redactedUrl).isEqualTo("http://h.example/p?email=REDACTED");
  }

  @Test
  void veryLongUrlIsBounded() {
    StringBuilder url = new StringBuilder("http://example.com");
    for (int i = 0; i < 2000; i++) {
      url.append("/segment").append(i);
    }
    url.append('?');
    for (int i = 0; i < 2000; i++) {
      url.append("k").append(i).append("=v&");
    }
    HttpTarget t = HttpTarget.parse(url.toString());

    assertThat(url.length()).isGreaterThan(20_000);
    assertThat(t.redactedUrl).hasSize(2048).startsWith("http://example.com/segment0/");
    assertThat(t.pathTemplate).hasSizeLessThanOrEqualTo(256).startsWith("/segment0/segment1/");
  }

  @Test
  void veryLongSingleSegmentTemplateIsBounded() {
    String segment = "x".repeat(10_000);
    assertThat(HttpTarget.template("/" + segment)).hasSize(256);
    assertThat(HttpTarget.parse("http://h/" + segment).pathTemplate).hasSize(256);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "not a url",
        "http://",
        "https://",
        "://",
        "//",
        "/",
        "?",
        "#",
        "@",
        ":",
        "[",
        "]",
        "http://[",
        "http://[::1",
        "http://]",
        "http://:",
        "http://:80",
        "http://@",
        "http://@@@",
        "http://a:b:c:d",
        "http://h:-1/",
        "http://h?",
        "http://h?&",
        "http://h?=",
        "http://h?==&=",
        "http://h/#",
        "mailto:someone@example.com",
        "http:/one-slash",
        "\u0000",
        " ",
        "\uD800",
        "http://\u00e9x\u00e4mple.com/\u00fc",
        "http://h:000080/"
      })
  void garbageInputNeverThrows(String url) {
    assertThatCode(
            () -> {
              HttpTarget t = HttpTarget.parse(url);
              assertThat(t.scheme).isNotNull();
              assertThat(t.host).isNotNull();
              assertThat(t.redactedUrl).isNotNull();
              assertThat(t.pathTemplate).isNotNull().isNotEmpty();
              assertThat(t.port).isBetween(0, 65535);
              assertThat(t.integrationKey()).isNotNull();
            })
        .doesNotThrowAnyException();
  }

  @Test
  void nullUrlGivesUnknownTarget() {
    HttpTarget t = HttpTarget.parse(null);

    assertThat(t.scheme).isEqualTo("unknown");
    assertThat(t.host).isEqualTo("unknown");
    assertThat(t.port).isZero();
    assertThat(t.pathTemplate).isEqualTo("/");
  }

  @Test
  void emptyAuthorityGivesEmptyHost() {
    HttpTarget t = HttpTarget.parse("http://");

    assertThat(t.host).isEmpty();
    assertThat(t.port).isEqualTo(80);
    assertThat(t.pathTemplate).isEqualTo("/");
  }

  // --- template ---

  @ParameterizedTest
  @CsvSource({
    "/users/42, /users/{id}",
    "/users/0, /users/{id}",
    "/users/12345678901234567890, /users/{id}",
    "/users/123e4567-e89b-12d3-a456-426614174000, /users/{id}",
    "/users/123E4567-E89B-12D3-A456-426614174000/x, /users/{id}/x",
    "/blobs/5f2b1c9e, /blobs/{id}",
    "/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709, /commits/{id}",
    "/objects/507F1F77BCF86CD799439011, /objects/{id}",
    "/a/1/b/2/c/3, /a/{id}/b/{id}/c/{id}",
    "/v1/users, /v1/users",
    "/cafe, /cafe",
    "/deadbeef, /deadbeef",
    "/facade, /facade",
    "/deadbeef-feed, /deadbeef-feed",
    "/abc1234, /abc1234",
    "/12ab-34cd, /12ab-34cd",
    "/123e4567e89b12d3a456426614174000x, /123e4567e89b12d3a456426614174000x",
    "/123e4567-e89b-12d3-a456-42661417400, /123e4567-e89b-12d3-a456-42661417400",
    "/123e4567-e89b-12d3-a456-4266141740000, /123e4567-e89b-12d3-a456-4266141740000",
    "/123e4567-e89b-12d3-a4564-26614174000, /123e4567-e89b-12d3-a4564-26614174000",
    "/123g4567-e89b-12d3-a456-426614174000, /123g4567-e89b-12d3-a456-426614174000",
    "/search, /search",
    "/users/me/, /users/me/",
    "/users/42/, /users/{id}/",
  })
  void templateReplacesIdentifierSegmentsOnly(String path, String expected) {
    assertThat(HttpTarget.template(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/"})
  void templateOfEmptyOrRootIsSlash(String path) {
    assertThat(HttpTarget.template(path)).isEqualTo("/");
  }

  @Test
  void templateKeepsDoubleSlashes() {
    assertThat(HttpTarget.template("/a//42")).isEqualTo("/a//{id}");
  }

  @Test
  void templateOfManyIdentifierSegmentsIsBounded() {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      path.append('/').append(i);
    }
    String template = HttpTarget.template(path.toString());
    assertThat(template)
        .hasSizeLessThanOrEqualTo(256)
        .startsWith("/{id}/{id}/")
        .doesNotContain("1");
  }

  @Test
  void distinctIdsShareOneTemplate() {
    assertThat(HttpTarget.parse("http://h/orders/1001/items").pathTemplate)
        .isEqualTo(HttpTarget.parse("http://h/orders/98765/items").pathTemplate)
        .isEqualTo("/orders/{id}/items");
  }

  // --- property: secrets never leak ---

  private static final String SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'()*+,;=:@%";

  @Test
  void randomSecretsInQueryValuesAndUserInfoNeverAppearInRedactedUrl() {
    Random random = new Random(20240501L);
    int checked = 0;
    for (int n = 0; n < 5_000; n++) {
      List<String> secrets = new ArrayList<>();
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "http" : "HTTPS").append("://");
      int userInfo = random.nextInt(3);
      if (userInfo > 0) {
        String user = secret(random, secrets, true);
        url.append(user);
        if (userInfo == 2) {
          url.append(':').append(secret(random, secrets, true));
        }
        url.append('@');
      }
      url.append(word(random)).append('.').append(word(random));
      if (random.nextBoolean()) {
        url.append(':').append(1 + random.nextInt(65535));
      }
      int segments = random.nextInt(4);
      for (int i = 0; i < segments; i++) {
        url.append('/').append(random.nextBoolean() ? word(random) : random.nextInt(100000));
      }
      int params = random.nextInt(5);
      if (params > 0 || random.nextBoolean()) {
        url.append('?');
      }
      for (int i = 0; i < params; i++) {
        if (i > 0) {
          url.append(random.nextInt(4) == 0 ? "&&" : "&");
        }
        if (random.nextInt(5) == 0) {
          url.append(secret(random, secrets, false)); // a parameter without '='
        } else {
          url.append(word(random)).append('=').append(secret(random, secrets, true));
        }
      }
      if (random.nextInt(4) == 0) {
        url.append('#').append(secret(random, secrets, true));
      }

      String redacted = HttpTarget.parse(url.toString()).redactedUrl;
      checked += secrets.size();
      for (String secret : secrets) {
        assertThat(url.toString()).contains(secret);
        assertThat(redacted).as("redacted form of %s", url).doesNotContain(secret);
      }
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  /**
   * A secret always starts with 'Z', which no generated host, path, key or "REDACTED" holds. It may
   * hold any character a URL allows there unencoded; '=' only where it cannot turn the secret into
   * a query key.
   */
  private static String secret(Random random, List<String> secrets, boolean mayHoldEquals) {
    int length = 6 + random.nextInt(20);
    StringBuilder s = new StringBuilder("Z");
    while (s.length() < length) {
      char c = SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length()));
      if (c != '=' || mayHoldEquals) {
        s.append(c);
      }
    }
    secrets.add(s.toString());
    return s.toString();
  }

  private static String word(Random random) {
    int length = 1 + random.nextInt(10);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }
}
