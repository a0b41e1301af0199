package io.quintet.sink.read;

import static io.quintet.sink.write.EventTableLayout.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Map;
import org.apache.iceberg.data.Record;

/**
 * A row of the events table back into the canonical event it was made from: the inverse of
 * {@link io.quintet.sink.write.EventRowMapper}. A row that carries {@code event_json} (chained events) gives that JSON, the
 * exact data that was on {@code events.canonical}; any other row is rebuilt from its columns (JSON columns parsed
 * back into maps, unknown top-level fields from {@code extensions}). Mapping the result again gives the same row.
 * The client IP address is not in the table, so it is never in the result either; everything else the table holds is
 * already pseudonymous, as on {@code events.canonical}.
 */
public final class RowToEvent {
    private static final ObjectMapper JSON = CanonicalJson.newMapper();

    private RowToEvent() {}

    public static CanonicalEvent of(Record row) {
        String eventJson = field(row, EVENT_JSON);
        if (eventJson != null) {
            return CanonicalJson.fromJson(eventJson);
        }
        ObjectNode e = JSON.createObjectNode();
        put(e, "id", field(row, EVENT_ID));
        put(e, "event_timestamp", time(row, EVENT_TIMESTAMP));
        put(e, "observed_timestamp", time(row, OBSERVED_TIMESTAMP));
        put(e, "source", field(row, SOURCE));
        put(e, "spec_version", field(row, SPEC_VERSION));
        ObjectNode action = JSON.createObjectNode();
        put(action, "name", field(row, ACTION_NAME));
        put(action, "type", field(row, ACTION_TYPE));
        attach(e, "action", action);
        ObjectNode actor = JSON.createObjectNode();
        put(actor, "id", field(row, ACTOR_ID));
        put(actor, "type", field(row, ACTOR_TYPE));
        put(actor, "pseudonym", field(row, ACTOR_PSEUDONYM));
        putJson(actor, "details", field(row, ACTOR_DETAILS));
        attach(e, "actor", actor);
        ObjectNode entity = JSON.createObjectNode();
        put(entity, "id", field(row, ENTITY_ID));
        put(entity, "type", field(row, ENTITY_TYPE));
        putJson(entity, "details", field(row, ENTITY_DETAILS));
        attach(e, "entity", entity);

        ObjectNode context = JSON.createObjectNode();
        ObjectNode client = JSON.createObjectNode();
        put(client, "user_agent", field(row, CLIENT_USER_AGENT));
        put(client, "session_id", field(row, CLIENT_SESSION_ID));
        attach(context, "client", client);
        ObjectNode telemetry = JSON.createObjectNode();
        put(telemetry, "trace_id", field(row, TRACE_ID));
        put(telemetry, "span_id", field(row, SPAN_ID));
        Double duration = field(row, DURATION_MS);
        if (duration != null) {
            telemetry.put("duration_ms", duration);
        }
        attach(context, "telemetry", telemetry);
        ObjectNode domain = JSON.createObjectNode();
        ObjectNode audit = JSON.createObjectNode();
        putJson(audit, "request", field(row, AUDIT_REQUEST));
        putJson(audit, "response", field(row, AUDIT_RESPONSE));
        attach(domain, "audit", audit);
        ObjectNode analytics = JSON.createObjectNode();
        putJson(analytics, "properties", field(row, PROPERTIES));
        putJson(analytics, "user_state_snapshot", field(row, USER_STATE_SNAPSHOT));
        attach(domain, "analytics", analytics);
        attach(context, "domain_specific", domain);
        putJson(context, "attributes", field(row, ATTRIBUTES));
        put(context, "status", field(row, STATUS));
        ObjectNode error = JSON.createObjectNode();
        put(error, "code", field(row, ERROR_CODE));
        put(error, "message", field(row, ERROR_MESSAGE));
        attach(context, "error", error);
        attach(e, "context", context);

        put(e, "correlation_id", field(row, CORRELATION_ID));
        put(e, "causation_id", field(row, CAUSATION_ID));
        put(e, "organization_id", field(row, ORGANIZATION_ID));
        CanonicalEvent event = CanonicalJson.fromTree(e);
        String extensions = field(row, EXTENSIONS);
        if (extensions == null) {
            return event;
        }
        // through the builder, in the column's order (Jackson's any-setter would not keep it)
        CanonicalEvent.Builder b = event.toBuilder();
        JsonNode ext = parse(extensions, EXTENSIONS);
        for (Iterator<Map.Entry<String, JsonNode>> it = ext.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("organization_id")
                    && !e.has("organization_id")
                    && f.getValue().isTextual()) {
                // a row of a sink version before the organization_id column kept the field here
                b.organizationId(f.getValue().asText());
            } else if (!e.has(f.getKey())) {
                b.extension(f.getKey(), value(f.getValue()));
            }
        }
        return b.build();
    }

    private static Object value(JsonNode node) {
        try {
            return JSON.treeToValue(node, Object.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("column " + EXTENSIONS + " holds a value that is not plain JSON", ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Record row, String name) {
        return row.struct().field(name) == null ? null : (T) row.getField(name);
    }

    private static String time(Record row, String name) {
        OffsetDateTime t = field(row, name);
        return t == null ? null : t.toInstant().toString();
    }

    private static void put(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void putJson(ObjectNode node, String name, String json) {
        if (json != null) {
            node.set(name, parse(json, name));
        }
    }

    private static void attach(ObjectNode parent, String name, ObjectNode child) {
        if (!child.isEmpty()) {
            parent.set(name, child);
        }
    }

    private static JsonNode parse(String json, String column) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("column " + column + " does not hold JSON", e);
        }
    }
}
