package io.quintet.metrics.alerts;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert evaluation's OpenTelemetry counters, by rule: {@value #FIRED} (a {@code monitoring.alert.triggered} was
 * written) and {@value #RESOLVED} (a {@code monitoring.alert.resolved} was written, with its reason). The attributes
 * of a rule are built once and cached (rule ids come from the operator's rules file, so there are few). Counted when
 * the processor forwards the alert: a transaction that aborts and is processed again counts its alerts twice, while
 * the alerts topic (exactly-once) holds them once.
 */
public final class AlertTelemetry {
    public static final String FIRED = "quintet.feed_aggregator.alerts.fired";
    public static final String RESOLVED = "quintet.feed_aggregator.alerts.resolved";
    public static final AttributeKey<String> RULE = AttributeKey.stringKey("quintet.alert.rule");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("quintet.alert.reason");

    private final LongCounter fired;
    private final LongCounter resolved;
    private final Map<String, Attributes> byRule = new ConcurrentHashMap<>();
    private final Map<String, Attributes> byRuleAndReason = new ConcurrentHashMap<>();

    public AlertTelemetry(OpenTelemetry otel) {
        var meter = otel.getMeter("io.quintet.feed-aggregator");
        this.fired = meter.counterBuilder(FIRED)
                .setUnit("{alert}")
                .setDescription("alerts triggered, by rule")
                .build();
        this.resolved = meter.counterBuilder(RESOLVED)
                .setUnit("{alert}")
                .setDescription("alerts resolved, by rule and reason")
                .build();
    }

    public static AlertTelemetry noop() {
        return new AlertTelemetry(OpenTelemetry.noop());
    }

    void fired(String ruleId) {
        fired.add(1, byRule.computeIfAbsent(ruleId, r -> Attributes.of(RULE, r)));
    }

    void resolved(String ruleId, String reason) {
        resolved.add(
                1,
                byRuleAndReason.computeIfAbsent(
                        ruleId + '|' + reason, k -> Attributes.of(RULE, ruleId, REASON, reason)));
    }
}
