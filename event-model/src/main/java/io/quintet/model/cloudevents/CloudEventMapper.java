package io.quintet.model.cloudevents;

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
 *   organizationid  = organization_id (the tenant), when the event has one
 *   data            = the canonical event as JSON
 * </pre>
 * Reading is lenient where it is safe: a field missing from the data is taken from the envelope
 * (id, source, type, time, traceparent, organizationid), but an envelope that contradicts the data is an
 * {@link Reason#ENVELOPE_MISMATCH}.
 */
public final class CloudEventMapper {
    public static final String CONTENT_TYPE = "application/json";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String PARTITION_KEY = "partitionkey";
    /** CloudEvents extension attribute of {@code organization_id} (extension names are lower-case alphanumerics). */
    public static final String ORGANIZATION_ID = "organizationid";

    private CloudEventMapper() {}

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
        if (event.organizationId() != null) {
            b.withExtension(ORGANIZATION_ID, event.organizationId());
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
            throw new EventDecodingException(
                    Reason.NOT_CANONICAL,
                    "CloudEvent " + ce.getId() + " has datacontenttype '" + contentType
                            + "'; expected application/json");
        }
        return fromCloudEvent(ce, CanonicalJson.fromBytes(data.toBytes()));
    }

    /**
     * Like {@link #fromCloudEvent(CloudEvent)}, for a caller that already decoded the data ({@code event}): checks it
     * against the envelope and fills what the data left out. Returns {@code event} itself when nothing was filled in.
     */
    public static CanonicalEvent fromCloudEvent(CloudEvent ce, CanonicalEvent event) {
        CanonicalEvent.Builder b = null;
        String source = ce.getSource() == null ? null : ce.getSource().toString();
        if (event.id() == null && ce.getId() != null) {
            b = builder(b, event).id(ce.getId());
        } else {
            check(event.id(), ce.getId(), "id", "id");
        }
        if (event.source() == null && source != null) {
            b = builder(b, event).source(source);
        } else {
            check(event.source(), source, "source", "source");
        }
        String name = event.action() == null ? null : event.action().name();
        if (name == null && ce.getType() != null) {
            b = builder(b, event)
                    .action(new io.quintet.model.Action(
                            ce.getType(),
                            event.action() == null ? null : event.action().type()));
        } else {
            check(name, ce.getType(), "type", "action.name");
        }
        // checked before time: EventDecoder names the contradicted field in this order
        Object organization = ce.getExtension(ORGANIZATION_ID);
        if (organization != null) {
            if (event.organizationId() == null) {
                b = builder(b, event).organizationId(organization.toString());
            } else {
                check(event.organizationId(), organization.toString(), ORGANIZATION_ID, "organization_id");
            }
        }
        if (ce.getTime() != null) {
            Instant envelopeTime = ce.getTime().toInstant();
            if (event.eventTimestamp() == null) {
                b = builder(b, event).eventTimestamp(envelopeTime);
            } else if (!event.eventTimestamp().equals(envelopeTime)) {
                throw new EventDecodingException(
                        Reason.ENVELOPE_MISMATCH,
                        "CloudEvent attribute 'time' does not match the data's 'event_timestamp'");
            }
        }
        Optional<TraceParent> tp = traceParentExtension(ce);
        Context.Telemetry t = event.contextOrEmpty().telemetry();
        if (tp.isPresent() && (t == null || (t.traceId() == null && t.spanId() == null))) {
            Context.Telemetry filled =
                    new Context.Telemetry(tp.get().traceId(), tp.get().spanId(), t == null ? null : t.durationMs());
            b = builder(b, event).context(event.contextOrEmpty().withTelemetry(filled));
        }
        return b == null ? event : b.build();
    }

    private static CanonicalEvent.Builder builder(CanonicalEvent.Builder b, CanonicalEvent event) {
        return b != null ? b : event.toBuilder();
    }

    private static void check(String dataValue, String envelopeValue, String attribute, String field) {
        if (dataValue != null && envelopeValue != null && !dataValue.equals(envelopeValue)) {
            throw new EventDecodingException(
                    Reason.ENVELOPE_MISMATCH,
                    "CloudEvent attribute '" + attribute + "' does not match the data's '" + field + "'");
        }
    }

    private static Optional<TraceParent> traceParentExtension(CloudEvent ce) {
        Object v = ce.getExtension(TRACEPARENT);
        return v == null ? Optional.empty() : TraceParent.parse(v.toString());
    }

    private static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String base = (semi >= 0 ? ct.substring(0, semi) : ct).trim();
        return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
    }
}
