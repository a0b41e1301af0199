package io.quintet.model.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical event viewed as an OpenTelemetry log record (the OTel Logs data model):
 * <pre>
 *   EventName            = action.name
 *   Timestamp            = event_timestamp        ObservedTimestamp = observed_timestamp
 *   TraceId / SpanId     = context.telemetry.trace_id / span_id
 *   SeverityNumber       = ERROR when status is FAILURE, else INFO
 *   Attributes           = context.attributes (flat; nested values as their JSON-ish string form)
 *                          + quintet.* attributes: event id, action type, actor/entity type, status, error code
 *   Resource service.name = source
 * </pre>
 * Actor and entity ids are deliberately not copied into attributes: on events.canonical they are pseudonyms, but a
 * log exporter is no place to widen where identifiers travel.
 */
public final class OtelLogMapping {
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private OtelLogMapping() {}

    /** The mapped view, independent of any SDK. */
    public record LogRecordView(
            String eventName,
            java.time.Instant timestamp,
            java.time.Instant observedTimestamp,
            Severity severity,
            String traceId,
            String spanId,
            Attributes attributes,
            Attributes resource) {}

    public static LogRecordView view(CanonicalEvent event) {
        Context ctx = event.contextOrEmpty();
        Context.Telemetry t = ctx.telemetry();
        Optional<TraceParent> tp = t == null ? Optional.empty() : TraceParent.of(t.traceId(), t.spanId());
        return new LogRecordView(
                event.action() == null ? null : event.action().name(),
                event.eventTimestamp(),
                event.observedTimestamp(),
                ctx.status() == Context.Status.FAILURE ? Severity.ERROR : Severity.INFO,
                tp.map(TraceParent::traceId).orElse(null),
                tp.map(TraceParent::spanId).orElse(null),
                attributes(event),
                Attributes.of(SERVICE_NAME, event.source()));
    }

    /**
     * Emits the event through an OTel {@link Logger} (the SDK and exporter are the deployer's choice).
     * The resource ({@code service.name = source}) belongs to the logger provider; callers serving many sources
     * should key their providers by source, or read {@link LogRecordView#resource()}.
     */
    public static void emit(Logger logger, CanonicalEvent event) {
        LogRecordView v = view(event);
        LogRecordBuilder b = logger.logRecordBuilder()
                .setEventName(v.eventName())
                .setSeverity(v.severity())
                .setAllAttributes(v.attributes())
                .setAttribute(AttributeKey.stringKey("quintet.source"), event.source());
        if (v.timestamp() != null) {
            b.setTimestamp(v.timestamp());
        }
        if (v.observedTimestamp() != null) {
            b.setObservedTimestamp(v.observedTimestamp());
        }
        if (v.traceId() != null) {
            SpanContext sc = SpanContext.createFromRemoteParent(
                    v.traceId(), v.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
            b.setContext(io.opentelemetry.context.Context.root().with(Span.wrap(sc)));
        }
        b.emit();
    }

    private static Attributes attributes(CanonicalEvent event) {
        AttributesBuilder b = Attributes.builder();
        Context ctx = event.contextOrEmpty();
        Map<String, Object> attrs = ctx.attributes();
        if (attrs != null) {
            attrs.forEach((k, v) -> put(b, k, v));
        }
        b.put("quintet.event.id", event.id());
        if (event.action() != null && event.action().type() != null) {
            b.put("quintet.action.type", event.action().type());
        }
        if (event.actor() != null && event.actor().type() != null) {
            b.put("quintet.actor.type", event.actor().type());
        }
        if (event.entity() != null && event.entity().type() != null) {
            b.put("quintet.entity.type", event.entity().type());
        }
        if (ctx.status() != null) {
            b.put("quintet.status", ctx.status().name());
        }
        if (ctx.error() != null && ctx.error().code() != null) {
            b.put("quintet.error.code", ctx.error().code());
        }
        if (ctx.telemetry() != null && ctx.telemetry().durationMs() != null) {
            b.put("quintet.duration_ms", ctx.telemetry().durationMs());
        }
        return b.build();
    }

    private static void put(AttributesBuilder b, String key, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof Boolean bool) {
            b.put(key, bool);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            b.put(key, ((Number) v).longValue());
        } else if (v instanceof Number n) {
            b.put(key, n.doubleValue());
        } else if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            b.put(
                    AttributeKey.stringArrayKey(key),
                    list.stream().map(String.class::cast).toList());
        } else {
            b.put(key, String.valueOf(v));
        }
    }
}
