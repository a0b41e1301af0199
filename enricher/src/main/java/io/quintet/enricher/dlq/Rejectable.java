package io.quintet.enricher.dlq;

/** A value on its way to events.dlq: the original raw value, why it was refused and what is known of its event. */
public interface Rejectable {

    byte[] rawValue();

    /** Why it was refused; null when it was not. */
    Rejection rejection();

    /** The event's identity when known, else null. */
    DeadLetter.EventRef eventRef();

    default boolean isRejected() {
        return rejection() != null;
    }
}
