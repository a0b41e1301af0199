package io.quintet.enricher.profile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import io.quintet.model.json.CanonicalJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON serde of {@link Profile}, for the {@code profiles} topic and the profile store. Reads {@code {"traits": {...}}}
 * and the gateway's identify events ({@value #IDENTIFIED}, traits in {@code entity.details}); anything else raises a typed {@link EventDecodingException} (whose message never quotes the
 * content), which the deserialization handler dead-letters.
 */
public final class ProfileSerde implements Serde<Profile> {
    /** The action name of a Segment identify call as the gateway publishes it to {@code profiles}. */
    public static final String IDENTIFIED = "identity.profile.identified";
    private static final ObjectMapper MAPPER = CanonicalJson.newMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Override
    public Serializer<Profile> serializer() {
        return (topic, p) -> {
            if (p == null) {
                return null;
            }
            try {
                return MAPPER.writeValueAsBytes(Map.of("traits", p.traits()));
            } catch (IOException e) {
                throw new UncheckedIOException("profile could not be written", e);
            }
        };
    }

    @Override
    public Deserializer<Profile> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static Profile read(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EventDecodingException(Reason.UNPARSEABLE, "profile is not well-formed JSON");
        }
        if (root != null && root.isObject() && root.path("traits").isObject()) {
            return new Profile(MAPPER.convertValue(root.get("traits"), MAP));
        }
        // the ingest gateway publishes Segment identify calls as canonical events (binary-mode CloudEvents, whose
        // value is the event): identity.profile.identified, with the traits as the entity's details
        if (root != null && IDENTIFIED.equals(root.path("action").path("name").asText())
                && root.path("entity").path("details").isObject()) {
            return new Profile(MAPPER.convertValue(root.path("entity").get("details"), MAP));
        }
        throw new EventDecodingException(Reason.NOT_CANONICAL,
                "profile must be a JSON object with a 'traits' object, or an " + IDENTIFIED + " event with entity.details");
    }
}
