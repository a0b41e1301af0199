package io.quintet.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.otel.TraceParent;
import java.util.UUID;

/**
 * Fills in what the gateway knows and the producer may have left out, before validation:
 * <ul>
 *   <li>{@code observed_timestamp}: always the time the gateway received the request;</li>
 *   <li>{@code id}: a random UUID when absent; {@code spec_version} when absent;</li>
 *   <li>{@code context.client.ip_address} and {@code user_agent}: from the request when the event has none (an event
 *       sent by a back end on behalf of an end user keeps the user's values);</li>
 *   <li>{@code context.telemetry.trace_id/span_id}: from the request's W3C trace context when the event has none,
 *       so the CloudEvent carries a {@code traceparent}.</li>
 * </ul>
 * Fields of the wrong JSON type are left alone for the validator to report.
 */
public final class EventCompleter {

    public void complete(ObjectNode event, RequestMeta meta) {
        event.put("observed_timestamp", meta.receivedAt().toString());
        if (isAbsent(event.get("id"))) {
            event.put("id", UUID.randomUUID().toString());
        }
        if (isAbsent(event.get("spec_version"))) {
            event.put("spec_version", CanonicalEvent.SPEC_VERSION);
        }
        boolean needClient = meta.clientIp() != null || meta.userAgent() != null;
        boolean needTrace = meta.traceParent().isPresent();
        if (!needClient && !needTrace) {
            return;
        }
        ObjectNode context = objectField(event, "context");
        if (context == null) {
            return;
        }
        if (needClient) {
            ObjectNode client = objectField(context, "client");
            if (client != null) {
                putIfAbsent(client, "ip_address", meta.clientIp());
                putIfAbsent(client, "user_agent", meta.userAgent());
            }
        }
        if (needTrace) {
            ObjectNode telemetry = objectField(context, "telemetry");
            if (telemetry != null && isAbsent(telemetry.get("trace_id")) && isAbsent(telemetry.get("span_id"))) {
                TraceParent tp = meta.traceParent().get();
                telemetry.put("trace_id", tp.traceId());
                telemetry.put("span_id", tp.spanId());
            }
        }
    }

    /** The object under {@code name}, created when absent; null when present but not an object. */
    private static ObjectNode objectField(ObjectNode parent, String name) {
        JsonNode n = parent.get(name);
        if (isAbsent(n)) {
            return parent.putObject(name);
        }
        return n instanceof ObjectNode o ? o : null;
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (value != null && isAbsent(node.get(field))) {
            node.put(field, value);
        }
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull();
    }
}
