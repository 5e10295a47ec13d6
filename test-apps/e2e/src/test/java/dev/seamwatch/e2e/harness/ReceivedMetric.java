package dev.seamwatch.e2e.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One metric as the OTLP receiver got it: its description and its data points, as plain values. */
public record ReceivedMetric(
    String name,
    String unit,
    String description,
    Type type,
    Map<String, Object> resource,
    String scopeName,
    List<Point> points) {

  /** OTHER covers exponential histograms and summaries, which Seamwatch does not send. */
  public enum Type {
    HISTOGRAM,
    SUM,
    GAUGE,
    OTHER
  }

  /**
   * One data point. Histograms fill count, sum, bounds and bucket counts; sums and gauges fill sum
   * and exactly one of longValue or doubleValue.
   */
  public record Point(
      Map<String, Object> attributes,
      long count,
      double sum,
      List<Double> explicitBounds,
      List<Long> bucketCounts,
      Long longValue,
      Double doubleValue) {

    public Object attr(String key) {
      return attributes.get(key);
    }

    /** The value of a sum or gauge point, whichever type it was sent as. */
    public Number value() {
      return longValue != null ? longValue : doubleValue;
    }
  }

  public List<Point> pointsWith(String key, Object value) {
    return points.stream().filter(p -> Objects.equals(p.attr(key), value)).toList();
  }

  /**
   * Merges the export batches of one metric, in arrival order, keeping the latest point of each
   * attribute set. With the exporter's default cumulative temporality that is the current total.
   */
  static ReceivedMetric latestPoints(List<ReceivedMetric> batches) {
    Map<Map<String, Object>, Point> latest = new LinkedHashMap<>();
    batches.forEach(b -> b.points().forEach(p -> latest.put(p.attributes(), p)));
    ReceivedMetric first = batches.get(0);
    return new ReceivedMetric(
        first.name,
        first.unit,
        first.description,
        first.type,
        first.resource,
        first.scopeName,
        List.copyOf(latest.values()));
  }

  @Override
  public String toString() {
    return name + " " + type + " unit=" + unit + " scope=" + scopeName + " points=" + points;
  }
}
