package io.quintet.sink.write;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.Context;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.json.UtcTimestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads canonical event JSON straight into a {@link FlatEvent} with Jackson's streaming parser: no {@code CanonicalEvent}
 * records, no immutable copies of the maps, no record-creator bookkeeping (binding the domain object was a quarter of
 * the sink's CPU time). The free-form maps (details, attributes, properties, snapshot, audit request/response) are
 * copied token by token to JSON text, the same text {@link FlatEvent#of(io.quintet.model.CanonicalEvent)} writes for
 * the bound maps.
 * <p>
 * It handles only the plain form every Quintet writer produces: an object whose known fields have their natural JSON
 * types (strings, objects, a number for {@code duration_ms}, a status named as the enum names it, timestamps in
 * the canonical UTC form), no field twice, no unknown top-level field. For anything else (and for JSON that is not
 * well-formed) {@link #read} answers null and the caller decodes the event the general way
 * ({@code CloudEventMapper.fromCloudEvent}), which gives the same row or the typed decoding failure: what is accepted,
 * what is coerced and how a bad event fails stay the domain binding's. Unknown fields inside the known objects are
 * skipped, as the binding ignores them. Thread-safe.
 */
final class CanonicalRowReader {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /** Signals a form that is not the plain one; preallocated and without a stack trace, never leaves this class. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super("not the plain canonical form", null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    /**
     * The flat values of canonical event JSON, or null when it is not in the plain form (or not well-formed JSON:
     * the general decoding reads it again and reports the typed failure).
     */
    FlatEvent read(byte[] json) {
        if (json == null || json.length == 0) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            FlatEvent f = new FlatEvent();
            topLevel(p, f);
            return f;
        } catch (NotPlain | IOException notPlainOrNotJson) {
            // not lost: the caller decodes these bytes the general way, which accepts them or throws the typed failure
            return null;
        }
    }

    private static void topLevel(JsonParser p, FlatEvent f) throws IOException {
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit;
            switch (name) {
                case "id" -> {
                    bit = 1;
                    f.id = string(p, v);
                }
                case "event_timestamp" -> {
                    bit = 1 << 1;
                    f.eventTimestamp = instant(p, v);
                }
                case "observed_timestamp" -> {
                    bit = 1 << 2;
                    f.observedTimestamp = instant(p, v);
                }
                case "source" -> {
                    bit = 1 << 3;
                    f.source = string(p, v);
                }
                case "spec_version" -> {
                    bit = 1 << 4;
                    f.specVersion = string(p, v);
                }
                case "action" -> {
                    bit = 1 << 5;
                    object(p, v, f, CanonicalRowReader::action);
                }
                case "actor" -> {
                    bit = 1 << 6;
                    object(p, v, f, CanonicalRowReader::actor);
                }
                case "entity" -> {
                    bit = 1 << 7;
                    object(p, v, f, CanonicalRowReader::entity);
                }
                case "context" -> {
                    bit = 1 << 8;
                    object(p, v, f, CanonicalRowReader::context);
                }
                case "correlation_id" -> {
                    bit = 1 << 9;
                    f.correlationId = string(p, v);
                }
                case "causation_id" -> {
                    bit = 1 << 10;
                    f.causationId = string(p, v);
                }
                case "organization_id" -> {
                    bit = 1 << 11;
                    f.organizationId = string(p, v);
                }
                default -> throw NOT_PLAIN; // an extension field: the general way keeps it in the extensions column
            }
            seen = once(seen, bit);
        }
        if (t != JsonToken.END_OBJECT) {
            throw NOT_PLAIN;
        }
    }

    /** Reads one known field of an object into the row; answers the field's bit, or 0 for a field the row ignores. */
    @FunctionalInterface
    private interface Fields {
        int read(JsonParser p, String name, JsonToken value, FlatEvent f) throws IOException;
    }

    /**
     * Reads a nested object (or JSON null) whose value token is {@code start}: each field through {@code fields},
     * unknown ones skipped as the binding ignores them; a known field twice is not plain.
     */
    private static void object(JsonParser p, JsonToken start, FlatEvent f, Fields fields) throws IOException {
        if (isNull(start)) {
            return;
        }
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int bit = fields.read(p, name, p.nextToken(), f);
            if (bit == 0) {
                p.skipChildren();
            } else {
                seen = once(seen, bit);
            }
        }
    }

    private static int action(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "name" -> {
                f.actionName = string(p, v);
                yield 1;
            }
            case "type" -> {
                f.actionType = string(p, v);
                yield 2;
            }
            default -> 0;
        };
    }

    private static int actor(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "id" -> {
                f.actorId = string(p, v);
                yield 1;
            }
            case "type" -> {
                f.actorType = string(p, v);
                yield 2;
            }
            case "pseudonym" -> {
                f.actorPseudonym = string(p, v);
                yield 4;
            }
            case "details" -> {
                f.actorDetails = mapJson(p, v);
                yield 8;
            }
            default -> 0;
        };
    }

    private static int entity(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "id" -> {
                f.entityId = string(p, v);
                yield 1;
            }
            case "type" -> {
                f.entityType = string(p, v);
                yield 2;
            }
            case "details" -> {
                f.entityDetails = mapJson(p, v);
                yield 4;
            }
            default -> 0;
        };
    }

    private static int context(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "client" -> {
                object(p, v, f, CanonicalRowReader::client);
                yield 1;
            }
            case "telemetry" -> {
                object(p, v, f, CanonicalRowReader::telemetry);
                yield 2;
            }
            case "domain_specific" -> {
                object(p, v, f, CanonicalRowReader::domainSpecific);
                yield 4;
            }
            case "attributes" -> {
                f.attributes = mapJson(p, v);
                yield 8;
            }
            case "status" -> {
                f.status = status(p, v);
                yield 16;
            }
            case "error" -> {
                object(p, v, f, CanonicalRowReader::error);
                yield 32;
            }
            default -> 0;
        };
    }

    private static int client(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "ip_address" -> {
                string(p, v);
                yield 1;
            } // read as the binding would, never kept
            case "user_agent" -> {
                f.clientUserAgent = string(p, v);
                yield 2;
            }
            case "session_id" -> {
                f.clientSessionId = string(p, v);
                yield 4;
            }
            default -> 0;
        };
    }

    private static int telemetry(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "trace_id" -> {
                f.traceId = string(p, v);
                yield 1;
            }
            case "span_id" -> {
                f.spanId = string(p, v);
                yield 2;
            }
            case "duration_ms" -> {
                if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
                    // an integer too (the audit chain writes an integral duration as 300, as RFC 8785 does): the
                    // binding coerces it to the same double
                    f.durationMs = p.getDoubleValue();
                } else if (v != JsonToken.VALUE_NULL) {
                    throw NOT_PLAIN;
                }
                yield 4;
            }
            default -> 0;
        };
    }

    private static int domainSpecific(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "audit" -> {
                object(p, v, f, CanonicalRowReader::audit);
                yield 1;
            }
            case "analytics" -> {
                object(p, v, f, CanonicalRowReader::analytics);
                yield 2;
            }
            default -> 0;
        };
    }

    private static int audit(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "request" -> {
                f.auditRequest = mapJson(p, v);
                yield 1;
            }
            case "response" -> {
                f.auditResponse = mapJson(p, v);
                yield 2;
            }
            default -> 0;
        };
    }

    private static int analytics(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "properties" -> {
                f.properties = mapJson(p, v);
                yield 1;
            }
            case "user_state_snapshot" -> {
                f.userStateSnapshot = mapJson(p, v);
                yield 2;
            }
            default -> 0;
        };
    }

    private static int error(JsonParser p, String name, JsonToken v, FlatEvent f) throws IOException {
        return switch (name) {
            case "code" -> {
                f.errorCode = string(p, v);
                yield 1;
            }
            case "message" -> {
                f.errorMessage = string(p, v);
                yield 2;
            }
            default -> 0;
        };
    }

    /** True for a JSON null; false for an object to read; not plain for anything else. */
    private static boolean isNull(JsonToken t) {
        if (t == JsonToken.START_OBJECT) {
            return false;
        }
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        throw NOT_PLAIN;
    }

    /** {@code seen} with {@code bit} added; a field that comes twice is not plain (the binding keeps the last). */
    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw NOT_PLAIN;
        }
        return seen | bit;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NOT_PLAIN; // numbers and booleans the binding would coerce, objects it would refuse
    }

    private static Instant instant(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw NOT_PLAIN;
        }
        Instant parsed = UtcTimestamps.parse(p.getText());
        if (parsed == null) {
            throw NOT_PLAIN;
        }
        return parsed;
    }

    private static String status(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            for (Context.Status status : STATUSES) {
                if (status.name().equals(s)) {
                    return status.name();
                }
            }
        }
        throw NOT_PLAIN;
    }

    private static final Context.Status[] STATUSES = Context.Status.values();

    /**
     * A free-form object as the JSON text the row holds (null for null or an empty object): the tokens are copied to
     * the canonical mapper's generator as {@link EventRowMapper#json} writes the bound map (integers as int, long or
     * BigInteger, decimals as BigDecimal, strings, booleans, nulls, arrays and objects). A key twice in one object is
     * not plain (a bound map keeps the last value at the first key's place).
     */
    private static String mapJson(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw NOT_PLAIN;
        }
        if (p.nextToken() == JsonToken.END_OBJECT) {
            return null; // an empty map has no JSON column value
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            copyFields(p, g);
        }
        return out.toString();
    }

    /** Copies the fields of an object whose first field name is the current token, up to its end (written). */
    private static void copyFields(JsonParser p, JsonGenerator g) throws IOException {
        String first = null;
        List<String> names = null;
        for (JsonToken t = p.currentToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            if (first == null) {
                first = name;
            } else {
                if (names == null) {
                    names = new ArrayList<>(8);
                    names.add(first);
                }
                if (names.contains(name)) {
                    throw NOT_PLAIN;
                }
                names.add(name);
            }
            g.writeFieldName(name);
            copyValue(p, p.nextToken(), g);
        }
        g.writeEndObject();
    }

    private static void copyValue(JsonParser p, JsonToken t, JsonGenerator g) throws IOException {
        switch (t) {
            case VALUE_STRING -> g.writeString(p.getText());
            case VALUE_NUMBER_INT -> {
                switch (p.getNumberType()) {
                    case INT -> g.writeNumber(p.getIntValue());
                    case LONG -> g.writeNumber(p.getLongValue());
                    default -> g.writeNumber(p.getBigIntegerValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDecimalValue());
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            case VALUE_NULL -> g.writeNull();
            case START_ARRAY -> {
                g.writeStartArray();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    copyValue(p, e, g);
                }
                g.writeEndArray();
            }
            case START_OBJECT -> {
                g.writeStartObject();
                if (p.nextToken() == JsonToken.END_OBJECT) {
                    g.writeEndObject();
                } else {
                    copyFields(p, g);
                }
            }
            default -> throw NOT_PLAIN;
        }
    }
}
