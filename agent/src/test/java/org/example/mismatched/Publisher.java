package org.example.mismatched;

/**
 * Stands for a library class of a version the agent's tests do not fit: outside {@code
 * dev.seamwatch}, which the agent never rewrites. It has no field {@code sequence}, and no {@code
 * publish(String, byte[])}.
 */
public class Publisher {
  private long nextSequence;

  public String publish(String message) {
    return publish(message, ++nextSequence);
  }

  public String publish(String message, long sequence) {
    return "published " + message + " as " + sequence;
  }
}
