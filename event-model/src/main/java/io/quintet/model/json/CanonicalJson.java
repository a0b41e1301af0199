package io.quintet.model.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The canonical JSON form of {@link CanonicalEvent}: snake_case fields, ISO-8601 UTC timestamps, absent fields
 * omitted, decimals kept exact (BigDecimal) so free-form properties round-trip unchanged.
 * The shared reader and writer are immutable; {@link #newMapper()} gives callers their own configured mapper.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectReader READER = MAPPER.readerFor(CanonicalEvent.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(CanonicalEvent.class);

    private CanonicalJson() {}

    /** A new mapper configured like the canonical one (callers may customise their copy freely). */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("quintet-utc-instants")
                        .addDeserializer(Instant.class, new UtcInstantDeserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }

    public static byte[] toBytes(CanonicalEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("canonical event could not be written as JSON", e);
        }
    }

    public static String toJson(CanonicalEvent event) {
        try {
            return WRITER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("canonical event could not be written as JSON", e);
        }
    }

    public static JsonNode toTree(CanonicalEvent event) {
        return MAPPER.valueToTree(event);
    }

    /** Parses canonical JSON; a typed {@link EventDecodingException} says whether it was not JSON or not canonical. */
    public static CanonicalEvent fromBytes(byte[] json) {
        if (json == null || json.length == 0) {
            throw new EventDecodingException(Reason.UNPARSEABLE, "event data is empty");
        }
        try {
            // one pass from bytes to the record (no intermediate tree): this is on every consumer's hot path
            CanonicalEvent event = READER.readValue(json);
            if (event == null) {
                throw new EventDecodingException(Reason.NOT_CANONICAL, "event data is JSON null, expected an object");
            }
            return event;
        } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
            throw new EventDecodingException(
                    Reason.UNPARSEABLE,
                    "event data is not well-formed JSON at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr(),
                    e);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new EventDecodingException(
                    Reason.NOT_CANONICAL, "event data does not map to the canonical model at " + pointer(e), e);
        } catch (IOException e) {
            throw new EventDecodingException(Reason.UNPARSEABLE, "event data could not be read", e);
        }
    }

    public static CanonicalEvent fromJson(String json) {
        return fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses bytes as a JSON tree; {@link Reason#UNPARSEABLE} when they are not well-formed JSON. */
    public static JsonNode parseTree(byte[] json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new EventDecodingException(Reason.UNPARSEABLE, "event data is empty");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(
                    Reason.UNPARSEABLE,
                    "event data is not well-formed JSON at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr(),
                    e);
        } catch (IOException e) {
            throw new EventDecodingException(Reason.UNPARSEABLE, "event data could not be read", e);
        }
    }

    public static CanonicalEvent fromTree(JsonNode tree) {
        if (!tree.isObject()) {
            throw new EventDecodingException(
                    Reason.NOT_CANONICAL,
                    "event data is a JSON " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                            + ", expected an object");
        }
        try {
            return READER.readValue(tree);
        } catch (IOException e) {
            String where =
                    e instanceof com.fasterxml.jackson.databind.JsonMappingException jme ? " at " + pointer(jme) : "";
            throw new EventDecodingException(
                    Reason.NOT_CANONICAL, "event data does not map to the canonical model" + where, e);
        }
    }

    private static String pointer(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
