package dev.seamwatch.testapps;

/** The smallest application: measures what the agent adds to JVM startup. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
