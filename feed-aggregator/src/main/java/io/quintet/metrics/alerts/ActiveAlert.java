package io.quintet.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An alert that has fired and not yet resolved, for one rule (fingerprint) and group. It resolves once a window
 * after {@code lastFiringWindowStart} closes without firing.
 */
public record ActiveAlert(@JsonProperty("rule") String ruleId,
                          @JsonProperty("fingerprint") String fingerprint,
                          @JsonProperty("group") String group,
                          @JsonProperty("alert_id") String alertId,
                          @JsonProperty("first_window_start") long firstWindowStart,
                          @JsonProperty("last_firing_window_start") long lastFiringWindowStart,
                          @JsonProperty("window_ms") long windowMs,
                          @JsonProperty("grace_ms") long graceMs) {

    /** Stream time at which the window after the last firing one has closed. */
    long clearsAt() {
        return lastFiringWindowStart + 2 * windowMs + graceMs;
    }
}
