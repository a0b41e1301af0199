package io.quintet.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads canonical UTC timestamps with {@link UtcTimestamps}; anything else (offsets, leap seconds, other shapes,
 * numbers) goes to Jackson's own {@link InstantDeserializer}, so what is accepted and how a bad value fails is unchanged.
 */
final class UtcInstantDeserializer extends StdDeserializer<Instant> {
    private final JsonDeserializer<Instant> general = InstantDeserializer.INSTANT;

    UtcInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            Instant fast = UtcTimestamps.parse(p.getText());
            if (fast != null) {
                return fast;
            }
        }
        return general.deserialize(p, ctxt);
    }
}
