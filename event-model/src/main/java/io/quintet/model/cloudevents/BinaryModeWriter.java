package io.quintet.model.cloudevents;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.otel.TraceParent;
import io.quintet.model.schema.CanonicalSchema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;

/**
 * Writes a canonical event as a binary-mode CloudEvent record straight into its {@code ce_*} headers, as
 * {@link CloudEventMapper#toCloudEvent} followed by the CloudEvents SDK's Kafka serializer would, without the SDK's
 * builder, visitor machinery and a {@link URI} parse of {@code source} per event, which cost the gateway more than
 * the canonical JSON itself (profile in docs/ingest-gateway.md, "Benchmark"). Same headers, same order, same bytes
 * ({@code BinaryModeWriterTest} compares both); an event the SDK would refuse (no id, source or type, a source that
 * is not a URI) is handed to the SDK path, so it fails exactly as before. Thread-safe.
 */
final class BinaryModeWriter {
    private static final int URI_CACHE_SIZE = 4096;
    private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT_TYPE = CloudEventMapper.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA_SCHEMA = CanonicalSchema.ID.toString().getBytes(StandardCharsets.UTF_8);

    /** {@code source} values known to be URIs (URI parsing was a visible cost per event); a topic holds few. */
    private final Map<String, Boolean> validSources = new ConcurrentHashMap<>();

    /**
     * Adds the event's CloudEvent attributes to {@code headers} and returns the data (the canonical JSON), or returns
     * null without touching {@code headers} when the SDK must write (and refuse) this event.
     */
    byte[] write(Headers headers, CanonicalEvent event, String partitionKey) {
        return write(headers, event, partitionKey, null);
    }

    /** {@link #write(Headers, CanonicalEvent, String)} with the data already written ({@code CanonicalJson.toBytes}). */
    byte[] write(Headers headers, CanonicalEvent event, String partitionKey, byte[] written) {
        String id = event.id();
        String source = event.source();
        String type = event.action() == null ? null : event.action().name();
        if (id == null || type == null || source == null || !isUri(source)) {
            return null;
        }
        byte[] data = written != null ? written : CanonicalJson.toBytes(event);
        // the SDK's order: spec version, then id, source, type, datacontenttype, dataschema, subject, time,
        // then the extensions in the order of its HashMap (organizationid, partitionkey, traceparent)
        headers.add("ce_specversion", SPEC_VERSION);
        headers.add("ce_id", utf8(id));
        headers.add("ce_source", utf8(source));
        headers.add("ce_type", utf8(type));
        headers.add("content-type", CONTENT_TYPE);
        headers.add("ce_dataschema", DATA_SCHEMA);
        if (event.entity() != null && event.entity().subject() != null) {
            headers.add("ce_subject", utf8(event.entity().subject()));
        }
        if (event.eventTimestamp() != null) {
            headers.add("ce_time", time(event.eventTimestamp()));
        }
        if (event.organizationId() != null) {
            headers.add("ce_" + CloudEventMapper.ORGANIZATION_ID, utf8(event.organizationId()));
        }
        if (partitionKey != null) {
            headers.add("ce_" + CloudEventMapper.PARTITION_KEY, utf8(partitionKey));
        }
        Optional<TraceParent> tp = CloudEventMapper.traceParentOf(event);
        if (tp.isPresent()) {
            headers.add("ce_" + CloudEventMapper.TRACEPARENT, utf8(tp.get().toString()));
        }
        return data;
    }

    /**
     * The SDK's {@code time}: {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} of the UTC time, i.e.
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} with the fraction's trailing zeros dropped (none when whole seconds),
     * written by hand for years 0 to 9999 (the formatter is slow on the gateway's hot path), by the formatter otherwise.
     */
    static byte[] time(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return utf8(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC)));
        }
        int nanos = t.getNano();
        int fractionDigits = 0;
        if (nanos != 0) {
            fractionDigits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                fractionDigits--;
            }
        }
        byte[] out = new byte[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        digits(out, 0, t.getYear(), 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        if (fractionDigits > 0) {
            out[19] = '.';
            digits(out, 20, nanos, fractionDigits);
        }
        out[out.length - 1] = 'Z';
        return out;
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private boolean isUri(String source) {
        if (validSources.containsKey(source)) {
            return true;
        }
        try {
            URI.create(source);
        } catch (IllegalArgumentException e) {
            return false; // the SDK path throws the same exception, as it did before this writer existed
        }
        if (validSources.size() < URI_CACHE_SIZE) {
            validSources.put(source, Boolean.TRUE);
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
