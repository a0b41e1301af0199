package io.quintet.enricher.profile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import io.quintet.model.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The two JSON forms of profiles.
 * <ul>
 *   <li>{@link #readChange}: a record of the {@code profiles} topic, as a {@link ProfileChange}:
 *       {@code {"traits": {...}}} (complete traits), the gateway's identify events ({@value #IDENTIFIED}, traits in
 *       {@code entity.details}, partial) and group events ({@value #GROUP_ASSOCIATED}, the group in
 *       {@code entity.id}, its traits in {@code entity.details}); anything else raises a typed
 *       {@link EventDecodingException} whose message never quotes the content (the topology dead-letters it).</li>
 *   <li>this {@link Serde}: a {@link Profile} version in the profile store:
 *       {@code {"traits": {...}, "group": {"id": ..., "traits": {...}}, "change": {"traits": {...}, "group": ...,
 *       "replace": false}}}. A stored value without {@code change} (written before partial updates existed) reads as
 *       a complete profile.</li>
 * </ul>
 */
public final class ProfileSerde implements Serde<Profile> {
    /** The action name of a Segment identify call as the gateway publishes it to {@code profiles}. */
    public static final String IDENTIFIED = "identity.profile.identified";
    /** The action name of a Segment group call as the gateway publishes it to {@code profiles}. */
    public static final String GROUP_ASSOCIATED = "identity.group.associated";

    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Override
    public Serializer<Profile> serializer() {
        return (topic, p) -> {
            if (p == null) {
                return null;
            }
            ObjectNode root = MAPPER.createObjectNode();
            root.set("traits", traits(p.traits()));
            if (p.group() != null) {
                root.set("group", group(p.group()));
            }
            ObjectNode change = root.putObject("change");
            change.set("traits", traits(p.change().traits()));
            if (p.change().group() != null) {
                change.set("group", group(p.change().group()));
            }
            change.put("replace", p.change().replace());
            try {
                return MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new UncheckedIOException("profile could not be written", e);
            }
        };
    }

    @Override
    public Deserializer<Profile> deserializer() {
        return (topic, bytes) -> bytes == null ? null : readStored(bytes);
    }

    /** A record of the {@code profiles} topic (see the class comment). */
    public static ProfileChange readChange(byte[] bytes) {
        JsonNode root = parse(bytes);
        if (root != null && root.isObject() && root.path("traits").isObject()) {
            return ProfileChange.complete(map(root.get("traits")));
        }
        // the ingest gateway publishes Segment identify and group calls as canonical events (binary-mode
        // CloudEvents, whose value is the event)
        String action = root == null ? "" : root.path("action").path("name").asText();
        JsonNode entity = root == null ? null : root.path("entity");
        if (IDENTIFIED.equals(action) && entity.path("details").isObject()) {
            return ProfileChange.identify(map(entity.get("details")));
        }
        if (GROUP_ASSOCIATED.equals(action)
                && entity.path("id").isTextual()
                && !entity.path("id").asText().isEmpty()) {
            JsonNode details = entity.path("details");
            return ProfileChange.group(
                    new Group(entity.get("id").asText(), details.isObject() ? map(details) : Map.of()));
        }
        throw new EventDecodingException(
                Reason.NOT_CANONICAL,
                "profile must be a JSON object with a 'traits' object, an " + IDENTIFIED
                        + " event with entity.details or a " + GROUP_ASSOCIATED + " event with entity.id");
    }

    static Profile readStored(byte[] bytes) {
        JsonNode root = parse(bytes);
        if (root == null || !root.path("traits").isObject()) {
            throw new EventDecodingException(Reason.NOT_CANONICAL, "stored profile has no 'traits' object");
        }
        JsonNode change = root.path("change");
        if (!change.isObject()) {
            return Profile.of(map(root.get("traits")));
        }
        ProfileChange c = new ProfileChange(
                map(change.path("traits")),
                group(change.path("group")),
                change.path("replace").asBoolean(false));
        return new Profile(map(root.get("traits")), group(root.path("group")), c);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EventDecodingException(Reason.UNPARSEABLE, "profile is not well-formed JSON");
        }
    }

    private static Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.properties()
                .forEach(e -> out.put(
                        e.getKey(), e.getValue().isNull() ? null : MAPPER.convertValue(e.getValue(), Object.class)));
        return out;
    }

    private static Group group(JsonNode node) {
        return node != null && node.isObject() && node.path("id").isTextual()
                ? new Group(node.get("id").asText(), map(node.path("traits")))
                : null;
    }

    private static ObjectNode traits(Map<String, Object> traits) {
        ObjectNode out = MAPPER.createObjectNode();
        traits.forEach((k, v) -> {
            if (v == null) {
                out.putNull(k); // a removal, in a change
            } else {
                out.set(k, MAPPER.valueToTree(v));
            }
        });
        return out;
    }

    private static ObjectNode group(Group g) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("id", g.id());
        out.set("traits", traits(g.traits()));
        return out;
    }
}
