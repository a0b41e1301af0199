package io.quintet.feeds.metrics;

import io.quintet.feeds.stream.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the metrics topology computes.
 *
 * @param windows           tumbling window sizes (each gets its own store and series)
 * @param grace             how long after a window's end late events are still counted
 * @param measures          analytics property names summed per window (the tracking plan's measures)
 * @param relativeAccuracy  DDSketch relative accuracy of the duration quantiles (0.01 = 1 %)
 * @param hllLgK            log2 of the HyperLogLog register count (12 = 4096 registers, about 1.6 % standard error)
 * @param combineInterval   how often (wall-clock) each task sends its partial aggregates on to the window stores
 * @param upstreamPartitions the partition count of events.canonical: windows close only once that many upstream tasks
 *                           have sent a watermark (0: those that have sent one; see {@link MetricsWindows})
 * @param perOrganization   also a series per organisation for events with an {@code organization_id}
 *                          ({@code metrics.per.organization}; off: series over every organisation only)
 */
public record MetricsSettings(
        List<Duration> windows,
        Duration grace,
        Set<String> measures,
        double relativeAccuracy,
        int hllLgK,
        Duration combineInterval,
        int upstreamPartitions,
        boolean perOrganization) {

    public MetricsSettings(
            List<Duration> windows,
            Duration grace,
            Set<String> measures,
            double relativeAccuracy,
            int hllLgK,
            Duration combineInterval,
            int upstreamPartitions) {
        this(windows, grace, measures, relativeAccuracy, hllLgK, combineInterval, upstreamPartitions, false);
    }

    public MetricsSettings(
            List<Duration> windows,
            Duration grace,
            Set<String> measures,
            double relativeAccuracy,
            int hllLgK,
            Duration combineInterval) {
        this(windows, grace, measures, relativeAccuracy, hllLgK, combineInterval, 0);
    }

    /** These settings for a deployment whose events.canonical has {@code partitions} partitions. */
    public MetricsSettings withUpstreamPartitions(int partitions) {
        return new MetricsSettings(
                windows, grace, measures, relativeAccuracy, hllLgK, combineInterval, partitions, perOrganization);
    }

    /** These settings with (or without) a series per organisation as well. */
    public MetricsSettings withPerOrganization(boolean on) {
        return new MetricsSettings(
                windows, grace, measures, relativeAccuracy, hllLgK, combineInterval, upstreamPartitions, on);
    }

    public static final Duration DEFAULT_COMBINE_INTERVAL = Duration.ofMillis(500);

    public MetricsSettings(
            List<Duration> windows, Duration grace, Set<String> measures, double relativeAccuracy, int hllLgK) {
        this(windows, grace, measures, relativeAccuracy, hllLgK, DEFAULT_COMBINE_INTERVAL);
    }

    public static final int DDSKETCH_MAX_BINS = 2048;

    public MetricsSettings {
        windows = List.copyOf(windows);
        measures = Set.copyOf(measures);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one metrics window is needed");
        }
        if (relativeAccuracy <= 0 || relativeAccuracy >= 1) {
            throw new IllegalArgumentException("relative accuracy must be in (0, 1), was " + relativeAccuracy);
        }
        if (hllLgK < 4 || hllLgK > 21) {
            throw new IllegalArgumentException("HLL lgK must be in [4, 21], was " + hllLgK);
        }
        if (combineInterval.isNegative() || combineInterval.isZero()) {
            throw new IllegalArgumentException("the combine interval must be positive, was " + combineInterval);
        }
        if (upstreamPartitions < 0) {
            throw new IllegalArgumentException(
                    "the upstream partition count must not be negative, was " + upstreamPartitions);
        }
    }

    /**
     * The span of one partial aggregate: the greatest common divisor of the window sizes, so every partial lies inside
     * exactly one window of each size (tumbling windows are aligned to the epoch).
     */
    public long bucketMillis() {
        long g = 0;
        for (Duration w : windows) {
            g = gcd(g, w.toMillis());
        }
        return g;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public static MetricsSettings defaults() {
        return new MetricsSettings(
                List.of(Duration.ofMinutes(1), Duration.ofHours(1)),
                Duration.ofSeconds(30),
                Set.of("revenue", "cost"),
                0.01,
                12);
    }

    /** The store of the partial aggregates a task has not yet sent on (see {@link MetricsCombiner}). */
    public static final String PARTIALS_STORE = "metrics-partials";

    /** The store of the upstream tasks' watermarks and of the low watermark up to which windows were emitted. */
    public static final String WATERMARKS_STORE = "metrics-watermarks";

    /**
     * How long a window store keeps a window: two windows and the grace, and an hour more, for which a lagging
     * upstream task (whose watermark holds the window open, see {@link MetricsWindows}) may be behind the others.
     */
    public Duration retention(Duration window) {
        return window.multipliedBy(2).plus(grace).plus(Duration.ofHours(1));
    }

    /**
     * How far a task's stream time may advance before it sends its partials regardless of the wall clock: a sixth of
     * the grace (at least one second), so partials sent while catching up on a backlog stay well inside the grace of
     * the windows they belong to. In real time this adds one send per such interval of event time.
     */
    public Duration catchUpInterval() {
        Duration d = grace.dividedBy(6);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /** The name of the window store of one window size, e.g. {@code metrics-1m}. */
    public static String storeName(Duration window) {
        return "metrics-" + Durations.label(window);
    }
}
