package io.quintet.feeds.metrics.alerts;

import io.quintet.feeds.stream.Durations;
import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.otel.TraceParent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the canonical events published on the alerts topic as CloudEvents of type
 * {@code monitoring.alert.triggered} / {@code monitoring.alert.resolved}. The alert lives in {@code entity}
 * (type {@code alert}, id {@code rule/group}); its details hold the rule (pattern, filter, grouping, grace, threshold
 * with the value compared), group, window, observed figures, the contributing event ids, the event that fired it
 * (id, correlation id, traceparent) and a SQL query over the warm store listing the events behind it. Ids are derived from the rule fingerprint, group and window, so a replay produces the
 * same ids (consumers can de-duplicate); {@code correlation_id} is the alert episode shared by trigger and resolve.
 */
public final class AlertEvents {
    public static final String TRIGGERED = "monitoring.alert.triggered";
    public static final String RESOLVED = "monitoring.alert.resolved";

    private AlertEvents() {}

    static String episodeId(String fingerprint, String group, long firstWindowStart) {
        return uuid("alert|" + fingerprint + "|" + group + "|" + firstWindowStart);
    }

    /**
     * @param trigger the sample of the event that crossed the threshold
     * @param trace   the W3C trace context of that event: the alert continues its trace
     */
    static CanonicalEvent triggered(
            AlertRule rule,
            WindowCounts counts,
            AlertSample trigger,
            String alertId,
            String source,
            Instant at,
            Optional<TraceParent> trace) {
        Map<String, Object> details = base(rule, counts.group(), alertId);
        details.put("window", window(counts.windowStart(), rule.window().toMillis()));
        details.put("observed", observed(rule, counts));
        details.put("contributing_event_ids", counts.eventIds());
        details.put("trigger", trigger(trigger));
        details.put("warm_store_query", query(rule, counts.group(), counts.windowStart()));
        CanonicalEvent e = event(
                uuid("triggered|" + rule.fingerprint() + "|" + counts.group() + "|" + counts.windowStart()),
                TRIGGERED,
                rule.id(),
                counts.group(),
                details,
                alertId,
                counts.eventIds().isEmpty()
                        ? null
                        : counts.eventIds().get(counts.eventIds().size() - 1),
                source,
                at);
        return trace.map(tp -> e.toBuilder()
                        .context(Context.EMPTY.withTelemetry(new Context.Telemetry(tp.traceId(), tp.spanId(), null)))
                        .build())
                .orElse(e);
    }

    /**
     * @param rule    the rule as it was (null when it was removed: the alert's stored ids are used)
     * @param cleared the counts of the window that cleared the condition (null when it had no events)
     */
    static CanonicalEvent resolved(
            ActiveAlert alert, AlertRule rule, WindowCounts cleared, String reason, String source, Instant at) {
        Map<String, Object> details = rule != null ? base(rule, alert.group(), alert.alertId()) : new LinkedHashMap<>();
        if (rule == null) {
            details.put("rule_id", alert.ruleId());
            details.put("group", alert.group());
            details.put("alert_id", alert.alertId());
        }
        details.put("reason", reason);
        details.put("last_firing_window", window(alert.lastFiringWindowStart(), alert.windowMs()));
        if (rule != null && reason.equals("condition_cleared")) {
            long start = alert.lastFiringWindowStart() + alert.windowMs();
            details.put("window", window(start, alert.windowMs()));
            details.put(
                    "observed",
                    observed(
                            rule,
                            cleared != null
                                    ? cleared
                                    : WindowCounts.empty(rule.id(), rule.fingerprint(), alert.group(), start)));
        }
        if (alert.lastTrigger() != null) {
            details.put("trigger", trigger(alert.lastTrigger()));
        }
        if (rule != null) {
            details.put("warm_store_query", query(rule, alert.group(), alert.lastFiringWindowStart()));
        }
        return event(
                uuid("resolved|" + alert.alertId() + "|" + alert.lastFiringWindowStart()),
                RESOLVED,
                alert.ruleId(),
                alert.group(),
                details,
                alert.alertId(),
                null,
                source,
                at);
    }

    private static Map<String, Object> base(AlertRule rule, String group, String alertId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("alert_id", alertId);
        d.put("rule_id", rule.id());
        if (rule.description() != null) {
            d.put("description", rule.description());
        }
        d.put("severity", rule.severity());
        d.put("pattern", rule.pattern().toString());
        if (!rule.filter().isEmpty()) {
            Map<String, Object> filter = new LinkedHashMap<>();
            new java.util.TreeMap<>(rule.filter())
                    .forEach((k, v) -> filter.put(k, List.copyOf(new java.util.TreeSet<>(v))));
            d.put("filter", filter);
        }
        d.put("group_by", rule.groupBy().spec());
        d.put("group", group);
        d.put("grace", Durations.label(rule.grace()));
        d.put("threshold", threshold(rule.threshold()));
        return d;
    }

    /** The rule's threshold as defined, plus the figure {@code observed.value} is compared with and how. */
    private static Map<String, Object> threshold(Threshold t) {
        Map<String, Object> m = new LinkedHashMap<>(t.describe());
        switch (t.kind()) {
            case COUNT, SUM -> {
                m.put("value", t.atLeast());
                m.put("comparison", ">=");
            }
            case FAILURE_RATE -> {
                m.put("value", t.above());
                m.put("comparison", ">");
            }
        }
        return m;
    }

    /** The event that crossed the threshold: its id, correlation id and W3C traceparent (each when it has one). */
    private static Map<String, Object> trigger(AlertSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", s.eventId());
        if (s.correlationId() != null) {
            m.put("correlation_id", s.correlationId());
        }
        if (s.traceParent() != null) {
            m.put("traceparent", s.traceParent());
        }
        return m;
    }

    private static String query(AlertRule rule, String group, long windowStart) {
        return WarmStoreQuery.of(
                rule,
                group,
                Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowStart).plus(rule.window()));
    }

    static Map<String, Object> window(long start, long sizeMs) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", Instant.ofEpochMilli(start).toString());
        w.put("end", Instant.ofEpochMilli(start + sizeMs).toString());
        w.put("size", Durations.label(java.time.Duration.ofMillis(sizeMs)));
        return w;
    }

    private static Map<String, Object> observed(AlertRule rule, WindowCounts c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("value", rule.threshold().observed(c));
        o.put("count", c.count());
        o.put("failures", c.failures());
        o.put("failure_rate", c.failureRate());
        if (rule.threshold().kind() == Threshold.Kind.SUM) {
            o.put("sum", c.sum());
        }
        return o;
    }

    static CanonicalEvent event(
            String id,
            String type,
            String ruleId,
            String group,
            Map<String, Object> details,
            String alertId,
            String causationId,
            String source,
            Instant at) {
        return CanonicalEvent.builder()
                .id(id)
                .eventTimestamp(at)
                .observedTimestamp(at)
                .source(source)
                .action(new Action(type, "other"))
                .actor(Actor.of(source, Actor.SERVICE))
                .entity(new Entity(ruleId + "/" + group, "alert", details))
                .correlationId(alertId)
                .causationId(causationId)
                .build();
    }

    static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
