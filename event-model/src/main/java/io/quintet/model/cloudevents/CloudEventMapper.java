package io.quintet.model.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.otel.TraceParent;
import io.quintet.model.schema.CanonicalSchema;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps canonical events to CloudEvents and back, as the envelope table in ARCHITECTURE.md says:
 * <pre>
 *   id              = id                       source   = source
 *   type            = action.name              time     = event_timestamp
 *   subject         = entity.type/entity.id    datacontenttype = application/json
 *   dataschema      = {@link CanonicalSchema#ID}
 *   traceparent     = 00-telemetry.trace_id-telemetry.span_id-01 (W3C trace context)
 *   partitionkey    = the record key (actor id on events.raw, pseudonym on events.canonical)
 *   data            = the canonical event as JSON
 * </pre>
 * Reading is lenient where it is safe: a field missing from the data is taken from the envelope
 * (id, source, type, time, traceparent), but an envelope that contradicts the data is an
 * {@link Reason#ENVELOPE_MISMATCH}.
 */
public final class CloudEventMapper {
    public static final String CONTENT_TYPE = "application/json";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String PARTITION_KEY = "partitionkey";

    private CloudEventMapper() {
    }

    public static CloudEvent toCloudEvent(CanonicalEvent event) {
        return toCloudEvent(event, event.actor() == null ? null : event.actor().id());
    }

    public static CloudEvent toCloudEvent(CanonicalEvent event, String partitionKey) {
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.action().name())
                .withDataContentType(CONTENT_TYPE)
                .withDataSchema(CanonicalSchema.ID)
                .withData(CONTENT_TYPE, CanonicalJson.toBytes(event));
        if (event.eventTimestamp() != null) {
            b.withTime(event.eventTimestamp().atOffset(ZoneOffset.UTC));
        }
        if (event.entity() != null && event.entity().subject() != null) {
            b.withSubject(event.entity().subject());
        }
        traceParentOf(event).ifPresent(tp -> b.withExtension(TRACEPARENT, tp.toString()));
        if (partitionKey != null) {
            b.withExtension(PARTITION_KEY, partitionKey);
        }
        return b.build();
    }

    /** The W3C trace context of the event, when its telemetry carries valid trace and span ids. */
    public static Optional<TraceParent> traceParentOf(CanonicalEvent event) {
        Context.Telemetry t = event.contextOrEmpty().telemetry();
        if (t == null || t.traceId() == null || t.spanId() == null) {
            return Optional.empty();
        }
        return TraceParent.of(t.traceId(), t.spanId());
    }

    /** Maps a CloudEvent whose data is a canonical event; typed {@link EventDecodingException} otherwise. */
    public static CanonicalEvent fromCloudEvent(CloudEvent ce) {
        CloudEventData data = ce.getData();
        if (data == null) {
            throw new EventDecodingException(Reason.NOT_CANONICAL, "CloudEvent " + ce.getId() + " has no data");
        }
        String contentType = ce.getDataContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new EventDecodingException(Reason.NOT_CANONICAL, "CloudEvent " + ce.getId()
                    + " has datacontenttype '" + contentType + "'; expected application/json");
        }
        JsonNode tree = CanonicalJson.parseTree(data.toBytes());
        if (!tree.isObject()) {
            return CanonicalJson.fromTree(tree); // raises NOT_CANONICAL with the node type
        }
        ObjectNode obj = (ObjectNode) tree;
        reconcile(obj, "id", ce.getId(), "id");
        reconcile(obj, "source", ce.getSource() == null ? null : ce.getSource().toString(), "source");
        JsonNode action = obj.get("action");
        if (action == null || action.isNull()) {
            action = obj.putObject("action");
        }
        if (action.isObject()) {
            reconcile((ObjectNode) action, "name", ce.getType(), "type");
        }
        reconcileTime(obj, ce.getTime());
        fillTraceContext(obj, ce);
        return CanonicalJson.fromTree(obj);
    }

    private static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String base = (semi >= 0 ? ct.substring(0, semi) : ct).trim();
        return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
    }

    private static void reconcile(ObjectNode obj, String field, String envelopeValue, String attribute) {
        if (envelopeValue == null) {
            return;
        }
        JsonNode current = obj.get(field);
        if (current == null || current.isNull()) {
            obj.put(field, envelopeValue);
        } else if (!current.isTextual() || !current.asText().equals(envelopeValue)) {
            throw new EventDecodingException(Reason.ENVELOPE_MISMATCH, "CloudEvent attribute '" + attribute
                    + "' does not match the data's '" + field + "'");
        }
    }

    private static void reconcileTime(ObjectNode obj, OffsetDateTime time) {
        if (time == null) {
            return;
        }
        JsonNode current = obj.get("event_timestamp");
        if (current == null || current.isNull()) {
            obj.put("event_timestamp", time.toInstant().toString());
            return;
        }
        try {
            Instant dataTime = OffsetDateTime.parse(current.asText()).toInstant();
            if (!dataTime.equals(time.toInstant())) {
                throw new EventDecodingException(Reason.ENVELOPE_MISMATCH,
                        "CloudEvent attribute 'time' does not match the data's 'event_timestamp'");
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new EventDecodingException(Reason.NOT_CANONICAL, "event_timestamp is not an RFC 3339 date-time", e);
        }
    }

    private static void fillTraceContext(ObjectNode obj, CloudEvent ce) {
        Object tpValue = ce.getExtension(TRACEPARENT);
        if (tpValue == null) {
            return;
        }
        Optional<TraceParent> tp = TraceParent.parse(tpValue.toString());
        if (tp.isEmpty()) {
            return;
        }
        ObjectNode context = obj.get("context") instanceof ObjectNode c ? c : obj.putObject("context");
        ObjectNode telemetry = context.get("telemetry") instanceof ObjectNode t ? t : context.putObject("telemetry");
        if (!telemetry.hasNonNull("trace_id") && !telemetry.hasNonNull("span_id")) {
            telemetry.put("trace_id", tp.get().traceId());
            telemetry.put("span_id", tp.get().spanId());
        }
    }
}
