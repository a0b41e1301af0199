package io.quintet.gateway.rejections;

import io.quintet.model.topics.DeadLetterHeaders;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * One dead letter as its producer may see it: what was wrong and where, which event, when. Read from the
 * {@code quintet.dlq.*} headers only, never from the body (which holds the original record, personal data
 * included).
 *
 * @param source         the rejected event's source
 * @param eventId        the event's id, when the enricher could read it
 * @param reason         the typed reason ({@code schema_violation}, {@code size_violation}, ...)
 * @param cause          the finer cause ({@code json_schema}, {@code record_too_large}, ...)
 * @param pointers       JSON pointers of the failing fields
 * @param deadLetteredAt when the enricher refused it
 */
public record RecentRejection(
        String source, String eventId, String reason, String cause, List<String> pointers, Instant deadLetteredAt) {

    public RecentRejection {
        pointers = List.copyOf(pointers);
    }

    /** The rejection a dead letter's headers describe; empty when it names no source or no reason. */
    public static Optional<RecentRejection> fromHeaders(Headers headers, long recordTimestamp) {
        String source = DeadLetterHeaders.text(headers, DeadLetterHeaders.EVENT_SOURCE);
        if (source == null) {
            source = DeadLetterHeaders.text(headers, DeadLetterHeaders.CE_SOURCE);
        }
        String reason = DeadLetterHeaders.text(headers, DeadLetterHeaders.REASON);
        if (source == null || source.isEmpty() || reason == null) {
            return Optional.empty();
        }
        List<String> pointers = new ArrayList<>();
        String joined = DeadLetterHeaders.text(headers, DeadLetterHeaders.POINTERS);
        if (joined != null && !joined.isEmpty()) {
            pointers.addAll(List.of(joined.split(",")));
        }
        return Optional.of(new RecentRejection(
                source,
                DeadLetterHeaders.text(headers, DeadLetterHeaders.EVENT_ID),
                reason,
                DeadLetterHeaders.text(headers, DeadLetterHeaders.CAUSE),
                pointers,
                time(DeadLetterHeaders.text(headers, DeadLetterHeaders.TIME), recordTimestamp)));
    }

    private static Instant time(String text, long fallbackMillis) {
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // not the enricher's ISO-8601 form: the record's timestamp (the dead-lettering time) below
            }
        }
        return Instant.ofEpochMilli(fallbackMillis);
    }
}
