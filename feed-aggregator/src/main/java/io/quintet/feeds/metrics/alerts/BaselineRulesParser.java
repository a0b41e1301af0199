package io.quintet.feeds.metrics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.feeds.metrics.MetricDimension;
import io.quintet.feeds.stream.Durations;
import io.quintet.model.ActionPattern;
import io.quintet.model.InvalidActionNameException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one anomaly (baseline) rule of the rules file (a rule with a {@code baseline:} block instead of
 * {@code threshold:}); every problem is added to the list, naming the rule and the field. See
 * {@code config/alert-rules.yaml} and docs/feed-aggregator.md, "Anomaly rules".
 */
final class BaselineRulesParser {
    static final Set<String> RULE_FIELDS =
            Set.of("id", "description", "series", "measure", "baseline", "fire_when", "severity", "deliver_to");
    private static final Set<String> SERIES_FIELDS = Set.of("window", "dimension", "value");
    private static final Set<String> BASELINE_FIELDS = Set.of("ewma", "seasonal");
    private static final Set<String> EWMA_FIELDS = Set.of("alpha", "min_history", "adapt_after", "min_stddev");
    private static final Set<String> SEASONAL_FIELDS = Set.of("days", "min_days");
    private static final Set<String> FIRE_FIELDS =
            Set.of("ratio_above", "ratio_below", "z_above", "z_below", "min_count");
    static final long DEFAULT_MIN_HISTORY = 30;
    static final long DEFAULT_ADAPT_AFTER = 10;
    static final int MAX_DAYS = 28;

    private BaselineRulesParser() {}

    /**
     * @param metricWindows the service's metrics.windows (a series window must be one of them); null: not checked
     * @return the rule, or null when it has problems (added to {@code p})
     */
    static BaselineRule parse(
            JsonNode r,
            String id,
            String name,
            String description,
            String severity,
            List<Duration> metricWindows,
            List<String> p) {
        int before = p.size();
        unknown(r, RULE_FIELDS, name, "", p);
        JsonNode s = r.get("series");
        Duration window = null;
        MetricDimension dimension = null;
        String value = "*";
        if (s == null || !s.isObject()) {
            p.add(name + ": series is missing; give {window: 1m, dimension: action|source|domain, value: ...}");
        } else {
            unknown(s, SERIES_FIELDS, name, "series ", p);
            window = window(s.get("window"), metricWindows, name, p);
            try {
                dimension = MetricDimension.fromId(s.path("dimension").asText("action"));
            } catch (IllegalArgumentException e) {
                p.add(name + ": series dimension: " + e.getMessage());
            }
            if (s.hasNonNull("value")) {
                value = s.get("value").asText().trim();
            }
            if (value.isEmpty()) {
                p.add(name + ": series value is empty; give a value or * for every series of the dimension");
            } else if (dimension == MetricDimension.ACTION && !value.equals("*")) {
                try {
                    ActionPattern.parse(value);
                } catch (InvalidActionNameException e) {
                    p.add(name + ": series value: " + e.getMessage());
                }
            }
        }
        BaselineRule.Measure measure = BaselineRule.Measure.COUNT;
        if (r.hasNonNull("measure")) {
            try {
                measure = BaselineRule.Measure.fromId(r.get("measure").asText());
            } catch (IllegalArgumentException e) {
                p.add(name + ": " + e.getMessage());
            }
        }
        BaselineRule.Ewma ewma = null;
        BaselineRule.Seasonal seasonal = null;
        JsonNode b = r.get("baseline");
        if (b == null || !b.isObject() || !(b.has("ewma") || b.has("seasonal"))) {
            p.add(name + ": baseline needs ewma: {alpha: 0.1, min_history: 30} and/or seasonal: {days: 7}");
        } else {
            unknown(b, BASELINE_FIELDS, name, "baseline ", p);
            if (b.has("ewma")) {
                ewma = ewma(b.get("ewma"), name, p);
            }
            if (b.has("seasonal")) {
                seasonal = seasonal(b.get("seasonal"), window, name, p);
            }
        }
        BaselineRule.Bounds bounds =
                bounds(r.get("fire_when"), b != null && b.has("ewma"), b != null && b.has("seasonal"), name, p);
        if (p.size() > before) {
            return null;
        }
        return BaselineRule.of(id, description, severity, window, dimension, value, measure, ewma, seasonal, bounds);
    }

