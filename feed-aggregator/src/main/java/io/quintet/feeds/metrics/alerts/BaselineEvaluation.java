package io.quintet.feeds.metrics.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One closed window of one series judged against its baselines: whether every configured baseline is ready (the
 * minimum history), the figures compared, the bounds crossed and the verdict. Pure: the processor supplies the state.
 * <p>
 * A rule is anomalous in a window when all its baselines are ready, the window has at least {@code min_count} events,
 * and against <em>each</em> configured baseline at least one of its bounds is crossed: the ratio bounds
 * ({@code observed / baseline >= ratio_above} or {@code <= ratio_below}) against the EWMA mean and against the
 * seasonal mean, the z bounds ({@code (observed - mean) / stddev >= z_above} or {@code <= z_below}) against the EWMA.
 */
record BaselineEvaluation(
        double observed,
        long count,
        boolean ready,
        boolean anomalous,
        Double ewmaMean,
        Double ewmaStddev,
        Long ewmaHistory,
        Double ratioToEwma,
        Double z,
        Double seasonalMean,
        int seasonalDays,
        Double ratioToSeasonal,
        List<Map<String, Object>> crossed) {

    /**
     * @param state    what the rule has learned of the series (null before its first window)
     * @param seasonal the figures of the same slot on the previous days that are present (empty without a seasonal baseline)
     */
    static BaselineEvaluation of(BaselineRule rule, double x, long count, BaselineState state, List<Double> seasonal) {
        BaselineRule.Bounds b = rule.bounds();
        List<Map<String, Object>> crossed = new ArrayList<>();
        boolean ready = true;
        boolean allCrossed = true;
        Double ewmaMean = null;
        Double ewmaStddev = null;
        Long history = null;
        Double ratioEwma = null;
        Double z = null;
        if (rule.ewma() != null) {
            history = state == null ? 0L : state.history();
            ready = state != null && state.history() >= rule.ewma().minHistory();
            if (state != null && state.history() > 0) {
                ewmaMean = state.mean();
                ewmaStddev = Math.max(state.stddev(), rule.ewma().minStddev());
                ratioEwma = ratio(x, ewmaMean);
                z = ewmaStddev == 0
                        ? (x == ewmaMean ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, x - ewmaMean))
                        : (x - ewmaMean) / ewmaStddev;
                int before = crossed.size();
                ratioBounds(b, ratioEwma, "ewma", crossed);
                if (b.zAbove() != null && z >= b.zAbove()) {
                    crossed.add(cross("z_above", b.zAbove(), z, ">=", "ewma"));
                }
                if (b.zBelow() != null && z <= b.zBelow()) {
                    crossed.add(cross("z_below", b.zBelow(), z, "<=", "ewma"));
                }
                allCrossed = crossed.size() > before;
            } else {
                allCrossed = false;
            }
        }
        Double seasonalMean = null;
        Double ratioSeasonal = null;
        if (rule.seasonal() != null) {
            ready &= seasonal.size() >= rule.seasonal().minDays();
            if (!seasonal.isEmpty()) {
                seasonalMean = seasonal.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(0);
                ratioSeasonal = ratio(x, seasonalMean);
                int before = crossed.size();
                ratioBounds(b, ratioSeasonal, "seasonal", crossed);
                allCrossed &= crossed.size() > before;
            } else {
                allCrossed = false;
            }
        }
        boolean anomalous = ready && count >= b.minCount() && allCrossed;
        return new BaselineEvaluation(
                x,
                count,
                ready,
                anomalous,
                ewmaMean,
                ewmaStddev,
                history,
                ratioEwma,
                z,
                seasonalMean,
                seasonal.size(),
                ratioSeasonal,
                anomalous ? List.copyOf(crossed) : List.of());
    }

    /** observed / baseline; 1 when both are 0, +infinity when only the baseline is. */
    static double ratio(double x, double baseline) {
        if (baseline == 0) {
            return x == 0 ? 1.0 : Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        return x / baseline;
    }

    private static void ratioBounds(
            BaselineRule.Bounds b, double ratio, String baseline, List<Map<String, Object>> out) {
        if (b.ratioAbove() != null && ratio >= b.ratioAbove()) {
            out.add(cross("ratio_above", b.ratioAbove(), ratio, ">=", baseline));
        }
        if (b.ratioBelow() != null && ratio <= b.ratioBelow()) {
            out.add(cross("ratio_below", b.ratioBelow(), ratio, "<=", baseline));
        }
    }

    private static Map<String, Object> cross(
            String bound, double limit, double value, String comparison, String baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bound", bound);
        m.put("baseline", baseline);
        m.put("value", number(value));
        m.put("comparison", comparison);
        m.put("limit", limit);
        return m;
    }

    /** A figure for JSON: non-finite values (a ratio against a zero baseline) as the strings Infinity / -Infinity. */
    static Object number(Double d) {
        if (d == null) {
            return null;
        }
        return Double.isFinite(d) ? (Object) d : (d > 0 ? "Infinity" : "-Infinity");
    }

    /** The baselines as compared, for the alert's details. */
    Map<String, Object> describe(BaselineRule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (rule.ewma() != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", "ewma");
            e.put("alpha", rule.ewma().alpha());
            e.put("history", ewmaHistory);
            e.put("min_history", rule.ewma().minHistory());
            putIfPresent(e, "mean", ewmaMean);
            putIfPresent(e, "stddev", ewmaStddev);
            putIfPresent(e, "ratio", ratioToEwma);
            putIfPresent(e, "z", z);
            m.put("ewma", e);
        }
        if (rule.seasonal() != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("method", "seasonal");
            s.put("days", rule.seasonal().days());
            s.put("days_present", seasonalDays);
            s.put("min_days", rule.seasonal().minDays());
            putIfPresent(s, "mean", seasonalMean);
            putIfPresent(s, "ratio", ratioToSeasonal);
            m.put("seasonal", s);
        }
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Double value) {
        if (value != null) {
            m.put(key, number(value));
        }
    }
}
