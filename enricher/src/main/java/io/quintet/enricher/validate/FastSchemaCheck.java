package io.quintet.enricher.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.quintet.model.OrganizationId;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.otel.TraceParent;
import io.quintet.model.schema.CanonicalSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A one-pass streaming check of the canonical JSON Schema, written for its version 2.0 text: {@link #accepts} says
 * {@code true} only when the event is certainly valid against the schema; {@code false} means "not certain", and the
 * JSON Schema validator ({@link CanonicalSchema}, the oracle) then decides and names every violation. So the verdict
 * of {@link SchemaCheck} never depends on this class, only its cost does.
 * <p>
 * Conservative on purpose: formats are accepted in their common, unambiguous forms only (a UTC date-time with
 * {@code Z}; an IPv4 address; a {@code source} that is a plain relative reference); anything else (offsets, IPv6,
 * URIs with a scheme, nulls, numbers below zero, trailing data, a parse error) goes to the oracle.
 * It is pinned to the schema text it was written for ({@link #SCHEMA_SHA256}): when the bundled schema changes, the
 * check turns itself off (every event goes to the oracle) until it is updated, and {@code FastSchemaCheckTest} fails.
 * Thread-safe.
 */
public final class FastSchemaCheck {
    /** SHA-256 of the canonical schema text this check implements. */
    static final String SCHEMA_SHA256 = "bbf71d5e550f104c0fdd286bc5046075ba5284837e475bc44474436a72bc0300";

    private static final JsonFactory JSON = CanonicalJson.newMapper().getFactory();
    private static final Set<String> ACTOR_TYPES = Set.of("user", "service", "anonymous", "system");
    private static final Set<String> STATUSES = Set.of("SUCCESS", "FAILURE", "PENDING", "UNKNOWN");

    private static final int ID = 1, EVENT_TS = 2, OBSERVED_TS = 4, SOURCE = 8, ACTION = 16, ACTOR = 32;
    private static final int REQUIRED = ID | EVENT_TS | OBSERVED_TS | SOURCE | ACTION | ACTOR;

    private final Set<String> actionTypes;
    private final boolean enabled;

    /** @param actionTypes the {@code action.type} enum (the schema's eight, plus configured extras) */
    public FastSchemaCheck(Set<String> actionTypes) {
        this(actionTypes, CanonicalSchema.text());
    }

    FastSchemaCheck(Set<String> actionTypes, String schemaText) {
        this.actionTypes = Set.copyOf(actionTypes);
        this.enabled = SCHEMA_SHA256.equals(sha256(schemaText));
    }

    /** Whether the check is in use (the bundled schema is the one it was written for). */
    public boolean enabled() {
        return enabled;
    }

    /** True when the UTF-8 JSON is certainly valid against the canonical schema; false: ask the oracle. */
    public boolean accepts(byte[] json) {
        if (!enabled) {
            return false;
        }
        try (JsonParser p = JSON.createParser(json)) {
            return root(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public boolean accepts(String json) {
        return accepts(json.getBytes(StandardCharsets.UTF_8));
    }

    private boolean root(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok;
            switch (name) {
                case "id" -> {
                    ok = v == JsonToken.VALUE_STRING && uuid(Text.of(p));
                    seen |= ID;
                }
                case "event_timestamp" -> {
                    ok = v == JsonToken.VALUE_STRING && utcDateTime(Text.of(p));
                    seen |= EVENT_TS;
                }
                case "observed_timestamp" -> {
                    ok = v == JsonToken.VALUE_STRING && utcDateTime(Text.of(p));
                    seen |= OBSERVED_TS;
                }
                case "source" -> {
                    ok = v == JsonToken.VALUE_STRING && relativeReference(Text.of(p));
                    seen |= SOURCE;
                }
                case "spec_version", "correlation_id", "causation_id" -> ok = v == JsonToken.VALUE_STRING;
                case "organization_id" -> ok = v == JsonToken.VALUE_STRING && OrganizationId.isValid(Text.of(p));
                case "action" -> {
                    ok = v == JsonToken.START_OBJECT && action(p);
                    seen |= ACTION;
                }
                case "actor" -> {
                    ok = v == JsonToken.START_OBJECT && actor(p);
                    seen |= ACTOR;
                }
                case "entity" -> ok = v == JsonToken.START_OBJECT && entity(p);
                case "context" -> ok = v == JsonToken.START_OBJECT && context(p);
                default -> {
                    p.skipChildren();
                    ok = true;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT && seen == REQUIRED && p.nextToken() == null;
    }

    private boolean action(JsonParser p) throws IOException {
        boolean name = false, type = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    if (v != JsonToken.VALUE_STRING || !actionName(Text.of(p))) {
                        return false;
                    }
                    name = true;
                }
                case "type" -> {
                    if (v != JsonToken.VALUE_STRING || !actionTypes.contains(p.getText())) {
                        return false;
                    }
                    type = true;
                }
                default -> p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT && name && type;
    }

    private boolean actor(JsonParser p) throws IOException {
        boolean id = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok;
            switch (field) {
                case "id" -> {
                    ok = v == JsonToken.VALUE_STRING && p.getTextLength() > 0;
                    id = true;
                }
                case "type" -> ok = v == JsonToken.VALUE_STRING && ACTOR_TYPES.contains(p.getText());
                case "pseudonym" -> ok = v == JsonToken.VALUE_STRING;
                case "details" -> ok = object(p, v);
                default -> {
                    p.skipChildren();
                    ok = true;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT && id;
    }

    private boolean entity(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok = switch (field) {
                case "id", "type" -> v == JsonToken.VALUE_STRING;
                case "details" -> object(p, v);
                default -> skip(p);
            };
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private boolean context(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok = switch (field) {
                case "client" -> v == JsonToken.START_OBJECT && client(p);
                case "telemetry" -> v == JsonToken.START_OBJECT && telemetry(p);
                case "domain_specific" -> v == JsonToken.START_OBJECT && domainSpecific(p);
                case "attributes" -> object(p, v);
                case "status" -> v == JsonToken.VALUE_STRING && STATUSES.contains(p.getText());
                case "error" -> v == JsonToken.START_OBJECT && strings(p, "code", "message");
                default -> skip(p);
            };
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private boolean client(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok = switch (field) {
                case "ip_address" -> v == JsonToken.VALUE_STRING && ipv4(Text.of(p));
                case "user_agent", "session_id" -> v == JsonToken.VALUE_STRING;
                default -> skip(p);
            };
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private boolean telemetry(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok = switch (field) {
                case "trace_id" -> v == JsonToken.VALUE_STRING && TraceParent.lowerHex(Text.of(p), 32);
                case "span_id" -> v == JsonToken.VALUE_STRING && TraceParent.lowerHex(Text.of(p), 16);
                case "duration_ms" ->
                    (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT)
                            && p.getTextCharacters()[p.getTextOffset()] != '-';
                default -> skip(p);
            };
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private boolean domainSpecific(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            boolean ok = switch (field) {
                case "audit" -> v == JsonToken.START_OBJECT && objects(p, "request", "response");
                case "analytics" -> v == JsonToken.START_OBJECT && objects(p, "properties", "user_state_snapshot");
                default -> skip(p);
            };
            if (!ok) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    /** The rest of an object whose two named members, when present, must be strings. */
    private static boolean strings(JsonParser p, String a, String b) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals(a) || field.equals(b)) {
                if (v != JsonToken.VALUE_STRING) {
                    return false;
                }
            } else {
                p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    /** The rest of an object whose two named members, when present, must be objects. */
    private static boolean objects(JsonParser p, String a, String b) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals(a) || field.equals(b)) {
                if (!object(p, v)) {
                    return false;
                }
            } else {
                p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    /** The value starting at {@code v} must be an object (any content); skips it. */
    private static boolean object(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            return false;
        }
        p.skipChildren();
        return true;
    }

    private static boolean skip(JsonParser p) throws IOException {
        p.skipChildren();
        return true;
    }

    /** format uuid: 8-4-4-4-12 hex digits. */
    static boolean uuid(CharSequence s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!hex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * format date-time, its UTC form only: {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} with a real calendar date, hours
     * 00-23, seconds 00-59 (a leap second, an offset or a lower-case letter goes to the oracle).
     */
    static boolean utcDateTime(CharSequence s) {
        int n = s.length();
        if (n < 20
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return false;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || day > daysIn(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return false;
        }
        if (n == 20) {
            return true;
        }
        if (s.charAt(19) != '.' || n < 22 || n > 30) {
            return false;
        }
        return digits(s, 20, n - 21) >= 0;
    }

    /** The non-negative decimal of {@code len} ASCII digits at {@code from}; -1 when one is not a digit. */
    private static int digits(CharSequence s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0'); // overflow cannot matter: at most 9 digits
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /**
     * format uri-reference with minLength 1, in its plainest form only: a relative reference made of unreserved
     * characters and {@code /} ({@code web-app}, {@code services/billing}), not starting with {@code //}.
     */
    static boolean relativeReference(CharSequence s) {
        if (s.length() == 0 || (s.length() > 1 && s.charAt(0) == '/' && s.charAt(1) == '/')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unreserved = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '/';
            if (!unreserved) {
                return false;
            }
        }
        return true;
    }

    /** format ipv4: four decimal octets 0-255 without leading zeros. */
    static boolean ipv4(CharSequence s) {
        int n = s.length(), octets = 0, i = 0;
        while (true) {
            int start = i, v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (octets == 4) {
                return i == n;
            }
            if (i >= n || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    /** The schema's action.name pattern: three segments {@code [a-z][a-z0-9]*(_[a-z0-9]+)*} joined by dots. */
    static boolean actionName(CharSequence s) {
        int n = s.length(), segments = 0, i = 0;
        while (true) {
            if (i >= n || s.charAt(i) < 'a' || s.charAt(i) > 'z') {
                return false;
            }
            i++;
            boolean afterUnderscore = false;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c == '_') {
                    if (afterUnderscore) {
                        return false;
                    }
                    afterUnderscore = true;
                } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    afterUnderscore = false;
                } else {
                    return false;
                }
                i++;
            }
            if (afterUnderscore) {
                return false;
            }
            segments++;
            if (segments == 3) {
                return i == n;
            }
            if (i >= n) {
                return false;
            }
            i++; // the dot
        }
    }

    /** The current string token's characters without making a String (a view, valid until the next token). */
    private record Text(char[] buf, int off, int length) implements CharSequence {
        static Text of(JsonParser p) throws IOException {
            return new Text(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }

        @Override
        public char charAt(int index) {
            return buf[off + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Text(buf, off + start, end - start);
        }

        @Override
        public String toString() {
            return new String(buf, off, length);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
