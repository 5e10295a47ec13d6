package dev.seamwatch.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IgnoredTypesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "java.lang.String",
        "java.net.http.HttpClient",
        "javax.net.ssl.SSLSocket",
        "jdk.internal.misc.Unsafe",
        "sun.net.www.MessageHeader",
        "jdk.internal.net.httpx.Other",
        "sun.nio.ch.SocketChannelImpl",
        "com.sun.proxy.Foo",
        "org.w3c.dom.Node",
        "org.xml.sax.Parser",
        "kotlin.collections.ArraysKt",
        "scala.collection.Seq",
        "org.slf4j.LoggerFactory",
        "ch.qos.logback.classic.Logger",
        "org.apache.logging.log4j.LogManager",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "com.google.common.collect.ImmutableList",
        "org.junit.jupiter.api.Test",
        "net.bytebuddy.ByteBuddy",
        "io.opentelemetry.javaagent.bootstrap.AgentInitializer",
      })
  void jdkAndLibraryPackagesAreIgnored(String name) {
    assertThat(IgnoredTypes.ignored(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.seamwatch.agent.recorder.Recorder",
        "dev.seamwatch.bootstrap.Bridge",
        "dev.seamwatch.premain.SeamwatchPremain",
        "dev.seamwatch.agent.shaded.io.opentelemetry.sdk.OpenTelemetrySdk",
      })
  void agentPackagesAreIgnored(String name) {
    assertThat(IgnoredTypes.ignored(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdk.internal.net.http.HttpClientImpl",
        "jdk.internal.net.http.MultiExchange",
        "jdk.internal.net.http.HttpClientImpl$DelegatingExecutor",
        "sun.net.www.protocol.http.HttpURLConnection",
        "sun.net.www.http.HttpClient",
      })
  void jdkHttpClientInternalsAreNotIgnored(String name) {
    assertThat(IgnoredTypes.ignored(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.example.shop.OrderService",
        "org.postgresql.jdbc.PgConnection",
        "okhttp3.OkHttpClient",
        "org.apache.kafka.clients.producer.KafkaProducer",
        "javaxx.Foo",
        "javamail.Foo",
        "sunrise.Weather",
        "jdkapp.Main",
        "Main",
        "com.example.Outer$Inner",
        "com.example.Lambdas",
        "com.example.ProxyFactory",
      })
  void applicationClassesAreNotIgnored(String name) {
    assertThat(IgnoredTypes.ignored(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.example.Service$$Lambda$14/0x0000000800c0b448",
        "com.example.Service$$Lambda/0x0000000800c0b448",
        "com.sun.proxy.$Proxy12",
        "jdk.proxy2.$Proxy7",
        "com.example.$Proxy3",
        "com.example.Service$$EnhancerBySpringCGLIB$$1a2b3c",
        "com.example.Service$ByteBuddy$abc123",
        "com.example.Order$HibernateProxy$xyz",
      })
  void generatedClassesAreIgnored(String name) {
    assertThat(IgnoredTypes.ignored(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.example.Gateway$ProxyClient",
        "com.example.http.Clients$ProxyAwareHttpClient",
      })
  void nestedClassesWhoseNameStartsWithProxyAreNotIgnored(String name) {
    // JDK proxies are named $Proxy<digits>; a nested class named Proxy... is ordinary code.
    assertThat(IgnoredTypes.ignored(name)).isFalse();
  }

  @Test
  void theOpenTelemetryJavaAgentsOwnClassLoadersAreIgnored() throws Exception {
    // A class loader named as the OpenTelemetry Java agent's is (its exporter's OkHttp lives in
    // io.opentelemetry.javaagent.bootstrap.AgentClassLoader under the library's own names).
    ClassLoader agentLoader =
        new ByteBuddy()
            .subclass(URLClassLoader.class, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
            .name("io.opentelemetry.javaagent.bootstrap.AgentClassLoader")
            .make()
            .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded()
            .getConstructor(URL[].class)
            .newInstance((Object) new URL[0]);

    assertThat(IgnoredTypes.ignoredLoader(agentLoader)).isTrue();
  }

  @Test
  void applicationClassLoadersAndTheBootLoaderAreNotIgnored() {
    assertThat(IgnoredTypes.ignoredLoader(null)).isFalse();
    assertThat(IgnoredTypes.ignoredLoader(ClassLoader.getSystemClassLoader())).isFalse();
    assertThat(IgnoredTypes.ignoredLoader(new URLClassLoader(new URL[0]))).isFalse();
  }
}
