package dev.seamwatch.agent.recorder;

import dev.seamwatch.agent.catalog.Catalog;
import dev.seamwatch.agent.catalog.Integration;
import java.util.Objects;

/**
 * Where a message goes, as the recorder needs it: the broker's host and port (parsed from the
 * client's {@code host:port}), the catalog's entry, the integration's name and the operation's. A
 * producer sends to the same few destinations all the time, so these are worked out once per
 * destination (see {@link Cache}) instead of parsing and concatenating strings on every send.
 * Immutable.
 */
final class MessageTarget {

  final String system;
  final String destination;
  final String destinationKind;
  final String server;

  /** The broker's host, or null when the client named none; its port, or -1. */
  final String host;

  final long port;

  /** The catalog's entry, or null when the catalog names none. */
  final Integration entry;

  final String integration;

  /** {@code send <destination>}: the operation's key and the span's name. */
  final String operation;

  /**
   * The start attributes of this destination's spans, once built (see {@link CallSpans.Shared}).
   */
  CallSpans.Shared spanAttributes;

  private MessageTarget(
      String system, String destination, String destinationKind, String server, Catalog catalog) {
    this.system = system;
    this.destination = destination;
    this.destinationKind = destinationKind;
    this.server = server;
    String host = null;
    long port = -1;
    if (server != null) {
      int colon = server.lastIndexOf(':');
      host = colon > 0 ? server.substring(0, colon) : server;
      if (colon > 0) {
        try {
          port = Long.parseLong(server.substring(colon + 1));
        } catch (NumberFormatException notAPort) {
          port = -1;
        }
      }
    }
    this.host = host;
    this.port = port;
    this.entry = catalog.matchMessaging(system, destination, server);
    this.integration =
        entry != null
            ? entry.name()
            : system + "://" + (host == null ? "unknown" : host + (port > 0 ? ":" + port : ""));
    this.operation =
        "send " + (destination == null || destination.isEmpty() ? "(default)" : destination);
  }

  private boolean is(String system, String destination, String destinationKind, String server) {
    return system.equals(this.system)
        && Objects.equals(destination, this.destination)
        && Objects.equals(destinationKind, this.destinationKind)
        && Objects.equals(server, this.server);
  }

  /**
   * The targets found last: a fixed table of slots indexed by the four names' hash, each holding
   * the last target that fell there, which a new one replaces, so memory stays bounded whatever the
   * number of destinations (destinations longer than {@link #MAX_CACHED_NAME} are not kept). Read
   * and written without locks: a target is immutable, a racing reader sees a whole one and only
   * uses one whose names equal its own, and a lost write costs one more parse. The catalog is fixed
   * for the recorder's life, so a kept entry never goes stale.
   */
  static final class Cache {
    static final int MAX_CACHED_NAME = 512;
    private final MessageTarget[] slots;
    private final Catalog catalog;

    /** {@code size} is rounded up to a power of two. */
    Cache(int size, Catalog catalog) {
      slots = new MessageTarget[Integer.highestOneBit(Math.max(1, size - 1)) << 1];
      this.catalog = catalog;
    }

    /** The target of a send; {@code system} is not null. */
    MessageTarget find(String system, String destination, String destinationKind, String server) {
      if (destination != null && destination.length() > MAX_CACHED_NAME) {
        return new MessageTarget(system, destination, destinationKind, server, catalog);
      }
      int hash =
          31
                  * (31 * (31 * system.hashCode() + Objects.hashCode(destination))
                      + Objects.hashCode(destinationKind))
              + Objects.hashCode(server);
      int slot = (hash ^ (hash >>> 16)) & (slots.length - 1);
      MessageTarget target = slots[slot];
      if (target == null || !target.is(system, destination, destinationKind, server)) {
        target = new MessageTarget(system, destination, destinationKind, server, catalog);
        slots[slot] = target;
      }
      return target;
    }
  }
}
