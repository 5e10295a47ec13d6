package org.example.mismatched;

/** A subclass of a mismatched library's class: its fields are its superclass's. */
public class Outbox extends Mailbox {
  public int pending() {
    return queued;
  }
}
