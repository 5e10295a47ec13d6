package dev.seamwatch.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class LibraryRequirementTest {

  private static final String PUBLISHER = "org.example.mismatched.Publisher";

  /** The test class path: the library versions the agent is compiled against, and the fixtures. */
  private static final TypePool POOL =
      TypePool.Default.of(
          ClassFileLocator.ForClassLoader.of(LibraryRequirementTest.class.getClassLoader()));

  @Test
  void theLibraryVersionsTheAgentIsBuiltAgainstMeetEveryRequirement() {
    for (ClientInstrumentation instrumentation : Instrumentations.all()) {
      for (LibraryRequirement requirement : instrumentation.requirements()) {
        assertThat(requirement.unmetIn(POOL)).as(instrumentation.name()).isNull();
      }
    }
  }

  @Test
  void aMethodWithTheGivenParameterTypesMeetsTheRequirement() {
    assertThat(
            LibraryRequirement.method(PUBLISHER, "publish", "java.lang.String", "long")
                .unmetIn(POOL))
        .isNull();
  }

  @Test
  void theSameNameAndNumberOfOtherTypesIsUnmetAndTheLineSaysWhatTheVersionHas() {
    assertThat(
            LibraryRequirement.method(PUBLISHER, "publish", "java.lang.String", "byte[]")
                .unmetIn(POOL))
        .isEqualTo(
            PUBLISHER
                + " has no publish(String, byte[]); it has publish(String), publish(String, long)");
  }

  @Test
  void aMethodOfNoSuchNameIsUnmet() {
    assertThat(LibraryRequirement.method(PUBLISHER, "retract", "long").unmetIn(POOL))
        .isEqualTo(PUBLISHER + " has no retract(long)");
  }

  @Test
  void aFieldOfTheGivenTypeMeetsTheRequirement() {
    assertThat(LibraryRequirement.field(PUBLISHER, "nextSequence", "long").unmetIn(POOL)).isNull();
  }

  @Test
  void aMissingFieldIsUnmet() {
    assertThat(LibraryRequirement.field(PUBLISHER, "sequence", "long").unmetIn(POOL))
        .isEqualTo(PUBLISHER + " has no field sequence (long)");
  }

  @Test
  void aFieldOfAnotherTypeIsUnmetAndTheLineSaysWhichTypeItHas() {
    assertThat(LibraryRequirement.field(PUBLISHER, "nextSequence", "int").unmetIn(POOL))
        .isEqualTo(PUBLISHER + " has no field nextSequence (int); it has nextSequence (long)");
    assertThat(
            LibraryRequirement.field(PUBLISHER, "nextSequence", "java.lang.String").unmetIn(POOL))
        .isEqualTo(PUBLISHER + " has no field nextSequence (String); it has nextSequence (long)");
  }

  @Test
  void anInheritedFieldCountsUnlessItIsPrivateToTheSuperclass() {
    String outbox = "org.example.mismatched.Outbox";
    assertThat(LibraryRequirement.field(outbox, "queued", "int").unmetIn(POOL)).isNull();
    assertThat(LibraryRequirement.field(outbox, "delivered", "long").unmetIn(POOL))
        .isEqualTo(outbox + " has no field delivered (long)");
  }

  @Test
  void aMissingClassIsUnmet() {
    assertThat(LibraryRequirement.method("org.example.mismatched.Gone", "publish").unmetIn(POOL))
        .isEqualTo("org.example.mismatched.Gone not found");
  }
}
