package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What one rule has counted for one group in one window, and whether it already fired there (an alert fires once
 * per group and window). Keeps the ids of the last {@code maxIds} contributing events.
 */
public record WindowCounts(
        @JsonProperty("rule") String ruleId,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("group") String group,
        @JsonProperty("window_start") long windowStart,
        @JsonProperty("count") long count,
        @JsonProperty("failures") long failures,
        @JsonProperty("sum") BigDecimal sum,
        @JsonProperty("event_ids") List<String> eventIds,
        @JsonProperty("fired") boolean fired) {

    public WindowCounts {
        sum = sum == null ? BigDecimal.ZERO : sum;
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }

    static WindowCounts empty(String ruleId, String fingerprint, String group, long windowStart) {
        return new WindowCounts(ruleId, fingerprint, group, windowStart, 0, 0, BigDecimal.ZERO, List.of(), false);
    }

    WindowCounts add(AlertSample s, int maxIds) {
        List<String> ids = new ArrayList<>(eventIds);
        if (s.eventId() != null && maxIds > 0) {
            ids.add(s.eventId());
            while (ids.size() > maxIds) {
                ids.remove(0);
            }
        }
        return new WindowCounts(
                ruleId,
                fingerprint,
                group,
                windowStart,
                count + 1,
                failures + (s.failed() ? 1 : 0),
                s.value() == null ? sum : sum.add(s.value()),
                ids,
                fired);
    }

    WindowCounts markFired() {
        return new WindowCounts(ruleId, fingerprint, group, windowStart, count, failures, sum, eventIds, true);
    }

    @JsonIgnore
    double failureRate() {
        return count == 0 ? 0.0 : (double) failures / count;
    }
}
