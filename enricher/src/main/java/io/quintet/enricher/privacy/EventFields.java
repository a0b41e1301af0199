package io.quintet.enricher.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.json.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields pseudonymization reads and rewrites, addressed by JSON pointer, on the canonical record itself (no JSON
 * tree: converting every event to a tree and back was most of the privacy step's cost). Covers the pointers the
 * privacy settings can name in practice: {@code /actor/id|pseudonym}, {@code /actor/details/...},
 * {@code /entity/id}, {@code /entity/details/...}, {@code /context/client/ip_address|user_agent|session_id},
 * {@code /context/attributes/...} and {@code /context/domain_specific/analytics/properties/...}; for any other
 * pointer {@link #supports} is false and {@link Pseudonymizer} works on the JSON tree instead.
 */
final class EventFields {
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final int MAX_PARSED = 256;
    private static final Map<String, List<String>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private EventFields() {}

    static boolean supports(String pointer) {
        List<String> s = segments(pointer);
        if (s.size() < 2) {
            return false;
        }
        return switch (s.get(0)) {
            case "actor" ->
                s.size() == 2
                        ? s.get(1).equals("id") || s.get(1).equals("pseudonym")
                        : s.get(1).equals("details");
            case "entity" -> s.size() == 2 ? s.get(1).equals("id") : s.get(1).equals("details");
            case "context" ->
                switch (s.get(1)) {
                    case "client" ->
                        s.size() == 3
                                && List.of("ip_address", "user_agent", "session_id")
                                        .contains(s.get(2));
                    case "attributes" -> s.size() > 2;
                    case "domain_specific" ->
                        s.size() > 4 && s.get(2).equals("analytics") && s.get(3).equals("properties");
                    default -> false;
                };
            default -> false;
        };
    }

    /** The value at the pointer: a String, number, boolean, Map or List; null when absent or JSON null. */
    static Object get(CanonicalEvent e, String pointer) {
        List<String> s = segments(pointer);
        switch (s.get(0)) {
            case "actor" -> {
                Actor a = e.actor();
                if (a == null) {
                    return null;
                }
                return switch (s.get(1)) {
                    case "id" -> a.id();
                    case "pseudonym" -> a.pseudonym();
                    default -> mapGet(a.details(), s, 2);
                };
            }
            case "entity" -> {
                Entity en = e.entity();
                if (en == null) {
                    return null;
                }
                return s.get(1).equals("id") ? en.id() : mapGet(en.details(), s, 2);
            }
            default -> {
                Context c = e.context();
                if (c == null) {
                    return null;
                }
                return switch (s.get(1)) {
                    case "client" ->
                        c.client() == null
                                ? null
                                : switch (s.get(2)) {
                                    case "ip_address" -> c.client().ipAddress();
                                    case "user_agent" -> c.client().userAgent();
                                    default -> c.client().sessionId();
                                };
                    case "attributes" -> mapGet(c.attributes(), s, 2);
                    default ->
                        c.domainSpecific() == null || c.domainSpecific().analytics() == null
                                ? null
                                : mapGet(c.domainSpecific().analytics().properties(), s, 4);
                };
            }
        }
    }

    /** The value as the vault keeps it: text as is, anything else as its JSON. */
    static String text(Object value) {
        if (value instanceof String str) {
            return str;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("value could not be written as JSON", x);
        }
    }

    /** The event with the string {@code value} at the pointer (its parent exists: it was read before). */
    static CanonicalEvent set(CanonicalEvent e, String pointer, String value) {
        return edit(e, segments(pointer), value, false);
    }

    /** The event without the field at the pointer. */
    static CanonicalEvent remove(CanonicalEvent e, String pointer) {
        return edit(e, segments(pointer), null, true);
    }

    private static CanonicalEvent edit(CanonicalEvent e, List<String> s, String value, boolean remove) {
        switch (s.get(0)) {
            case "actor" -> {
                Actor a = e.actor();
                return e.withActor(
                        switch (s.get(1)) {
                            case "id" -> a.withId(value);
                            case "pseudonym" -> a.withPseudonym(value);
                            default -> a.withDetails(mapEdit(a.details(), s, 2, value, remove));
                        });
            }
            case "entity" -> {
                Entity en = e.entity();
                return e.withEntity(
                        s.get(1).equals("id")
                                ? en.withId(value)
                                : en.withDetails(mapEdit(en.details(), s, 2, value, remove)));
            }
            default -> {
                Context c = e.context();
                return e.withContext(
                        switch (s.get(1)) {
                            case "client" -> {
                                Context.Client cl = c.client();
                                yield c.withClient(
                                        switch (s.get(2)) {
                                            case "ip_address" -> cl.withIpAddress(value);
                                            case "user_agent" ->
                                                new Context.Client(cl.ipAddress(), value, cl.sessionId());
                                            default -> new Context.Client(cl.ipAddress(), cl.userAgent(), value);
                                        });
                            }
                            case "attributes" -> c.withAttributes(mapEdit(c.attributes(), s, 2, value, remove));
                            default -> {
                                Context.Analytics an = c.domainSpecific().analytics();
                                yield c.withDomainSpecific(new Context.DomainSpecific(
                                        c.domainSpecific().audit(),
                                        new Context.Analytics(
                                                mapEdit(an.properties(), s, 4, value, remove),
                                                an.userStateSnapshot())));
                            }
                        });
            }
        }
    }

    private static Object mapGet(Map<String, Object> map, List<String> s, int i) {
        Object v = map == null ? null : map.get(s.get(i));
        if (i == s.size() - 1) {
            return v;
        }
        return v instanceof Map<?, ?> m ? mapGet(cast(m), s, i + 1) : null;
    }

    private static Map<String, Object> mapEdit(
            Map<String, Object> map, List<String> s, int i, String value, boolean remove) {
        if (map == null) {
            throw new IllegalStateException("no object at /" + String.join("/", s.subList(0, i)));
        }
        Map<String, Object> copy = new LinkedHashMap<>(map);
        String key = s.get(i);
        if (i == s.size() - 1) {
            if (remove) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
        } else if (copy.get(key) instanceof Map<?, ?> m) {
            copy.put(key, mapEdit(cast(m), s, i + 1, value, remove));
        } else {
            throw new IllegalStateException("no object at /" + String.join("/", s.subList(0, i + 1)));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * The pointer's unescaped segments. Pointers come from the privacy settings and the step itself (a handful), so
     * each is parsed once; a bound keeps the memo small whatever arrives.
     */
    private static List<String> segments(String pointer) {
        if (pointer == null) {
            return List.of();
        }
        List<String> parsed = PARSED.get(pointer);
        if (parsed == null) {
            parsed = parse(pointer);
            if (PARSED.size() < MAX_PARSED) {
                PARSED.put(pointer, parsed);
            }
        }
        return parsed;
    }

    private static List<String> parse(String pointer) {
        List<String> out = new ArrayList<>();
        if (pointer == null || !pointer.startsWith("/")) {
            return out;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            out.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return List.copyOf(out);
    }
}
