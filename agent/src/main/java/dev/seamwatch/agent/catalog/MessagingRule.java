package dev.seamwatch.agent.catalog;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One {@code match.messaging} rule: the messaging system, a destination glob (topic, queue or
 * exchange; with case, as brokers treat names) and a server glob ({@code host:port} of the broker,
 * without case). What is left out matches anything, but a rule names at least one of them.
 */
final class MessagingRule {

  /** The {@code messaging.system} values that Seamwatch's messaging instrumentations report. */
  static final List<String> SYSTEMS =
      Collections.unmodifiableList(Arrays.asList("kafka", "rabbitmq", "jms"));

  final Integration integration;
  private final String system;
  private final Glob destination;
  private final Glob server;

  MessagingRule(Integration integration, String system, Glob destination, Glob server) {
    this.integration = integration;
    this.system = system;
    this.destination = destination;
    this.server = server;
  }

  boolean matches(String system, String destination, String server) {
    return (this.system == null || this.system.equalsIgnoreCase(system))
        && (this.destination == null || this.destination.matches(destination))
        && (this.server == null || this.server.matches(server));
  }
}
