package io.quintet.feeds.metrics.alerts;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quintet.model.otel.TraceParent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert evaluation's OpenTelemetry counters, by rule: {@value #FIRED} (a {@code monitoring.alert.triggered} was
 * written) and {@value #RESOLVED} (a {@code monitoring.alert.resolved} was written, with its reason). The attributes
 * of a rule are built once and cached (rule ids come from the operator's rules file, so there are few). Counted when
 * the processor forwards the alert: a transaction that aborts and is processed again counts its alerts twice, while
 * the alerts topic (exactly-once) holds them once.
 *
 * <p>Traces: one span {@value #FIRED_SPAN} per triggered alert (not per event: the per-event path records nothing),
 * a child of the W3C trace context of the event that made it fire when that event has one, so the alert appears in
 * the trace of its cause; attributes: rule, alert id and the event's id. The alert itself carries the event's
 * {@code traceparent} (not this span's), so its CloudEvent stays the same whether or not a tracing SDK is installed
 * and a replay writes the same alert. Baseline alerts have no single event behind them and record no span.
 */
public final class AlertTelemetry {
    public static final String FIRED = "quintet.feed_aggregator.alerts.fired";
    public static final String RESOLVED = "quintet.feed_aggregator.alerts.resolved";
    public static final AttributeKey<String> RULE = AttributeKey.stringKey("quintet.alert.rule");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("quintet.alert.reason");
    public static final String FIRED_SPAN = "alert fired";
    public static final AttributeKey<String> ALERT_ID = AttributeKey.stringKey("quintet.alert.id");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("quintet.event.id");

    private final Tracer tracer;
    private final LongCounter fired;
    private final LongCounter resolved;
    private final Map<String, Attributes> byRule = new ConcurrentHashMap<>();
    private final Map<String, Attributes> byRuleAndReason = new ConcurrentHashMap<>();

    public AlertTelemetry(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.quintet.feed-aggregator");
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

    /**
     * Counts a triggered alert and records its span, a child of the trace context of the event that fired it.
     *
     * @param trigger the traceparent of that event, empty when it has none (the span then starts a trace)
     */
    void fired(String ruleId, String alertId, String eventId, java.util.Optional<TraceParent> trigger) {
        fired(ruleId);
        SpanBuilder b = tracer.spanBuilder(FIRED_SPAN)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(RULE, ruleId)
                .setAttribute(ALERT_ID, alertId);
        if (eventId != null) {
            b.setAttribute(EVENT_ID, eventId);
        }
        b.setParent(trigger.map(AlertTelemetry::parentOf).orElseGet(Context::root));
        b.startSpan().end();
    }

    private static Context parentOf(TraceParent tp) {
        return Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(
                        tp.traceId(),
                        tp.spanId(),
                        tp.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                        TraceState.getDefault())));
    }

    void resolved(String ruleId, String reason) {
        resolved.add(
                1,
                byRuleAndReason.computeIfAbsent(
                        ruleId + '|' + reason, k -> Attributes.of(RULE, ruleId, REASON, reason)));
    }
}
