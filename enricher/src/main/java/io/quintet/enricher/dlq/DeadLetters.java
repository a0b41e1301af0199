package io.quintet.enricher.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.schema.CanonicalSchema.Violation;
import io.quintet.model.topics.DeadLetterHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The wire format of {@code events.dlq}, written and read in one place.
 * <ul>
 *   <li>key: the original record key, unchanged;</li>
 *   <li>headers: the original record's headers, then {@code quintet.dlq.*} headers ({@link DeadLetterHeaders}) with
 *       the typed reason, cause, failing JSON pointers, source topic/partition/offset, the dead-lettering time, the
 *       event's id and source when known;</li>
 *   <li>value (the body): a JSON document with the same facts, the violations with their messages, the event's
 *       identity when known, and the original value (base64) so a fixed record can be re-published byte for byte.</li>
 * </ul>
 * Header values are UTF-8 text. Neither headers nor messages quote the record's content.
 */
public final class DeadLetters {
    public static final String PREFIX = DeadLetterHeaders.PREFIX;
    public static final String REASON = DeadLetterHeaders.REASON;
    public static final String CAUSE = DeadLetterHeaders.CAUSE;
    public static final String POINTERS = DeadLetterHeaders.POINTERS;
    public static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;
    public static final String TIME = DeadLetterHeaders.TIME;
    public static final String EVENT_ID = DeadLetterHeaders.EVENT_ID;
    public static final String EVENT_SOURCE = DeadLetterHeaders.EVENT_SOURCE;

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private DeadLetters() {}

    /** The DLQ record for {@code topic}. */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, DeadLetter dl) {
        return new ProducerRecord<>(
                topic, null, dl.deadLetteredAt().toEpochMilli(), dl.originalKey(), body(dl), headers(dl));
    }

    /** The original headers followed by the {@code quintet.dlq.*} headers. */
    public static Headers headers(DeadLetter dl) {
        RecordHeaders h = new RecordHeaders();
        for (Header header : dl.originalHeaders()) {
            if (!header.key().startsWith(PREFIX)) {
                h.add(header);
            }
        }
        addErrorHeaders(h, dl);
        return h;
    }

    /** Adds the {@code quintet.dlq.*} headers (replacing earlier ones, e.g. of a record that was replayed before). */
    public static void addErrorHeaders(Headers h, DeadLetter dl) {
        String eventSource = dl.event() != null && dl.event().source() != null
                ? dl.event().source()
                : DeadLetterHeaders.text(h, DeadLetterHeaders.CE_SOURCE);
        for (String name : List.of(
                REASON, CAUSE, POINTERS, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, TIME, EVENT_ID, EVENT_SOURCE)) {
            h.remove(name);
        }
        put(h, REASON, dl.reason().code());
        put(h, CAUSE, dl.cause());
        if (!dl.violations().isEmpty()) {
            put(h, POINTERS, String.join(",", dl.pointers()));
        }
        put(h, SOURCE_TOPIC, dl.source().topic());
        put(h, SOURCE_PARTITION, String.valueOf(dl.source().partition()));
        put(h, SOURCE_OFFSET, String.valueOf(dl.source().offset()));
        put(h, TIME, dl.deadLetteredAt().toString());
        if (dl.event() != null && dl.event().id() != null) {
            put(h, EVENT_ID, dl.event().id());
        }
        if (eventSource != null) {
            put(h, EVENT_SOURCE, eventSource);
        }
    }

    /** The JSON body. */
    public static byte[] body(DeadLetter dl) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("reason", dl.reason().code());
        root.put("cause", dl.cause());
        root.put("message", dl.message());
        ArrayNode violations = root.putArray("violations");
        for (Violation v : dl.violations()) {
            violations
                    .addObject()
                    .put("pointer", v.pointer())
                    .put("keyword", v.keyword())
                    .put("message", v.message());
        }
        ObjectNode source = root.putObject("source");
        source.put("topic", dl.source().topic());
        source.put("partition", dl.source().partition());
        source.put("offset", dl.source().offset());
        if (dl.source().timestamp() != null) {
            source.put("timestamp", dl.source().timestamp().toString());
        }
        root.put("dead_lettered_at", dl.deadLetteredAt().toString());
        if (dl.event() != null) {
            ObjectNode event = root.putObject("event");
            putIfNotNull(event, "id", dl.event().id());
            putIfNotNull(event, "source", dl.event().source());
            putIfNotNull(event, "type", dl.event().type());
        }
        ObjectNode original = root.putObject("original");
        original.put("value_bytes", dl.originalValue() == null ? 0 : dl.originalValue().length);
        if (dl.originalValue() == null) {
            original.putNull("value_base64");
        } else {
            original.put("value_base64", Base64.getEncoder().encodeToString(dl.originalValue()));
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("DLQ body could not be written", e);
        }
    }

    /** Reads a DLQ record back (for the replay tool and for consumers of the DLQ). */
    public static DeadLetter parse(byte[] key, Headers headers, byte[] value) {
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("DLQ record body is not JSON", e);
        }
        if (root == null || !root.isObject() || !root.hasNonNull("reason")) {
            throw new IllegalArgumentException("DLQ record body is not a Quintet dead letter");
        }
        List<Violation> violations = new ArrayList<>();
        root.path("violations")
                .forEach(v -> violations.add(new Violation(
                        v.path("pointer").asText(),
                        v.path("keyword").asText(),
                        v.path("message").asText())));
        JsonNode src = root.path("source");
        SourceCoordinates source = new SourceCoordinates(
                src.path("topic").asText(),
                src.path("partition").asInt(),
                src.path("offset").asLong(),
                src.hasNonNull("timestamp") ? Instant.parse(src.get("timestamp").asText()) : null);
        DeadLetter.EventRef event = null;
        if (root.path("event").isObject()) {
            JsonNode e = root.get("event");
            event = new DeadLetter.EventRef(text(e, "id"), text(e, "source"), text(e, "type"));
        }
        JsonNode original = root.path("original");
        byte[] originalValue = original.hasNonNull("value_base64")
                ? Base64.getDecoder().decode(original.get("value_base64").asText())
                : null;
        List<Header> originalHeaders = new ArrayList<>();
        if (headers != null) {
            for (Header h : headers) {
                if (!h.key().startsWith(PREFIX)) {
                    originalHeaders.add(new RecordHeader(h.key(), h.value()));
                }
            }
        }
        return new DeadLetter(
                DlqReason.fromCode(root.get("reason").asText()),
                root.path("cause").asText(),
                root.path("message").asText(),
                violations,
                source,
                Instant.parse(root.path("dead_lettered_at").asText()),
                event,
                key,
                originalHeaders,
                originalValue);
    }

    /** The original record, ready to be re-published to {@code topic}. */
    public static ProducerRecord<byte[], byte[]> original(DeadLetter dl, String topic) {
        RecordHeaders h = new RecordHeaders();
        dl.originalHeaders().forEach(h::add);
        return new ProducerRecord<>(topic, null, null, dl.originalKey(), dl.originalValue(), h);
    }

    /** A header value as text, or null. */
    public static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
