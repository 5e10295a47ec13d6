package org.example.mismatched;

/** A library class whose subclass {@link Outbox} inherits one field and not the other. */
public class Mailbox {
  protected int queued;
  private long delivered;

  public long delivered() {
    return delivered;
  }
}
