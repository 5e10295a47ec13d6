package dev.seamwatch.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReflectiveTest {

  public interface Named {
    String name();

    String greet(String whom, String how);
  }

  /** Private: its methods can only be invoked through the public interface. */
  private static final class Hidden implements Named {
    private final String name;

    Hidden(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String greet(String whom, String how) {
      return how + " " + whom + " from " + name;
    }
  }

  public static final class Visible {
    public String name() {
      return "visible";
    }
  }

  @Test
  void aSiteInvokesTheMethodOfWhicheverClassItMeets() throws Exception {
    Reflective.Site name = Reflective.site("name", 0);

    assertThat(name.invoke(new Hidden("a"))).isEqualTo("a");
    assertThat(name.invoke(new Visible())).isEqualTo("visible");
    assertThat(name.invoke(new Hidden("b"))).isEqualTo("b");
    // A JDK class's public method, through its public interface: an unmodifiable list's class is
    // private to java.util.
    List<String> list = Collections.unmodifiableList(new ArrayList<>(List.of("x", "y")));
    assertThat(Reflective.site("size", 0).invoke(list)).isEqualTo(2);
  }

  @Test
  void aSitePassesStringArguments() throws Exception {
    Reflective.Site greet = Reflective.site("greet", 2);

    assertThat(greet.invoke(new Hidden("c"), "you", "hello")).isEqualTo("hello you from c");
    assertThatThrownBy(() -> greet.invoke(new Hidden("c"), "you"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingMethodIsReportedEachTimeItIsCalled() throws Exception {
    Reflective.Site missing = Reflective.site("missing", 0);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> missing.invoke(new Visible()))
          .isInstanceOf(NoSuchMethodException.class)
          .hasMessageContaining("missing");
    }
    assertThat(Reflective.site("name", 0).invoke(new Visible())).isEqualTo("visible");
  }

  @Test
  void invokeByNameFindsTheSameMethods() throws Exception {
    assertThat(Reflective.invoke(new Hidden("d"), "name")).isEqualTo("d");
    assertThat(Reflective.has(new Hidden("d"), "greet", 2)).isTrue();
    assertThat(Reflective.has(new Hidden("d"), "greet", 1)).isFalse();
  }
}
