package io.quintet.enricher.profile;

import io.quintet.enricher.dlq.DeadLetter;
import io.quintet.enricher.dlq.DlqReason;
import io.quintet.enricher.dlq.Rejectable;
import io.quintet.enricher.dlq.Rejection;
import io.quintet.model.EventDecodingException;

/**
 * One raw {@code profiles} record, decoded: a change of the actor's profile, a deletion (tombstone: {@code change}
 * null) or a rejection.
 * Profiles are read as bytes and decoded by the topology, like raw events, so a malformed one takes the same
 * dead-letter path (same transaction, original bytes kept) and never stops the application.
 */
public record ProfileUpdate(byte[] rawValue, ProfileChange change, Rejection rejection) implements Rejectable {

    public static ProfileUpdate decode(byte[] raw) {
        if (raw == null) {
            return new ProfileUpdate(null, null, null);
        }
        try {
            return new ProfileUpdate(raw, ProfileSerde.readChange(raw), null);
        } catch (EventDecodingException e) {
            return new ProfileUpdate(
                    raw, null, Rejection.of(DlqReason.UNPARSEABLE, e.reason().code(), e.getMessage()));
        }
    }

    @Override
    public DeadLetter.EventRef eventRef() {
        return null;
    }
}
