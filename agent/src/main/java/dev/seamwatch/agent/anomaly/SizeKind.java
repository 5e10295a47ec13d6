package dev.seamwatch.agent.anomaly;

/** Which payload a size is of; each has its own baseline per key. */
public enum SizeKind {
  REQUEST("request_size"),
  RESPONSE("response_size"),
  MESSAGE("message_size");

  private final String measure;

  SizeKind(String measure) {
    this.measure = measure;
  }

  /** The {@link Finding#measure} of its size outliers. */
  public String measure() {
    return measure;
  }
}
