package io.quintet.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;

/**
 * One event as counted by one rule for one group; what crosses the repartition topic (key: rule id and group).
 * {@code correlationId} and {@code traceparent} are the event's own (null when it has none): an alert names them for
 * the event that fired it. Samples written before they existed read with both null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSample(@JsonProperty("rule") String ruleId,
                          @JsonProperty("fingerprint") String fingerprint,
                          @JsonProperty("group") String group,
                          @JsonProperty("event_id") String eventId,
                          @JsonProperty("failed") boolean failed,
                          @JsonProperty("value") BigDecimal value,
                          @JsonProperty("correlation_id") String correlationId,
                          @JsonProperty("traceparent") String traceparent) {
}
