package dev.seamwatch.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogTemplateTest {

  private static Integration withTemplates(String... templates) {
    return new Integration(
        "t",
        null,
        null,
        null,
        Double.NaN,
        Double.NaN,
        Arrays.stream(templates).map(PathTemplate::compile).collect(Collectors.toList()));
  }

  @ParameterizedTest
  @CsvSource({
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/3, true",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/3?expand=true, true",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/3#top, true",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/3/, true",
    "/v2/orders/{id}/lines/{line}/, /v2/orders/17/lines/3, true",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines, false",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/, false",
    "/v2/orders/{id}/lines/{line}, /v2/orders/17/lines/3/x, false",
    "/v2/orders/{id}/lines/{line}, /v2/orders//lines/3, false",
    "/v2/orders/{id}/lines/{line}, /v2/Orders/17/lines/3, false",
    "/v2/orders/{id}, /v2/orders/abc;jsessionid=1, true",
    "/v2/orders/{id}, /v2/orders;v=1/abc, true",
    "/v2/orders/{id}, /v2/orders/;x=1, false",
    "/v2/orders/{id}, v2/orders/17, true",
    "/v2/orders/{id}, /v2/orders/17//, false",
    "/v2/orders, /v2/orders, true",
    "/v2/orders, /v2/orders?page=2, true",
    "/v2/orders, /v2/ordersX, false",
    "/v2/orders, /v2, false",
    "/, /, true",
    "/, '', true",
    "/, /?q=1, true",
    "/, /x, false",
    "/{id}, /17, true",
    "/{id}, /, false",
  })
  void templateMatchesTheWholePath(String template, String path, boolean expected) {
    assertThat(PathTemplate.compile(template).matches(path)).isEqualTo(expected);
  }

  @Test
  void nullPathMatchesNoTemplate() {
    assertThat(PathTemplate.compile("/").matches(null)).isFalse();
    assertThat(withTemplates("/").template(null)).isNull();
  }

  @Test
  void firstMatchingTemplateWinsAndIsReturnedAsWritten() {
    Integration integration =
        withTemplates("/v2/orders/export", "/v2/orders/{id}", "/v2/orders/{orderId}/");

    assertThat(integration.template("/v2/orders/export")).isEqualTo("/v2/orders/export");
    assertThat(integration.template("/v2/orders/17")).isEqualTo("/v2/orders/{id}");
    assertThat(integration.template("/v2/orders/17/lines")).isNull();
  }

  @Test
  void integrationWithoutTemplatesGivesNull() {
    assertThat(withTemplates().template("/v2/orders/17")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v2/x|expected a path starting with /, such as /v2/orders/{id}",
        "/a?b=1|a template is a path only, without ? or #",
        "/a//b|a template has no empty segment (//)",
        "//|a template has no empty segment (//)",
        "/a/{b}c|\"{b}c\": a {name} must be a whole segment",
        "/a/{b|\"{b\": a {name} must be a whole segment",
        "/a/{}|\"{}\": a {name} uses letters, digits, '_', '-' or '.', and nothing else",
        "/a/{b c}|\"{b c}\": a {name} uses letters, digits, '_', '-' or '.', and nothing else",
        "/a/*|\"*\": * is not a wildcard in a template; use {name} for a segment",
        "/a;v=1/b|\"a;v=1\": path parameters (;) are not part of a template",
      })
  void unusableTemplatesSayWhy(String template, String why) {
    assertThat(PathTemplate.problem(template)).isEqualTo(why);
  }

  @ParameterizedTest
  @CsvSource({"/", "/v2/orders/{id}", "/v2/{a.b-c_d}/", "/files/{name}/raw"})
  void usableTemplatesHaveNoProblem(String template) {
    assertThat(PathTemplate.problem(template)).isNull();
  }
}
