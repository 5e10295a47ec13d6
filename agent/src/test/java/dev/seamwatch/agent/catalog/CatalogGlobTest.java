package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogGlobTest {

  @ParameterizedTest
  @CsvSource({
    "*.payments.internal, eu.payments.internal, true",
    "*.payments.internal, a.b.payments.internal, true",
    "*.payments.internal, payments.internal, false",
    "*.payments.internal, eu.payments.internal.evil, false",
    "billing-?.example.com, billing-1.example.com, true",
    "billing-?.example.com, billing-12.example.com, false",
    "billing-?.example.com, billing-.example.com, false",
    "*, anything, true",
    "*, '', true",
    "a*b*c, abc, true",
    "a*b*c, aXXbYYc, true",
    "a*b*c, aXXbYY, false",
    "a*b*c, aXbXbXc, true",
    "**x, x, true",
    "exact.host, exact.host, true",
    "exact.host, exact.hostx, false",
    "exact.host, xexact.host, false",
  })
  void wildcardsMatchAsDocumented(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, false).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "*.Payments.INTERNAL, eu.payments.internal, true",
    "*.payments.internal, EU.PAYMENTS.INTERNAL, true",
    "straße.example, STRAßE.example, true",
    "ÉCOLE.example, école.example, true",
  })
  void withoutCaseBothSidesFold(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, true).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"orders.*, Orders.eu, false", "orders.*, orders.eu, true"})
  void withCaseCaseMatters(String pattern, String input, boolean expected) {
    assertThat(Glob.compile(pattern, false).matches(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"a*b, true", "a*b, false"})
  void nullNeverMatches(String pattern, boolean ignoreCase) {
    assertThat(Glob.compile(pattern, ignoreCase).matches(null)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|expected a pattern, got an empty value",
        "a b|a pattern has no spaces or control characters",
        "[ab].example|only * and ? are wildcards here ([...] and {...} are not supported)",
        "orders.{eu,us}|only * and ? are wildcards here ([...] and {...} are not supported)",
      })
  void unusablePatternsSayWhy(String pattern, String why) {
    assertThat(Glob.problem(pattern)).isEqualTo(why);
  }

  @ParameterizedTest
  @CsvSource({"*.example", "db-?", "jdbc:postgresql://*:5432/orders", "fd00::*"})
  void usablePatternsHaveNoProblem(String pattern) {
    assertThat(Glob.problem(pattern)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void manyStarsOnALongMismatchStayFast(boolean ignoreCase) {
    Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*b", ignoreCase);
    String input = "a".repeat(5_000);

    long start = System.nanoTime();
    boolean matched = glob.matches(input);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(matched).isFalse();
    // Backtracking to the last star only: quadratic at worst, never exponential. A regex-style
    // matcher takes minutes here.
    assertThat(millis).isLessThan(2_000);
  }
}
