package io.quintet.model;

/**
 * A record that cannot be turned into a {@link CanonicalEvent}. The {@link Reason} is stable and meant for routing:
 * a dead-letter handler puts it in a header; callers never have to match message text.
 */
public class EventDecodingException extends RuntimeException {

    /** Why decoding failed. {@link #code()} is the lower snake-case form used in headers and DLQ bodies. */
    public enum Reason {
        /** The record carries neither binary-mode ce_ headers nor a structured-mode CloudEvent. */
        NOT_A_CLOUDEVENT,
        /** The bytes are not well-formed JSON. */
        UNPARSEABLE,
        /** The JSON does not map onto the canonical model (wrong types, missing object where one is required). */
        NOT_CANONICAL,
        /** Envelope attributes contradict the canonical data (e.g. ce id differs from data id). */
        ENVELOPE_MISMATCH;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public EventDecodingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public EventDecodingException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
