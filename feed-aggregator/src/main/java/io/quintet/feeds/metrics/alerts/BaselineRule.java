package io.quintet.feeds.metrics.alerts;

import io.quintet.feeds.metrics.MetricDimension;
import io.quintet.feeds.metrics.MetricRecord;
import io.quintet.feeds.stream.Durations;
import io.quintet.model.ActionPattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * An anomaly rule: a figure of each closed metric window of the selected series (window size, dimension, value) is
 * compared with the same series' own recent baseline (an EWMA with its EW variance, and/or the same slot on the
 * previous days); the rule fires when the ratio observed / baseline or the z-score crosses a bound. Evaluated once
 * per closed window by {@link BaselineProcessor}, never per event.
 * <p>
 * Two fingerprints: {@link #fingerprint()} covers everything that decides firing (series, measure, baselines,
 * bounds) and keys the active alerts, like a threshold rule's; {@link #stateFingerprint()} covers only what decides
 * the learned baseline (series, measure, EWMA alpha), so changing a bound, min_history or the seasonal days keeps the
 * history learned so far, while changing alpha, the series or the measure starts afresh.
 *
 * @param value    the series value: {@code *} (every series of the dimension), an action pattern for
 *                 {@code action}, a domain ({@code billing} or {@code billing.*}) for {@code domain}, a source name
 * @param ewma     the EWMA baseline, or null
 * @param seasonal the same-slot-on-previous-days baseline, or null
 */
public record BaselineRule(
        String id,
        String description,
        String severity,
        Duration window,
        MetricDimension dimension,
        String value,
        Measure measure,
        Ewma ewma,
        Seasonal seasonal,
        Bounds bounds,
        String fingerprint,
        String stateFingerprint) {

    public static final long DAY_MS = 86_400_000L;

    /** The figure of a closed metric window a rule watches. */
    public enum Measure {
        /** Events in the window. */
        COUNT("count"),
        /** Events per second over the window. */
        RATE("rate"),
        /** Failed events / events; windows without events have none. */
        FAILURE_RATE("failure_rate"),
        /** 95th percentile of context.telemetry.duration_ms; windows without durations have none. */
        P95_DURATION_MS("p95_duration_ms");

        private final String id;

        Measure(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Measure fromId(String id) {
            for (Measure m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(
                    "measure '" + id + "' is not one of count, rate, failure_rate, p95_duration_ms");
        }

        /** A window the metrics did not emit had no events: 0 for count and rate, no figure for the others. */
        public boolean zeroWhenAbsent() {
            return this == COUNT || this == RATE;
        }

        OptionalDouble of(MetricRecord m, Duration window) {
            return switch (this) {
                case COUNT -> OptionalDouble.of(m.count());
                case RATE -> OptionalDouble.of(m.count() * 1000.0 / window.toMillis());
                case FAILURE_RATE -> m.count() == 0 ? OptionalDouble.empty() : OptionalDouble.of(m.failureRate());
                case P95_DURATION_MS ->
                    m.durationMs() == null || m.durationMs().count() == 0
                            ? OptionalDouble.empty()
                            : OptionalDouble.of(m.durationMs().p95());
            };
        }
    }

    /**
     * @param alpha       weight of the newest window (0 < alpha <= 1)
     * @param minHistory  windows learned before the rule may fire
     * @param adaptAfter  consecutive anomalous windows after which they are learned again (a lasting level shift
     *                    becomes the new normal); until then anomalous windows are kept out of the baseline
     * @param minStddev   floor of the standard deviation in the z-score (0 = none)
     */
    public record Ewma(double alpha, long minHistory, long adaptAfter, double minStddev) {}

    /**
     * @param days    previous days whose same window slot make the baseline (their mean)
     * @param minDays slots that must be present before the rule may fire
     */
    public record Seasonal(int days, int minDays) {}

    /**
     * Each bound null when not set. {@code ratio = observed / baseline}; {@code z = (observed - EWMA mean) / EW stddev}.
     *
     * @param minCount windows with fewer events never fire
     */
    public record Bounds(Double ratioAbove, Double ratioBelow, Double zAbove, Double zBelow, long minCount) {
        boolean hasRatio() {
            return ratioAbove != null || ratioBelow != null;
        }

        boolean hasZ() {
            return zAbove != null || zBelow != null;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (ratioAbove != null) {
                m.put("ratio_above", ratioAbove);
            }
            if (ratioBelow != null) {
                m.put("ratio_below", ratioBelow);
            }
            if (zAbove != null) {
                m.put("z_above", zAbove);
            }
            if (zBelow != null) {
                m.put("z_below", zBelow);
            }
            if (minCount > 0) {
                m.put("min_count", minCount);
            }
            return m;
        }
    }

    public static BaselineRule of(
            String id,
            String description,
            String severity,
            Duration window,
            MetricDimension dimension,
            String value,
            Measure measure,
            Ewma ewma,
            Seasonal seasonal,
            Bounds bounds) {
        String stateFp = hash(List.of(
                String.valueOf(window.toMillis()),
                dimension.id(),
                value,
                measure.id(),
                ewma == null ? "-" : String.valueOf(ewma.alpha())));
        String fp = hash(List.of(
                stateFp,
                String.valueOf(ewma),
                String.valueOf(seasonal),
                bounds.describe().toString()));
        return new BaselineRule(
                id, description, severity, window, dimension, value, measure, ewma, seasonal, bounds, fp, stateFp);
    }

    /** Whether a closed metric window belongs to a series this rule watches. */
    boolean selects(Duration size, String dimensionId, String seriesValue) {
        if (!size.equals(window) || !dimension.id().equals(dimensionId) || seriesValue == null) {
            return false;
        }
        if (value.equals("*")) {
            return true;
        }
        return switch (dimension) {
            case ACTION -> ActionPattern.parse(value).matches(seriesValue);
            case DOMAIN -> seriesValue.equals(value.endsWith(".*") ? value : value + ".*");
            case SOURCE -> seriesValue.equals(value);
        };
    }

    /** The series as it appears in alerts: {@code {window, dimension, value}}. */
    Map<String, Object> describeSeries() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", Durations.label(window));
        m.put("dimension", dimension.id());
        m.put("value", value);
        return m;
    }

    Map<String, Object> describeBaseline() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (ewma != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("alpha", ewma.alpha());
            e.put("min_history", ewma.minHistory());
            e.put("adapt_after", ewma.adaptAfter());
            if (ewma.minStddev() > 0) {
                e.put("min_stddev", ewma.minStddev());
            }
            m.put("ewma", e);
        }
        if (seasonal != null) {
            m.put("seasonal", Map.of("days", seasonal.days(), "min_days", seasonal.minDays()));
        }
        return m;
    }

    private static String hash(List<String> parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
