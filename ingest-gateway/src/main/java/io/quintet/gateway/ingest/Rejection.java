package io.quintet.gateway.ingest;

import io.quintet.model.limits.EventLimits;
import java.util.List;
import java.util.Objects;

/**
 * Why one event (or a whole request) was refused: a typed code, a message for humans and, where the problem is in a
 * field, the JSON pointer of each offending field.
 */
public record Rejection(ErrorCode code, String message, List<FieldError> errors) {

    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Rejection of(ErrorCode code, String message) {
        return new Rejection(code, message, List.of());
    }

    public static Rejection at(ErrorCode code, String pointer, String message) {
        return new Rejection(code, message, List.of(new FieldError(pointer, message)));
    }

    /** A broken event limit, with the code the enricher's dead letter would carry as its cause. */
    public static Rejection of(EventLimits.Violation v) {
        ErrorCode code = switch (v.kind()) {
            case RECORD_TOO_LARGE -> ErrorCode.EVENT_TOO_LARGE;
            case TOO_MANY_PROPERTIES -> ErrorCode.TOO_MANY_PROPERTIES;
            case TOO_MANY_ATTRIBUTES -> ErrorCode.TOO_MANY_ATTRIBUTES;
        };
        return at(code, v.pointer(), v.message());
    }
}
