package io.quintet.enricher.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.Action;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.schema.CanonicalSchema;
import io.quintet.model.schema.CanonicalSchema.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The canonical JSON Schema (event-model's, validated by networknt json-schema-validator), with the
 * {@code action.type} enum extended by configuration when extra action types are configured. An event that the
 * one-pass {@link FastSchemaCheck} certainly accepts is valid without the schema walk; every other event is
 * validated by the JSON Schema (the oracle), which names each violation. Thread-safe.
 */
public final class SchemaCheck {
    private final CanonicalSchema schema;
    private final Set<String> actionTypes;
    private final FastSchemaCheck fast;

    public SchemaCheck(Set<String> extraActionTypes) {
        Set<String> types = new LinkedHashSet<>(
                List.of("create", "read", "update", "delete", "execute", "access", "communicate", "other"));
        types.addAll(extraActionTypes); // the standard eight first, in the schema's order
        this.actionTypes = Set.copyOf(types);
        this.schema = types.size() == Action.DEFAULT_TYPES.size()
                ? CanonicalSchema.load()
                : CanonicalSchema.fromText(withActionTypes(types));
        this.fast = new FastSchemaCheck(this.actionTypes);
    }

    public static SchemaCheck standard() {
        return new SchemaCheck(Set.of());
    }

    public List<Violation> validate(String json) {
        return fast.accepts(json) ? List.of() : schema.validate(json);
    }

    /** Validates UTF-8 JSON bytes. */
    public List<Violation> validate(byte[] json) {
        return fast.accepts(json) ? List.of() : schema.validate(json);
    }

    /** The JSON Schema validator alone, without the fast path (the oracle). */
    public List<Violation> validateWithSchema(String json) {
        return schema.validate(json);
    }

    /** The JSON Schema validator alone, without the fast path (the oracle). */
    public List<Violation> validateWithSchema(byte[] json) {
        return schema.validate(json);
    }

    /**
     * Whether the one-pass check certainly accepts the UTF-8 JSON: then it is valid against the schema and its
     * action name follows {@link io.quintet.model.ActionName}'s rule; false says nothing (ask {@link #validate}).
     */
    public boolean certainlyValid(byte[] json) {
        return fast.accepts(json);
    }

    public Set<String> actionTypes() {
        return actionTypes;
    }

    private static String withActionTypes(Set<String> types) {
        ObjectMapper mapper = CanonicalJson.newMapper();
        try {
            ObjectNode root = (ObjectNode) mapper.readTree(CanonicalSchema.text());
            ObjectNode type = (ObjectNode) root.at("/properties/action/properties/type");
            ArrayNode values = type.putArray("enum");
            types.forEach(values::add);
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("canonical schema could not be extended", e);
        }
    }
}
