package io.quintet.feeds.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quintet.feeds.stream.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One series in one window, as written to the {@code metrics} topic and returned by the live HTTP query. Flat JSON
 * with ISO-8601 window bounds and plain numbers, so a dashboard or time-series store ingests it without a schema
 * registry (see docs/feed-aggregator.md, "Metrics format").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "schema",
    "series",
    "dimension",
    "value",
    "window_size",
    "window_start",
    "window_end",
    "final",
    "count",
    "failures",
    "failure_rate",
    "distinct_actors",
    "distinct_actors_lower",
    "distinct_actors_upper",
    "duration_ms",
    "measures",
    "organization_id"
})
public record MetricRecord(
        @JsonProperty("schema") String schema,
        @JsonProperty("series") String series,
        @JsonProperty("dimension") String dimension,
        @JsonProperty("value") String value,
        @JsonProperty("window_size") String windowSize,
        @JsonProperty("window_start") Instant windowStart,
        @JsonProperty("window_end") Instant windowEnd,
        @JsonProperty("final") boolean finalValue,
        @JsonProperty("count") long count,
        @JsonProperty("failures") long failures,
        @JsonProperty("failure_rate") double failureRate,
        @JsonProperty("distinct_actors") long distinctActors,
        @JsonProperty("distinct_actors_lower") long distinctActorsLower,
        @JsonProperty("distinct_actors_upper") long distinctActorsUpper,
        @JsonProperty("duration_ms") DurationStats durationMs,
        @JsonProperty("measures") Map<String, BigDecimal> measures,
        @JsonProperty("organization_id") String organizationId) {

    /** A series over every organisation (no {@code organization_id}). */
    public MetricRecord(
            String schema,
            String series,
            String dimension,
            String value,
            String windowSize,
            Instant windowStart,
            Instant windowEnd,
            boolean finalValue,
            long count,
            long failures,
            double failureRate,
            long distinctActors,
            long distinctActorsLower,
            long distinctActorsUpper,
            DurationStats durationMs,
            Map<String, BigDecimal> measures) {
        this(
                schema,
                series,
                dimension,
                value,
                windowSize,
                windowStart,
                windowEnd,
                finalValue,
                count,
                failures,
                failureRate,
                distinctActors,
                distinctActorsLower,
                distinctActorsUpper,
                durationMs,
                measures,
                null);
    }

    public static final String SCHEMA = "quintet.metrics.v1";

    /** Quantiles carry DDSketch's relative-accuracy guarantee: each is within {@code relative_accuracy} of the true value. */
    @JsonPropertyOrder({"count", "min", "max", "p50", "p95", "p99", "relative_accuracy"})
    public record DurationStats(
            @JsonProperty("count") long count,
            @JsonProperty("min") double min,
            @JsonProperty("max") double max,
            @JsonProperty("p50") double p50,
            @JsonProperty("p95") double p95,
            @JsonProperty("p99") double p99,
            @JsonProperty("relative_accuracy") double relativeAccuracy) {}

    /**
     * The Kafka key of a series: {@code 1m/action/billing.invoice.created}; of an organisation's series
     * ({@link MetricDimension#organizationKey}) the same followed by {@code @} and the organisation:
     * {@code 1m/action/billing.invoice.created@org-acme}.
     */
    public static String seriesKey(Duration window, String storeKey) {
        String organization = MetricDimension.organizationOf(storeKey);
        String key = MetricDimension.withoutOrganization(storeKey);
        int colon = key.indexOf(':');
        return Durations.label(window) + "/" + key.substring(0, colon) + "/" + key.substring(colon + 1)
                + (organization == null ? "" : "@" + organization);
    }

    public static MetricRecord of(
            Duration window, String storeKey, Instant start, WindowAggregate agg, boolean isFinal) {
        String organization = MetricDimension.organizationOf(storeKey);
        String key = MetricDimension.withoutOrganization(storeKey);
        int colon = key.indexOf(':');
        DurationStats d = null;
        if (!agg.durations().isEmpty()) {
            double[] q = agg.durations().getValuesAtQuantiles(new double[] {0.50, 0.95, 0.99});
            d = new DurationStats(
                    (long) agg.durations().getCount(),
                    agg.durations().getMinValue(),
                    agg.durations().getMaxValue(),
                    q[0],
                    q[1],
                    q[2],
                    agg.relativeAccuracy());
        }
        return new MetricRecord(
                SCHEMA,
                seriesKey(window, storeKey),
                key.substring(0, colon),
                key.substring(colon + 1),
                window.toString(),
                start,
                start.plus(window),
                isFinal,
                agg.count(),
                agg.failures(),
                agg.failureRate(),
                Math.round(agg.actors().getEstimate()),
                (long) Math.floor(agg.actors().getLowerBound(2)),
                (long) Math.ceil(agg.actors().getUpperBound(2)),
                d,
                agg.sums().isEmpty() ? null : agg.sums(),
                organization);
    }
}