    private static Duration window(JsonNode w, List<Duration> metricWindows, String name, List<String> p) {
        if (w == null || w.isNull()) {
            p.add(name + ": series window is missing (one of metrics.windows, e.g. 1m)");
            return null;
        }
        try {
            Duration d = Durations.parse(w.asText());
            if (d.isZero() || d.isNegative()) {
                p.add(name + ": series window must be positive");
                return null;
            }
            if (metricWindows != null && !metricWindows.contains(d)) {
                p.add(name + ": series window " + w.asText() + " is not one of metrics.windows ("
                        + String.join(
                                ", ",
                                metricWindows.stream().map(Durations::label).toList()) + ")");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            p.add(name + ": series window: " + e.getMessage());
            return null;
        }
    }

    private static BaselineRule.Ewma ewma(JsonNode e, String name, List<String> p) {
        if (e == null || !e.isObject()) {
            p.add(name + ": baseline ewma must be a map, e.g. {alpha: 0.1, min_history: 30}");
            return null;
        }
        unknown(e, EWMA_FIELDS, name, "baseline ewma ", p);
        JsonNode a = e.get("alpha");
        double alpha = a != null && a.isNumber() ? a.asDouble() : -1;
        if (!(alpha > 0 && alpha <= 1)) {
            p.add(name + ": baseline ewma alpha must be a number in (0, 1], e.g. 0.1 (about the last 10 windows)");
        }
        long minHistory = whole(e, "min_history", DEFAULT_MIN_HISTORY, 1, name, "baseline ewma ", p);
        long adaptAfter = whole(e, "adapt_after", DEFAULT_ADAPT_AFTER, 0, name, "baseline ewma ", p);
        double minStddev = 0;
        if (e.has("min_stddev")) {
            minStddev = e.get("min_stddev").isNumber() ? e.get("min_stddev").asDouble() : -1;
            if (minStddev < 0) {
                p.add(name + ": baseline ewma min_stddev must be a number >= 0");
            }
        }
        return new BaselineRule.Ewma(alpha, minHistory, adaptAfter, minStddev);
    }

    private static BaselineRule.Seasonal seasonal(JsonNode s, Duration window, String name, List<String> p) {
        if (s == null || !s.isObject()) {
            p.add(name + ": baseline seasonal must be a map, e.g. {days: 7, min_days: 3}");
            return null;
        }
        unknown(s, SEASONAL_FIELDS, name, "baseline seasonal ", p);
        long days = whole(s, "days", -1, 1, name, "baseline seasonal ", p);
        if (days > MAX_DAYS) {
            p.add(name + ": baseline seasonal days must be at most " + MAX_DAYS);
        }
        long minDays = whole(s, "min_days", Math.max(days, 1), 1, name, "baseline seasonal ", p);
        if (days >= 1 && minDays > days) {
            p.add(name + ": baseline seasonal min_days must not exceed days");
        }
        if (window != null && BaselineRule.DAY_MS % window.toMillis() != 0) {
            p.add(name + ": baseline seasonal needs a series window that divides a day (1m, 5m, 1h, ...), not "
                    + Durations.label(window));
        }
        return new BaselineRule.Seasonal((int) Math.min(days, MAX_DAYS), (int) Math.min(minDays, MAX_DAYS));
    }

    private static BaselineRule.Bounds bounds(JsonNode f, boolean ewma, boolean seasonal, String name, List<String> p) {
        if (f == null || !f.isObject()) {
            p.add(name + ": fire_when is missing; give at least one of ratio_above, ratio_below, z_above, z_below");
            return null;
        }
        unknown(f, FIRE_FIELDS, name, "fire_when ", p);
        Double ratioAbove = number(f, "ratio_above", name, p);
        Double ratioBelow = number(f, "ratio_below", name, p);
        Double zAbove = number(f, "z_above", name, p);
        Double zBelow = number(f, "z_below", name, p);
        long minCount = whole(f, "min_count", 0, 0, name, "fire_when ", p);
        BaselineRule.Bounds b = new BaselineRule.Bounds(ratioAbove, ratioBelow, zAbove, zBelow, minCount);
        if (!b.hasRatio() && !b.hasZ()) {
            p.add(name + ": fire_when needs at least one of ratio_above, ratio_below, z_above, z_below");
        }
        if (ratioAbove != null && ratioAbove <= 1) {
            p.add(name + ": fire_when ratio_above must be greater than 1 (observed / baseline)");
        }
        if (ratioBelow != null && (ratioBelow < 0 || ratioBelow >= 1)) {
            p.add(name + ": fire_when ratio_below must be in [0, 1)");
        }
        if (zAbove != null && zAbove <= 0) {
            p.add(name + ": fire_when z_above must be positive");
        }
        if (zBelow != null && zBelow >= 0) {
            p.add(name + ": fire_when z_below must be negative");
        }
        if (b.hasZ() && !ewma) {
            p.add(
                    name
                            + ": fire_when z_above/z_below need an ewma baseline (the z-score is against the EWMA mean and variance)");
        }
        if (seasonal && !b.hasRatio()) {
            p.add(name + ": a seasonal baseline is compared by ratio: give fire_when ratio_above or ratio_below");
        }
        return b;
    }

    private static Double number(JsonNode f, String field, String name, List<String> p) {
        JsonNode n = f.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            p.add(name + ": fire_when " + field + " must be a number");
            return null;
        }
        return n.asDouble();
    }

    private static long whole(
            JsonNode n, String field, long dflt, long min, String name, String where, List<String> p) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (dflt < min) {
                p.add(name + ": " + where + field + " is missing");
            }
            return dflt;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min) {
            p.add(name + ": " + where + field + " must be a whole number >= " + min);
            return dflt;
        }
        return v.asLong();
    }

    private static void unknown(JsonNode n, Set<String> known, String name, String where, List<String> p) {
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                p.add(name + ": " + where + "unknown field '" + f + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
    }
}
