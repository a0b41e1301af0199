package io.quintet.enricher.dlq;

import io.quintet.model.limits.EventLimits;
import io.quintet.model.schema.CanonicalSchema.Violation;
import java.util.List;
import java.util.Objects;

/**
 * Why one event is refused: a typed reason, a finer cause code (e.g. {@code not_a_cloudevent}), a message that never
 * quotes the record's content, and the failing fields as JSON pointers.
 */
public record Rejection(DlqReason reason, String cause, String message, List<Violation> violations) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public static Rejection of(DlqReason reason, String cause, String message) {
        return new Rejection(reason, cause, message, List.of());
    }

    public static Rejection atPointer(DlqReason reason, String cause, String pointer, String keyword, String message) {
        return new Rejection(reason, cause, message, List.of(new Violation(pointer, keyword, message)));
    }

    /** A broken event limit: {@code size_violation} with the limit's cause and pointer. */
    public static Rejection of(EventLimits.Violation v) {
        return atPointer(
                DlqReason.SIZE_VIOLATION,
                v.kind().cause(),
                v.pointer(),
                v.kind().keyword(),
                v.message());
    }

    public List<String> pointers() {
        return violations.stream().map(Violation::pointer).distinct().toList();
    }
}
