package io.quintet.feeds.metrics.alerts;

import java.time.Duration;

/**
 * How alerts are evaluated and published.
 *
 * @param defaultGrace        grace for rules that set none: late events within it still count
 * @param maxContributingIds  how many contributing event ids an alert carries (the newest)
 * @param source              CloudEvents source of the alert events
 * @param sweepInterval       stream-time interval at which closed windows are dropped and cleared alerts resolved
 */
public record AlertSettings(Duration defaultGrace, int maxContributingIds, String source, Duration sweepInterval) {

    public static AlertSettings defaults() {
        return new AlertSettings(Duration.ofSeconds(10), 10, "feed-aggregator", Duration.ofSeconds(1));
    }
}
