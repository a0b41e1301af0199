package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * One event as counted by one rule for one group; what crosses the repartition topic (key: rule id and group).
 * {@code traceParent} is the event's W3C trace context (absent when it has none), so that an alert the event fires
 * continues the event's trace; {@code correlationId} is the event's correlation id (absent when it has none). An alert
 * names both for the event that fired it. Samples written before they existed read with them null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSample(
        @JsonProperty("rule") String ruleId,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("group") String group,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("failed") boolean failed,
        @JsonProperty("value") BigDecimal value,
        @JsonProperty("traceparent") String traceParent,
        @JsonProperty("correlation_id") String correlationId) {}
