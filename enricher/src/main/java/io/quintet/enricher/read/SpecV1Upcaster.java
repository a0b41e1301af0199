package io.quintet.enricher.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Canonical events 1.0 to 2.0. Version 1.0 events were flat:
 * <pre>
 *   {"id", "timestamp", "source", "spec_version": "1.0", "action": "billing.invoice.created", "action_type": "create",
 *    "user_id": "...", "properties": {...}, ...}
 * </pre>
 * 2.0 renames {@code timestamp} to {@code event_timestamp}, makes {@code action} an object
 * ({@code name}, {@code type}; a 1.0 event without {@code action_type} gets {@code other}), moves {@code user_id}
 * to {@code actor} (type user) and top-level {@code properties} to {@code context.domain_specific.analytics.properties}.
 * Fields 1.0 and 2.0 share are left alone.
 */
public final class SpecV1Upcaster implements Upcaster {

    @Override
    public String fromVersion() {
        return "1.0";
    }

    @Override
    public String toVersion() {
        return "2.0";
    }

    @Override
    public void upcast(ObjectNode e) {
        if (e.has("timestamp") && !e.has("event_timestamp")) {
            e.set("event_timestamp", e.remove("timestamp"));
        }
        JsonNode action = e.get("action");
        if (action != null && action.isTextual()) {
            ObjectNode a = e.objectNode();
            a.put("name", action.asText());
            JsonNode type = e.remove("action_type");
            a.put("type", type != null && type.isTextual() ? type.asText() : "other");
            e.set("action", a);
        }
        JsonNode userId = e.get("user_id");
        if (userId != null && userId.isTextual() && !e.has("actor")) {
            e.remove("user_id");
            e.putObject("actor").put("id", userId.asText()).put("type", "user");
        }
        JsonNode props = e.get("properties");
        if (props != null && props.isObject()) {
            e.remove("properties");
            ObjectNode context = e.get("context") instanceof ObjectNode c ? c : e.putObject("context");
            ObjectNode ds =
                    context.get("domain_specific") instanceof ObjectNode d ? d : context.putObject("domain_specific");
            ObjectNode analytics = ds.get("analytics") instanceof ObjectNode an ? an : ds.putObject("analytics");
            ObjectNode existing =
                    analytics.get("properties") instanceof ObjectNode p ? p : analytics.putObject("properties");
            props.properties().forEach(en -> {
                if (!existing.has(en.getKey())) {
                    existing.set(en.getKey(), en.getValue());
                }
            });
        }
        e.put("spec_version", toVersion());
    }
}
