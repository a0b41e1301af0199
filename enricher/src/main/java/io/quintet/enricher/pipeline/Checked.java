package io.quintet.enricher.pipeline;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.Rejectable;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.model.CanonicalEvent;
import java.util.Objects;

/**
 * A raw record on its way through the checking steps (decode, validate, tracking plan): either an accepted
 * canonical event or a rejection. The original value travels along so a rejected record can be dead-lettered byte
 * for byte. Lives only between processors of one sub-topology (never serialized).
 *
 * @param event        the event as far as it could be read (may be non-null for a rejected record, for its identity)
 * @param receivedJson the event's JSON exactly as the producer sent it, when the event is that JSON unchanged (at most
 *                     the current {@code spec_version} stamped on it): schema validation then reads these bytes
 *                     instead of serializing the event again; null once anything changed the event
 */
public record Checked(byte[] rawValue, CanonicalEvent event, Rejection rejection, byte[] receivedJson)
        implements Rejectable {

    public Checked(byte[] rawValue, CanonicalEvent event, Rejection rejection) {
        this(rawValue, event, rejection, null);
    }

    public static Checked accepted(byte[] rawValue, CanonicalEvent event) {
        return new Checked(rawValue, Objects.requireNonNull(event, "event"), null, null);
    }

    /** An accepted event that is exactly {@code receivedJson} (see the record's parameters). */
    public static Checked acceptedAsReceived(byte[] rawValue, CanonicalEvent event, byte[] receivedJson) {
        return new Checked(rawValue, Objects.requireNonNull(event, "event"), null, receivedJson);
    }

    public static Checked rejected(byte[] rawValue, Rejection rejection) {
        return new Checked(rawValue, null, Objects.requireNonNull(rejection, "rejection"));
    }

    /** The same record carrying a changed event. */
    public Checked withEvent(CanonicalEvent changed) {
        return new Checked(rawValue, changed, rejection, null);
    }

    /** The same record, now rejected (the event is kept for its identity). */
    public Checked reject(Rejection why) {
        return new Checked(rawValue, event, Objects.requireNonNull(why, "rejection"), null);
    }

    /** The event's identity for the dead letter, when known. */
    @Override
    public DeadLetter.EventRef eventRef() {
        if (event == null) {
            return null;
        }
        return new DeadLetter.EventRef(
                event.id(),
                event.source(),
                event.action() == null ? null : event.action().name());
    }
}
