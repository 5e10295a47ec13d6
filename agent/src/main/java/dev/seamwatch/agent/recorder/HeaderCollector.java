package dev.seamwatch.agent.recorder;

import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.List;

/** Collects what the propagators inject, as the name/value array the bridge hands to advice. */
final class HeaderCollector {

  static final TextMapSetter<HeaderCollector> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.entries.add(key);
          carrier.entries.add(value);
        }
      };

  private final List<String> entries = new ArrayList<>(4);

  String[] toArray() {
    return entries.toArray(new String[0]);
  }
}
