package io.quintet.model.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.v1.CloudEventV1;
import io.quintet.model.json.UtcTimestamps;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the CloudEvent of a binary-mode record straight from its {@code ce_*} headers, as the CloudEvents SDK's Kafka
 * reader would, without its visitor machinery and {@code DateTimeFormatter} time parsing (together a fifth of the
 * analytics sink's CPU time, and read by every consumer of Quintet's topics). It handles only the plain case the pipeline's own producers write (spec version 1.0, JSON data,
 * lower-case header names, id/source/type present, a UTC {@code time} such as {@code 2026-11-02T08:00:00.02Z}) and
 * answers {@code null} for anything else: {@link CloudEventSerde#readCloudEvent} then uses the SDK's reader, which
 * gives the typed failure or the event. So the result is the SDK's for every record, only cheaper in the common case
 * ({@code BinaryModeReaderTest} compares both on valid, unusual and broken records).
 */
final class BinaryModeReader {
    private static final String PREFIX = "ce_";
    private static final String CONTENT_TYPE = "content-type";
    private static final String JSON = "application/json";

    private static final int URI_CACHE_SIZE = 4096;
    /** Parsed {@code source} / {@code dataschema} values: a topic holds few distinct ones, and URIs are immutable. */
    private final Map<String, URI> uris = new ConcurrentHashMap<>();

    /** The CloudEvent of a plain binary-mode record, or null when the SDK reader must decide. Thread-safe. */
    CloudEvent read(Headers headers, byte[] value) {
        if (headers == null || value == null || value.length == 0) {
            return null;
        }
        String id = null;
        String source = null;
        String type = null;
        String specVersion = null;
        String dataContentType = null;
        String dataSchema = null;
        String subject = null;
        String time = null;
        Map<String, Object> extensions = null;
        for (Header h : headers) {
            String key = h.key();
            byte[] raw = h.value();
            if (key.equals(CONTENT_TYPE)) {
                if (raw == null) {
                    return null;
                }
                dataContentType = new String(raw, StandardCharsets.UTF_8);
                continue;
            }
            if (key.length() <= PREFIX.length() || !key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                if (key.equalsIgnoreCase(CONTENT_TYPE)) {
                    return null;
                }
                continue;
            }
            if (raw == null || !key.startsWith(PREFIX) || !isLowerAlphanumeric(key, PREFIX.length())) {
                return null; // unusual spelling or no value: the SDK decides
            }
            String v = new String(raw, StandardCharsets.UTF_8);
            switch (key) { // the whole key: no substring for the attributes every record has
                case "ce_specversion" -> specVersion = v;
                case "ce_id" -> id = v;
                case "ce_source" -> source = v;
                case "ce_type" -> type = v;
                case "ce_dataschema" -> dataSchema = v;
                case "ce_subject" -> subject = v;
                case "ce_time" -> time = v;
                case "ce_datacontenttype" -> {
                    return null;
                }
                default -> {
                    if (extensions == null) {
                        extensions = new HashMap<>();
                    }
                    extensions.put(key.substring(PREFIX.length()), v);
                }
            }
        }
        if (!"1.0".equals(specVersion)
                || (dataContentType != null && !dataContentType.equals(JSON))
                || isEmpty(id)
                || isEmpty(source)
                || isEmpty(type)) {
            return null;
        }
        OffsetDateTime parsedTime = null;
        if (time != null) {
            parsedTime = utcTime(time);
            if (parsedTime == null) {
                return null;
            }
        }
        URI sourceUri = uri(source);
        URI dataSchemaUri = dataSchema == null ? null : uri(dataSchema);
        if (sourceUri == null || (dataSchema != null && dataSchemaUri == null)) {
            return null;
        }
        return new CloudEventV1(
                id,
                sourceUri,
                type,
                dataContentType,
                dataSchemaUri,
                subject,
                parsedTime,
                BytesCloudEventData.wrap(value),
                extensions == null ? Map.of() : extensions);
    }

    /** The URI of a {@code source} or {@code dataschema} value, or null when it is not one; cached. */
    private URI uri(String value) {
        URI cached = uris.get(value);
        if (cached != null) {
            return cached;
        }
        URI parsed;
        try {
            parsed = new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uris.size() < URI_CACHE_SIZE) {
            uris.put(value, parsed);
        }
        return parsed;
    }

    /**
     * A canonical UTC time ({@link UtcTimestamps}) as a UTC {@link OffsetDateTime}; null for any other form (offsets
     * other than {@code Z}, lower-case letters, missing seconds, impossible dates), which the SDK then parses or rejects.
     */
    static OffsetDateTime utcTime(String s) {
        Instant instant = UtcTimestamps.parse(s);
        // not OffsetDateTime.ofInstant: it asks the offset for its ZoneRules, which Java 17 allocates on every call
        return instant == null
                ? null
                : OffsetDateTime.of(
                        LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC),
                        ZoneOffset.UTC);
    }

    private static boolean isLowerAlphanumeric(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
