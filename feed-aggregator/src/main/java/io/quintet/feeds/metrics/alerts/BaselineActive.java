package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An anomaly alert that has fired and not yet resolved, for one baseline rule (fingerprint) and series (store
 * {@value BaselineTopology#ACTIVE_STORE}, key fingerprint|series value).
 */
public record BaselineActive(
        @JsonProperty("rule") String ruleId,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("group") String group,
        @JsonProperty("alert_id") String alertId,
        @JsonProperty("first_window_start") long firstWindowStart,
        @JsonProperty("last_firing_window_start") long lastFiringWindowStart,
        @JsonProperty("window_ms") long windowMs) {}
