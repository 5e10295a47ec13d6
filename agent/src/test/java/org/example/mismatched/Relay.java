package org.example.mismatched;

/** A second class of the same mismatched library, with the same gap as {@link Publisher}. */
public class Relay {
  public String publish(String message) {
    return "relayed " + message;
  }
}
