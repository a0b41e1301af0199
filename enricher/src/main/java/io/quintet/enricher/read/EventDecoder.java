package io.quintet.enricher.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.enricher.pipeline.Checked;
import io.quintet.enricher.validate.SchemaCheck;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.OrganizationId;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.schema.CanonicalSchema.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * Step 1, read: one raw {@code events.raw} record to a canonical event or a typed rejection.
 * <ol>
 *   <li>size: value plus headers over {@link EventLimits#maxRecordBytes()}: {@code size_violation} (nothing is parsed);</li>
 *   <li>the CloudEvent envelope, binary or structured mode: none, or malformed: {@code unparseable};</li>
 *   <li>the data as JSON: not JSON: {@code unparseable}; not an object: {@code schema_violation};</li>
 *   <li>upcast older {@code spec_version}s ({@link Upcasters}) and resolve legacy event names (tracking plan
 *       aliases), on the JSON tree, before anything checks the current rules;</li>
 *   <li>map to the canonical model ({@link CloudEventMapper}): wrong shapes and envelope contradictions are
 *       {@code schema_violation} with the JSON pointers of the failing fields;</li>
 *   <li>stamp {@code observed_timestamp} (the raw record's timestamp) when absent and the current
 *       {@code spec_version}.</li>
 * </ol>
 * An event that needs none of the tree work (the common case) is decoded in one pass, bytes to record
 * ({@code decodeAsReceived}); anything else, rejections included, takes the general path above.
 * Thread-safe.
 */
public final class EventDecoder {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();

    private final Upcasters upcasters;
    private final Map<String, String> eventAliases;
    private final SchemaCheck schema;
    private final EventLimits limits;

    public EventDecoder(Upcasters upcasters, Map<String, String> eventAliases, SchemaCheck schema, EventLimits limits) {
        this.upcasters = upcasters;
        this.eventAliases = Map.copyOf(eventAliases);
        this.schema = schema;
        this.limits = limits;
    }

    public Checked decode(Headers headers, byte[] value, long recordTimestamp) {
        EventLimits.Violation tooLarge = limits.checkRecord(headers, value);
        if (tooLarge != null) {
            return Checked.rejected(value, Rejection.of(tooLarge));
        }
        if (value == null) {
            return Checked.rejected(
                    null, Rejection.of(DlqReason.UNPARSEABLE, "no_data", "record has no value (tombstone)"));
        }
        CloudEvent ce;
        try {
            ce = CloudEventSerde.readCloudEvent(headers, value);
        } catch (EventDecodingException e) {
            return Checked.rejected(
                    value, Rejection.of(DlqReason.UNPARSEABLE, e.reason().code(), e.getMessage()));
        }
        if (ce.getData() == null) {
            return Checked.rejected(
                    value,
                    Rejection.atPointer(
                            DlqReason.SCHEMA_VIOLATION,
                            "no_data",
                            "/",
                            "required",
                            "CloudEvent has no data; expected a canonical event"));
        }
        if (ce.getDataContentType() != null && !isJson(ce.getDataContentType())) {
            return Checked.rejected(
                    value, Rejection.of(DlqReason.UNPARSEABLE, "not_json", "CloudEvent datacontenttype is not JSON"));
        }
        byte[] data = ce.getData().toBytes();
        Checked asReceived = decodeAsReceived(ce, value, data, recordTimestamp);
        if (asReceived != null) {
            return asReceived;
        }
        JsonNode tree;
        try {
            tree = CanonicalJson.parseTree(data);
        } catch (EventDecodingException e) {
            return Checked.rejected(value, Rejection.of(DlqReason.UNPARSEABLE, "not_json", e.getMessage()));
        }
        if (!(tree instanceof ObjectNode obj)) {
            return Checked.rejected(
                    value,
                    Rejection.atPointer(
                            DlqReason.SCHEMA_VIOLATION,
                            "not_canonical",
                            "/",
                            "type",
                            "event data is a JSON " + tree.getNodeType().name().toLowerCase(Locale.ROOT)
                                    + ", expected an object"));
        }
        boolean changed;
        try {
            changed = upcasters.upcast(obj);
        } catch (Upcasters.UnsupportedVersionException e) {
            return Checked.rejected(
                    value,
                    Rejection.atPointer(
                            DlqReason.SCHEMA_VIOLATION,
                            "unsupported_spec_version",
                            "/spec_version",
                            "spec_version",
                            e.getMessage()));
        }
        String type = resolveAlias(obj, ce.getType());
        changed |= !type.equals(ce.getType());
        CloudEvent mapped = changed ? rebuild(ce, type, obj) : ce;
        CanonicalEvent event;
        try {
            event = CloudEventMapper.fromCloudEvent(mapped);
        } catch (EventDecodingException e) {
            return Checked.rejected(value, notCanonical(e, mapped, obj));
        }
        return Checked.accepted(value, stamp(event, recordTimestamp));
    }

    /**
     * The common case in one pass: the data decodes straight to a canonical event of the current spec_version that no
     * alias renames. Returns null when the general path (JSON tree, upcasters, aliases) must run; that path also
     * builds every rejection, so nothing is rejected here. The event is accepted as received (its bytes are what
     * schema validation reads) unless the envelope filled something in or observed_timestamp had to be stamped.
     */
    private Checked decodeAsReceived(CloudEvent ce, byte[] value, byte[] data, long recordTimestamp) {
        CanonicalEvent parsed;
        try {
            parsed = CanonicalJson.fromBytes(data);
        } catch (EventDecodingException e) {
            return null;
        }
        if (parsed.specVersion() != null && !parsed.specVersion().equals(upcasters.current())) {
            return null;
        }
        String name = parsed.action() == null ? null : parsed.action().name();
        if ((name != null && eventAliases.containsKey(name))
                || (ce.getType() != null && eventAliases.containsKey(ce.getType()))) {
            return null;
        }
        CanonicalEvent event;
        try {
            event = CloudEventMapper.fromCloudEvent(ce, parsed);
        } catch (EventDecodingException e) {
            return null;
        }
        CanonicalEvent stamped = stamp(event, recordTimestamp);
        return event == parsed && parsed.observedTimestamp() != null
                ? Checked.acceptedAsReceived(value, stamped, data)
                : Checked.accepted(value, stamped);
    }

    private CanonicalEvent stamp(CanonicalEvent event, long recordTimestamp) {
        boolean needsObserved = event.observedTimestamp() == null;
        boolean needsVersion = !upcasters.current().equals(event.specVersion());
        if (!needsObserved && !needsVersion) {
            return event;
        }
        CanonicalEvent.Builder b = event.toBuilder();
        if (needsObserved) {
            b.observedTimestamp(Instant.ofEpochMilli(recordTimestamp));
        }
        return b.specVersion(upcasters.current()).build();
    }

    /** Applies a legacy alias to the data's action name and to the envelope type; returns the envelope type to use. */
    private String resolveAlias(ObjectNode obj, String ceType) {
        if (obj.get("action") instanceof ObjectNode a
                && a.get("name") != null
                && a.get("name").isTextual()) {
            String planned = eventAliases.get(a.get("name").asText());
            if (planned != null) {
                a.put("name", planned);
            }
        }
        return eventAliases.getOrDefault(ceType, ceType);
    }

    private static CloudEvent rebuild(CloudEvent ce, String type, ObjectNode data) {
        try {
            String contentType =
                    ce.getDataContentType() == null ? CloudEventMapper.CONTENT_TYPE : ce.getDataContentType();
            return CloudEventBuilder.v1(ce)
                    .withType(type)
                    .withData(contentType, MAPPER.writeValueAsBytes(data))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Rejection notCanonical(EventDecodingException e, CloudEvent ce, ObjectNode data) {
        switch (e.reason()) {
            case UNPARSEABLE, NOT_A_CLOUDEVENT -> {
                return Rejection.of(DlqReason.UNPARSEABLE, e.reason().code(), e.getMessage());
            }
            case ENVELOPE_MISMATCH -> {
                return Rejection.atPointer(
                        DlqReason.SCHEMA_VIOLATION,
                        "envelope_mismatch",
                        mismatchPointer(ce, data),
                        "envelope",
                        e.getMessage());
            }
            default -> {
                List<Violation> violations = schema.validate(data.toString());
                if (violations.isEmpty()) {
                    violations = List.of(new Violation("/", "type", e.getMessage()));
                }
                return new Rejection(DlqReason.SCHEMA_VIOLATION, "not_canonical", e.getMessage(), violations);
            }
        }
    }

    /** Which field the envelope contradicts (the SDK message names the attribute, the pointer names the field). */
    private static String mismatchPointer(CloudEvent ce, ObjectNode data) {
        if (differs(data.get("id"), ce.getId())) {
            return "/id";
        }
        if (ce.getSource() != null && differs(data.get("source"), ce.getSource().toString())) {
            return "/source";
        }
        if (differs(data.at("/action/name"), ce.getType())) {
            return "/action/name";
        }
        Object organization = ce.getExtension(CloudEventMapper.ORGANIZATION_ID);
        if (organization != null && differs(data.get(OrganizationId.FIELD), organization.toString())) {
            return "/" + OrganizationId.FIELD;
        }
        return "/event_timestamp";
    }

    private static boolean differs(JsonNode field, String envelope) {
        return envelope != null
                && field != null
                && !field.isMissingNode()
                && !field.isNull()
                && !(field.isTextual() && field.asText().equals(envelope));
    }

    static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String base = (semi >= 0 ? ct.substring(0, semi) : ct).trim();
        return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
    }
}
