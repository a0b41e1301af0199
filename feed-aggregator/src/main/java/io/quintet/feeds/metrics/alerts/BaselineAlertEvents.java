package io.quintet.feeds.metrics.alerts;

import io.quintet.feeds.metrics.MetricRecord;
import io.quintet.model.CanonicalEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code monitoring.alert.triggered} / {@code .resolved} events of anomaly (baseline) rules: the same envelope,
 * ids and lifecycle as threshold alerts ({@link AlertEvents}), with details that explain the comparison: the series,
 * the measure, the observed figures, each baseline as compared (EWMA mean, stddev, history, ratio, z; seasonal mean,
 * days present, ratio), the bounds and which were crossed, the window and the warm-store query of its events.
 * A window-level alert has no single triggering event: no {@code trigger}, no contributing ids, no trace.
 */
final class BaselineAlertEvents {
    private BaselineAlertEvents() {}

    static CanonicalEvent triggered(
            BaselineRule rule, MetricRecord m, long windowStart, BaselineEvaluation ev, String alertId, String source) {
        Map<String, Object> d = base(rule, m.value(), alertId);
        long size = rule.window().toMillis();
        d.put("window", AlertEvents.window(windowStart, size));
        d.put("observed", observed(ev.observed(), m));
        d.put("baseline", ev.describe(rule));
        d.put("crossed", ev.crossed());
        d.put("warm_store_query", query(rule, m.value(), windowStart));
        return AlertEvents.event(
                AlertEvents.uuid("triggered|" + rule.fingerprint() + "|" + m.value() + "|" + windowStart),
                AlertEvents.TRIGGERED,
                rule.id(),
                m.value(),
                d,
                alertId,
                null,
                source,
                Instant.ofEpochMilli(windowStart + size));
    }

    /**
     * @param rule      the rule as it is (null when it was removed)
     * @param m         the closed window that cleared the condition (null when the window had no events or the rule changed)
     * @param ev        that window's evaluation (null likewise)
     * @param cleared   start of the window that cleared the condition (null when the rule changed or was removed)
     */
    static CanonicalEvent resolved(
            BaselineActive a,
            BaselineRule rule,
            String reason,
            Long cleared,
            MetricRecord m,
            BaselineEvaluation ev,
            String source,
            Instant at) {
        Map<String, Object> d = rule != null ? base(rule, a.group(), a.alertId()) : new LinkedHashMap<>();
        if (rule == null) {
            d.put("alert_id", a.alertId());
            d.put("rule_id", a.ruleId());
            d.put("kind", "baseline");
            d.put("group", a.group());
        }
        d.put("reason", reason);
        d.put("last_firing_window", AlertEvents.window(a.lastFiringWindowStart(), a.windowMs()));
        if (cleared != null) {
            d.put("window", AlertEvents.window(cleared, a.windowMs()));
            if (m != null && ev != null) {
                d.put("observed", observed(ev.observed(), m));
                d.put("baseline", ev.describe(rule));
            } else {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("value", 0.0);
                o.put("count", 0L);
                o.put("note", "no events: the metrics emitted no window for the series");
                d.put("observed", o);
            }
        }
        if (rule != null) {
            d.put("warm_store_query", query(rule, a.group(), a.lastFiringWindowStart()));
        }
        return AlertEvents.event(
                AlertEvents.uuid("resolved|" + a.alertId() + "|" + a.lastFiringWindowStart()),
                AlertEvents.RESOLVED,
                a.ruleId(),
                a.group(),
                d,
                a.alertId(),
                null,
                source,
                at);
    }

    private static Map<String, Object> base(BaselineRule rule, String series, String alertId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("alert_id", alertId);
        d.put("rule_id", rule.id());
        d.put("kind", "baseline");
        if (rule.description() != null) {
            d.put("description", rule.description());
        }
        d.put("severity", rule.severity());
        d.put("series", rule.describeSeries());
        d.put("measure", rule.measure().id());
        d.put("group_by", rule.dimension().id());
        d.put("group", series);
        Map<String, Object> threshold = new LinkedHashMap<>();
        threshold.put("kind", "baseline");
        threshold.putAll(rule.bounds().describe());
        threshold.put("baselines", rule.describeBaseline());
        d.put("threshold", threshold);
        return d;
    }

    private static Map<String, Object> observed(double value, MetricRecord m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("value", value);
        o.put("count", m.count());
        o.put("failures", m.failures());
        o.put("failure_rate", m.failureRate());
        if (m.durationMs() != null) {
            o.put("p95_duration_ms", m.durationMs().p95());
        }
        return o;
    }

    private static String query(BaselineRule rule, String series, long windowStart) {
        return WarmStoreQuery.ofSeries(
                rule.dimension(),
                series,
                Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowStart).plus(rule.window()));
    }
}
