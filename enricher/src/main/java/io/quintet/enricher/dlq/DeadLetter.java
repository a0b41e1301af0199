package io.quintet.enricher.dlq;

import io.quintet.model.schema.CanonicalSchema.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;

/**
 * One dead-lettered record: the typed reason, where it came from, when it was dead-lettered, what is known of the
 * event, and the original record (key, headers, value) byte for byte so that it can be re-published after a fix.
 *
 * @param event the event's identity when it could be read (id, source, type), else null
 */
public record DeadLetter(
        DlqReason reason,
        String cause,
        String message,
        List<Violation> violations,
        SourceCoordinates source,
        Instant deadLetteredAt,
        EventRef event,
        byte[] originalKey,
        List<Header> originalHeaders,
        byte[] originalValue) {

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        violations = violations == null ? List.of() : List.copyOf(violations);
        originalHeaders = originalHeaders == null ? List.of() : List.copyOf(originalHeaders);
    }

    public static DeadLetter of(
            Rejection rejection,
            SourceCoordinates source,
            Instant at,
            EventRef event,
            byte[] key,
            List<Header> headers,
            byte[] value) {
        return new DeadLetter(
                rejection.reason(),
                rejection.cause(),
                rejection.message(),
                rejection.violations(),
                source,
                at,
                event,
                key,
                headers,
                value);
    }

    public List<String> pointers() {
        return violations.stream().map(Violation::pointer).distinct().toList();
    }

    /** The identity of the event inside a dead-lettered record, as far as it could be read. */
    public record EventRef(String id, String source, String type) {}
}
