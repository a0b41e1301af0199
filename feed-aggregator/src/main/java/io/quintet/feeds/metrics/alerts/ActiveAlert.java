package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An alert that has fired and not yet resolved, for one rule (fingerprint) and group. It resolves once a window
 * after {@code lastFiringWindowStart} closes without firing. {@code lastTrigger} is the sample of the event that fired
 * it last (null for alerts stored before it was kept), so the resolve can name it too.
 */
public record ActiveAlert(
        @JsonProperty("rule") String ruleId,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("group") String group,
        @JsonProperty("alert_id") String alertId,
        @JsonProperty("first_window_start") long firstWindowStart,
        @JsonProperty("last_firing_window_start") long lastFiringWindowStart,
        @JsonProperty("window_ms") long windowMs,
        @JsonProperty("grace_ms") long graceMs,
        @JsonProperty("last_trigger") AlertSample lastTrigger) {

    /** Stream time at which the window after the last firing one has closed. */
    long clearsAt() {
        return lastFiringWindowStart + 2 * windowMs + graceMs;
    }
}
