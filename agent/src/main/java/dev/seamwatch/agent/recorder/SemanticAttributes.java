package dev.seamwatch.agent.recorder;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Attribute names the stable {@code opentelemetry-semconv} artifact does not have yet, plus
 * Seamwatch's own. Stable names come from the artifact's constants, not from here.
 */
public final class SemanticAttributes {

  private SemanticAttributes() {}

  // Experimental in the semantic conventions (opentelemetry-semconv-incubating), which we do not
  // bundle for a handful of names.
  public static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
  public static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
  public static final AttributeKey<Long> HTTP_REQUEST_BODY_SIZE =
      AttributeKey.longKey("http.request.body.size");
  public static final AttributeKey<Long> HTTP_RESPONSE_BODY_SIZE =
      AttributeKey.longKey("http.response.body.size");

  public static final AttributeKey<String> POOL_NAME =
      AttributeKey.stringKey("db.client.connection.pool.name");
  public static final AttributeKey<Long> DB_RESPONSE_RETURNED_ROWS =
      AttributeKey.longKey("db.response.returned_rows");

  // Messaging: "development" status in the semantic conventions.
  public static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> MESSAGING_OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  public static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
      AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<Long> MESSAGING_MESSAGE_BODY_SIZE =
      AttributeKey.longKey("messaging.message.body.size");

  // Seamwatch's own.
  public static final AttributeKey<String> SEAMWATCH_DESTINATION_KIND =
      AttributeKey.stringKey("seamwatch.messaging.destination.kind");
  public static final AttributeKey<String> INTEGRATION_NAME =
      AttributeKey.stringKey("seamwatch.integration.name");
  public static final AttributeKey<String> INTEGRATION_OWNER =
      AttributeKey.stringKey("seamwatch.integration.owner");
  public static final AttributeKey<String> INTEGRATION_TIER =
      AttributeKey.stringKey("seamwatch.integration.tier");
  public static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("seamwatch.operation.name");

  /** Bucket boundaries the HTTP semantic conventions advise for durations, in seconds. */
  public static final List<Double> DURATION_BUCKETS =
      Collections.unmodifiableList(
          Arrays.asList(
              0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0));
}
